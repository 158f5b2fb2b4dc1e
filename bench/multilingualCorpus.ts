/**
 * The multilingual share of a benchmark corpus: documents in French, Spanish, Arabic, Persian,
 * Russian and Chinese, made of real published text, as the shipped sources in those languages would
 * bring them in (fetched items of a source with a `language`, stored in SQLite like the rest of the
 * fetched share, see webCorpus.ts).
 *
 * The text is the real-text fixture `test/fixtures/languages/sentences.txt` (see its README): per
 * language, five sentences of the Universal Declaration of Human Rights in its official translation
 * (OHCHR, via the Unicode UDHR project) and five sentences of Wikipedia articles (CC BY-SA 4.0). A
 * document is a title and a few paragraphs drawn from its language's ten sentences, recombined:
 * every word in it is a real word in its real context, but the vocabulary of this share is small
 * (about a hundred words per language), so posting lists are long and the index is smaller than ten
 * times more distinct text would make it.
 *
 * A seeded roll per page index, independent of the page's own stream and of the web roll, picks the
 * multilingual pages; with a share of 0 no page is picked and the corpus is the English one, byte
 * for byte.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocumentRecord } from '../src/core/record.js';
import { itemToRecord } from '../src/core/sources/itemRecord.js';
import type { SourceItem } from '../src/core/sources/sourceItem.js';
import type { Store } from '../src/store/store.js';
import { mulberry32 } from '../src/util/random.js';
import type { CorpusOptions } from './syntheticCorpus.js';
import { BENCH_NOW, storeWebDocuments } from './webCorpus.js';

/** The share `npm run bench` gives the other languages unless `--multilingual-share` says otherwise. */
export const DEFAULT_MULTILINGUAL_SHARE = 0.2;

/** The writing systems the report groups query latencies by. */
export type Script = 'Latin' | 'Arabic' | 'Cyrillic' | 'Han';

/** The languages of the share, with their script and the shipped-style source they come from. */
export const MULTILINGUAL_LANGUAGES = [
  { language: 'fr', script: 'Latin', source: 'un-news-migrants-fr', site: 'https://news.un.org/fr/story/' },
  { language: 'es', script: 'Latin', source: 'iom-press-es', site: 'https://www.iom.int/es/news/' },
  {
    language: 'ar',
    script: 'Arabic',
    source: 'infomigrants-ar',
    site: 'https://www.infomigrants.net/ar/post/',
  },
  {
    language: 'fa',
    script: 'Arabic',
    source: 'infomigrants-prs',
    site: 'https://www.infomigrants.net/prs/post/',
  },
  {
    language: 'ru',
    script: 'Cyrillic',
    source: 'un-news-migrants-ru',
    site: 'https://news.un.org/ru/story/',
  },
  { language: 'zh', script: 'Han', source: 'un-news-migrants-zh', site: 'https://news.un.org/zh/story/' },
] as const satisfies ReadonlyArray<{ language: string; script: Script; source: string; site: string }>;

export type MultilingualLanguage = (typeof MULTILINGUAL_LANGUAGES)[number]['language'];

const SENTENCES_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../test/fixtures/languages/sentences.txt',
);

let sentencesByLanguage: ReadonlyMap<string, readonly string[]> | null = null;

/** The fixture's sentences of `language`, in file order (UDHR first, then Wikipedia). */
export function realSentences(language: MultilingualLanguage): readonly string[] {
  if (sentencesByLanguage === null) {
    const byLanguage = new Map<string, string[]>();
    for (const line of readFileSync(SENTENCES_FILE, 'utf8').split('\n')) {
      const match = /^([a-z]{2,3}):(.+)$/.exec(line);
      if (!match?.[1] || !match[2]) continue;
      const list = byLanguage.get(match[1]) ?? [];
      list.push(match[2].trim());
      byLanguage.set(match[1], list);
    }
    sentencesByLanguage = byLanguage;
  }
  const sentences = sentencesByLanguage.get(language) ?? [];
  if (sentences.length === 0) throw new Error(`bench: no sentences for "${language}" in ${SENTENCES_FILE}`);
  return sentences;
}

