import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLibrary, type Library } from '../../../src/core/library.js';
import type { DocumentRecord } from '../../../src/core/record.js';
import { itemToRecord } from '../../../src/core/sources/itemRecord.js';
import type { SourceItem } from '../../../src/core/sources/sourceItem.js';
import { analyzeText, analyzeWord } from '../../../src/core/text/analysis.js';
import { STEMMED_LANGUAGES } from '../../../src/core/text/stemmers.js';
import { fuzzyMatches } from '../../../src/core/search/sortedTerms.js';
import { looksEnglish } from '../../../src/core/text/detect.js';
import { loadLanguageDetector } from '../../../src/core/text/languageDetector.js';
import type { LanguageDetector } from '../../../src/core/text/detect.js';
import { shippedDocuments } from './fixtures.js';

/**
 * Real published text (see test/fixtures/languages/README.md): five sentences of the Universal
 * Declaration of Human Rights and five of Wikipedia per language.
 */
const SENTENCES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/languages/sentences.txt',
);

function readSentences(): Map<string, { udhr: string[]; wikipedia: string[] }> {
  const out = new Map<string, { udhr: string[]; wikipedia: string[] }>();
  let section: 'udhr' | 'wikipedia' = 'udhr';
  for (const line of readFileSync(SENTENCES, 'utf8').split('\n')) {
    if (line.startsWith('# Wikipedia')) section = 'wikipedia';
    const match = /^([a-z]{2}):(.+)$/.exec(line);
    if (!match) continue;
    const entry = out.get(match[1]!) ?? { udhr: [], wikipedia: [] };
    entry[section].push(match[2]!.trim());
    out.set(match[1]!, entry);
  }
  return out;
}

/** The languages searched below: eleven, in Latin, Cyrillic, Arabic, Han, Kana and Thai script. */
const LANGUAGES = ['fr', 'es', 'de', 'it', 'pt', 'ru', 'tr', 'ar', 'fa', 'zh', 'ja', 'th'] as const;

/**
 * A fetched item declaring no language: its record's language is detected from the text. Its title
 * is the last sentence, so the words searched (in the first ones) are in the body and highlighted.
 */
function undeclaredItem(language: string, part: 'udhr' | 'wikipedia', sentences: string[]): SourceItem {
  return {
    sourceId: 'samples',
    guid: `${language}-${part}`,
    url: `https://example.org/${language}/${part}`,
    alternateUrls: [],
    title: sentences.at(-1)!,
    publishedAt: null,
    updatedAt: null,
    summary: null,
    text: sentences.slice(0, -1).join('\n'),
    tag: null,
    country: null,
  };
}

let detector: LanguageDetector;
let records: DocumentRecord[];
let library: Library;
const idOf = (language: string, part: 'udhr' | 'wikipedia') =>
  records.find((r) => r.url === `https://example.org/${language}/${part}`)!.id;

beforeAll(async () => {
  detector = await loadLanguageDetector();
  const sentences = readSentences();
  records = [];
  for (const language of LANGUAGES) {
    const entry = sentences.get(language)!;
    for (const part of ['udhr', 'wikipedia'] as const) {
      const record = itemToRecord(undeclaredItem(language, part, entry[part]), { detectLanguage: detector });
      if (!record.ok) throw new Error(record.error);
      records.push(record.value);
    }
  }
  // The English pages the bot ships, beside them: English queries and documents keep working.
  library = createLibrary([...(await shippedDocuments()), ...records]);
}, 30_000);

describe('languages', () => {
  describe('stemmers', () => {
    it.each(STEMMED_LANGUAGES.filter((l) => readSentences().has(l)))(
      'analyses the %s samples without throwing, each word to a term',
      (language) => {
        const entry = readSentences().get(language)!;
        for (const sentence of [...entry.udhr, ...entry.wikipedia]) {
          expect(analyzeText(sentence, language).length).toBeGreaterThan(0);
        }
      },
    );
  });

  describe('fuzzyMatches', () => {
    it('walks only the query’s script: a typo stays in its script, other scripts’ terms are not visited', () => {
      const terms = ['beijing', 'beijinh', 'мир', 'мира', 'حق', '自由', '由和'].sort();
      const found = (query: string, distance: number) =>
        fuzzyMatches(terms, query, distance).map(([at, d]) => [terms[at], d]);
      expect(found('beijinx', 1)).toEqual([
        ['beijing', 1],
        ['beijinh', 1],
      ]);
      expect(found('миры', 1)).toEqual([
        ['мир', 1],
        ['мира', 1],
      ]);
      expect(found('自田', 1)).toEqual([['自由', 1]]);
    });
  });

  describe('analyzeWord', () => {
    it.each([
      ['گیاه‌شناسی', 'گیاهشناسی', 'fa', 'zero-width non-joiner removed'],
      ['۱۹۴۸', '1948', 'fa', 'Persian digits'],
      ['١٩٤٨', '1948', 'ar', 'Arabic-Indic digits'],
      ['مهاجرين', 'المهاجرين', 'ar', 'article'],
      ['اللاجئين', 'اللاجئين', 'ar', 'same word'],
      ['هجرة', 'الهجرة', 'ar', 'teh marbuta and article'],
      ['مـهـاجـر', 'مهاجر', 'ar', 'tatweel'],
      ['réfugiées', 'réfugié', 'fr', 'the issue’s example'],
      ['мигрантов', 'мигранты', 'ru', 'the issue’s example'],
      ['ＩＯＭ', 'IOM', 'en', 'full-width letters (NFKC)'],
      ['Straße', 'strasse', 'de', 'ß'],
    ])('%s and %s meet in %s (%s)', (a, b, language) => {
      expect(analyzeWord(a, language)).not.toBeNull();
      expect(analyzeWord(a, language)).toBe(analyzeWord(b, language));
    });
  });

  describe('detection on items that declare no language', () => {
    it.each(LANGUAGES.flatMap((language) => [[language, 'udhr'] as const, [language, 'wikipedia'] as const]))(
      'detects %s (%s)',
      (language, part) => {
        expect(records.find((r) => r.url === `https://example.org/${language}/${part}`)?.language).toBe(
          language,
        );
      },
    );

    it('gives und for a text too short to tell, and the declared language when there is one', () => {
      const short = itemToRecord(
        { ...undeclaredItem('fr', 'udhr', ['Migrations', 'Rapport']), guid: 'short' },
        { detectLanguage: detector },
      );
      expect(short.ok && short.value.language).toBe('und');
      const declared = itemToRecord(
        { ...undeclaredItem('fr', 'udhr', readSentences().get('fr')!.udhr), language: 'fr_CA' },
        { detectLanguage: detector },
      );
      expect(declared.ok && declared.value.language).toBe('fr-CA');
      const configured = itemToRecord(
        { ...undeclaredItem('fa', 'udhr', readSentences().get('fa')!.udhr), language: 'fa' },
        { detectLanguage: detector, configuredLanguage: 'fa-AF' },
      );
      expect(configured.ok && configured.value.language).toBe('fa-AF');
    });

    it('never takes a non-English sample for plain English (the shortcut that spares the detector)', () => {
      for (const [language, entry] of readSentences()) {
        expect([language, looksEnglish([...entry.udhr, ...entry.wikipedia].join(' '))]).toEqual([
          language,
          false,
        ]);
      }
    });
  });

  describe('search', () => {
    // Each query is a form of a word that only the document's own analyzer brings to the form in
    // the text: a plural, a conjugation, an article, a letter variant, a case, a script without spaces.
    it.each([
      ['fr', 'udhr', 'égales', 'égaux', 'a French plural feminine finds the masculine (stemming, accents)'],
      ['fr', 'wikipedia', 'endroit', 'l’endroit', 'an elided article is split off (curly apostrophe)'],
      [
        'fr',
        'wikipedia',
        "l'embouchure",
        "l'embouchure",
        'a query with an elision finds it (straight apostrophe)',
      ],
      ['es', 'udhr', 'nacer', 'nacen', 'a Spanish infinitive finds its conjugated form'],
      ['de', 'udhr', 'Mensch', 'Menschen', 'a German singular finds the plural'],
      ['it', 'udhr', 'diritto', 'diritti', 'an Italian singular finds the plural'],
      ['pt', 'udhr', 'nascer', 'nascem', 'a Portuguese infinitive finds its conjugated form'],
      ['ru', 'udhr', 'права', 'правах', 'a Russian case form finds another'],
      ['ru', 'udhr', 'достоинства', 'достоинстве', 'a Russian genitive finds the prepositional'],
      ['tr', 'udhr', 'HAKKIDIR', 'hakkıdır', 'Turkish capitals lower-cased the Turkish way (I to ı)'],
      ['tr', 'udhr', 'İNSANLAR', 'insanlar', 'Turkish dotted capital İ lower-cased to i'],
      ['ar', 'udhr', 'حق', 'الحق', 'an Arabic word typed without its article finds it with the article'],
      ['ar', 'udhr', 'احرار', 'أحرارًا', 'hamza on alef and tanween do not matter'],
      ['fa', 'udhr', 'زندگي', 'زندگی', 'Arabic yeh finds Persian yeh'],
      ['fa', 'udhr', 'كس', 'کس', 'Arabic kaf finds Persian keheh'],
      [
        'fa',
        'wikipedia',
        'گیاهشناسی',
        'گیاه‌شناسی',
        'a query typed without the zero-width non-joiner finds the word written with it',
      ],
      ['zh', 'udhr', '自由', '自由', 'Chinese words are found without spaces'],
      ['ja', 'udhr', '自由', '自由', 'Japanese words are found without spaces'],
      ['th', 'udhr', 'อิสระ', 'อิสระ', 'Thai words are found without spaces'],
    ] as const)('%s (%s): %s finds %s: %s', (language, part, query, inText, _why) => {
      const id = idOf(language, part);
      const page = library.search(query, { pageSize: 25 });
      expect(page.matchedAll).toBe(true);
      const hit = page.results.find((r) => r.id === id);
      expect(hit, `${query} → ${page.results.map((r) => r.id).join(', ')}`).toBeDefined();
      expect(hit!.language).toBe(language);
      // The highlighted text is the word as written (never half a letter or a broken pair).
      const highlighted = hit!.snippet.highlights.map(([s, e]) => hit!.snippet.text.slice(s, e));
      expect(
        highlighted.some((h) => h.includes(inText.replace(/^l['’]/, ''))),
        JSON.stringify(hit!.snippet),
      ).toBe(true);
    });

    it('scores a form found by the analyzer exactly like the form in the text', () => {
      const id = idOf('ru', 'udhr');
      const analysed = library.search('права').results.find((r) => r.id === id)!.score;
      const written = library.search('правах').results.find((r) => r.id === id)!.score;
      expect(analysed).toBe(written);
    });

    it('still requires every word of the query', () => {
      expect(library.search('dignité Menschen').matchedAll).toBe(false);
      expect(library.search('dignité égaux').matchedAll).toBe(true);
    });

    it('keeps English search as it was beside the other languages', () => {
      const [hit] = library.search('liaison office agreement').results;
      expect(hit?.title).toBe('Agreement with China Paves Way for IOM Presence in Beijing');
      expect(hit?.language).toBe('en');
    });

    it('restricts results to a language, fr matching fr-* too', () => {
      const languagesOf = (page: { results: ReadonlyArray<{ language: string }> }) =>
        [...new Set(page.results.map((r) => r.language))].sort();
      // "libres" is a French and a Spanish word (UDHR article 1 in both).
      expect(languagesOf(library.search('libres', { pageSize: 25 }))).toEqual(['es', 'fr']);
      expect(languagesOf(library.search('libres', { language: 'fr' }))).toEqual(['fr']);
      expect(languagesOf(library.search('libres', { language: 'es' }))).toEqual(['es']);
      const canadian = createLibrary([{ ...records.find((r) => r.language === 'fr')!, language: 'fr-CA' }]);
      expect(canadian.search('égales', { language: 'fr' }).total).toBe(1);
      expect(canadian.search('égales', { language: 'fr-FR' }).total).toBe(0);
    });

    it('lists the languages it holds', () => {
      expect(library.languages).toEqual([
        'ar',
        'de',
        'en',
        'es',
        'fa',
        'fr',
        'it',
        'ja',
        'pt',
        'ru',
        'th',
        'tr',
        'zh',
      ]);
    });
  });
});