/** Page `index`'s own stream for the multilingual roll and text (independent of the others). */
function multilingualRng(seed: number, index: number): () => number {
  return mulberry32((Math.imul(seed | 0, 0x3c6ef372) ^ Math.imul(index + 1, 0x5bd1e995)) >>> 0);
}

/** Whether page `index` of a corpus is a multilingual document (true for about `share` of them). */
export function isMultilingualPage(index: number, seed: number, share: number): boolean {
  return share > 0 && multilingualRng(seed, index)() < share;
}

/** A title from a sentence: its first eight words (first twenty characters in Chinese), no final stop. */
function titleOf(sentence: string, language: MultilingualLanguage): string {
  const cut = language === 'zh' ? sentence.slice(0, 20) : sentence.split(/\s+/).slice(0, 8).join(' ');
  return cut.replace(/[.。،,、:;]+$/u, '');
}

/**
 * Page `index` as the item its source would give: the language (its sources rotate through the
 * six), a title from one real sentence, three to six paragraphs of one to three real sentences,
 * and a publication date within the two years before BENCH_NOW.
 */
export function multilingualItem(index: number, options: CorpusOptions): SourceItem & { language: string } {
  const seed = options.seed ?? 1;
  const next = multilingualRng(seed, index);
  next(); // the multilingual-or-not roll
  const choice = MULTILINGUAL_LANGUAGES[Math.floor(next() * MULTILINGUAL_LANGUAGES.length)];
  const { language, source, site } = choice ?? MULTILINGUAL_LANGUAGES[0];
  const sentences = realSentences(language);
  const pick = () => sentences[Math.floor(next() * sentences.length)] ?? '';
  const title = titleOf(pick(), language);
  const paragraphs = Array.from({ length: 3 + Math.floor(next() * 4) }, () =>
    Array.from({ length: 1 + Math.floor(next() * 3) }, pick).join(language === 'zh' ? '' : ' '),
  );
  const publishedAt = new Date(BENCH_NOW.getTime() - Math.floor(next() * 730 * 24 * 3_600_000)).toISOString();
  return {
    sourceId: source,
    guid: `${source}-${seed}-${index}`,
    url: `${site}${seed}-${index}`,
    alternateUrls: [],
    title,
    publishedAt,
    updatedAt: null,
    summary: null,
    text: paragraphs.join('\n'),
    tag: 'Press Release',
    country: null,
    language,
  };
}

/** Page `index` as the record the source fetcher would store, with its source's `language`. */
export function multilingualRecord(
  index: number,
  options: CorpusOptions,
): { item: SourceItem; record: DocumentRecord } {
  const item = multilingualItem(index, options);
  const converted = itemToRecord(item, { configuredLanguage: item.language });
  if (!converted.ok) throw new Error(`multilingual page ${index}: ${converted.error}`);
  return { item, record: converted.value };
}

/**
 * Stores the multilingual share of a corpus of `options.count` pages in `store`, a batch at a time,
 * as fetched documents. Returns how many were stored.
 */
export async function writeMultilingualCorpus(
  store: Store,
  options: CorpusOptions,
  share: number,
): Promise<number> {
  const seed = options.seed ?? 1;
  let batch: Array<{ item: SourceItem; record: DocumentRecord }> = [];
  let done = 0;
  for (let index = 0; index < options.count; index++) {
    if (!isMultilingualPage(index, seed, share)) continue;
    batch.push(multilingualRecord(index, options));
    if (batch.length === 1000) {
      await storeWebDocuments(store, batch, BENCH_NOW);
      done += batch.length;
      batch = [];
    }
  }
  await storeWebDocuments(store, batch, BENCH_NOW);
  return done + batch.length;
}
