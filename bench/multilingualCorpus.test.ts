import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { Library } from '../src/core/library.js';
import {
  isMultilingualPage,
  MULTILINGUAL_LANGUAGES,
  multilingualRecord,
  realSentences,
} from './multilingualCorpus.js';
import { buildMultilingualQueries, buildQueryMix, MULTILINGUAL_QUERY_WORDS } from './queries.js';
import { RAW_OPTIONS, toRawDocument } from './rawSide.js';

const OPTIONS = { count: 3000, seed: 1 };
const indexes = Array.from({ length: OPTIONS.count }, (_, index) => index);
const picked = indexes.filter((index) => isMultilingualPage(index, OPTIONS.seed, 0.2));
const records = picked.map((index) => multilingualRecord(index, OPTIONS).record);

describe('multilingualCorpus', () => {
  describe('isMultilingualPage', () => {
    it('picks about the share asked for, and no page at all with a share of 0', () => {
      expect(picked.length / OPTIONS.count).toBeGreaterThan(0.18);
      expect(picked.length / OPTIONS.count).toBeLessThan(0.22);
      expect(indexes.some((index) => isMultilingualPage(index, OPTIONS.seed, 0))).toBe(false);
    });
  });

  describe('multilingualRecord', () => {
    it('gives each document its source language, six languages in four scripts', () => {
      const counts = new Map<string, number>();
      for (const { language = 'und' } of records) counts.set(language, (counts.get(language) ?? 0) + 1);
      expect([...counts.keys()].sort()).toEqual(['ar', 'es', 'fa', 'fr', 'ru', 'zh']);
      for (const count of counts.values()) expect(count).toBeGreaterThan(picked.length / 6 / 2);
      expect(new Set(MULTILINGUAL_LANGUAGES.map((l) => l.script))).toEqual(
        new Set(['Latin', 'Arabic', 'Cyrillic', 'Han']),
      );
    });

    it('writes only real sentences of its language, whole', () => {
      for (const record of records.slice(0, 200)) {
        const sentences = realSentences(record.language as 'fr');
        for (const paragraph of record.paragraphs) {
          let rest = paragraph;
          // Sentences of the fixture, joined by a space (none in Chinese); the parser may join paragraphs.
          for (let guard = 0; rest !== '' && guard < 100; guard++) {
            const first = sentences.find((s) => rest.startsWith(s));
            expect(first, `${record.language}: ${rest}`).toBeDefined();
            rest = rest.slice(first?.length ?? rest.length).trimStart();
          }
          expect(rest).toBe('');
        }
      }
    });
  });

  describe('the multilingual queries', () => {
    it('leave the English mix as it was, and add eight per language', () => {
      const english = buildQueryMix(1);
      const mixed = buildQueryMix(1, 240, true);
      expect(mixed.slice(0, 240)).toEqual(english);
      expect(english.every((q) => q.language === undefined)).toBe(true);
      const added = mixed.slice(240);
      expect(added).toEqual(buildMultilingualQueries(1));
      for (const { language } of MULTILINGUAL_LANGUAGES)
        expect(added.filter((q) => q.language === language)).toHaveLength(8);
    });

    it('print every exact word in its language and no typed form as such', () => {
      for (const { language } of MULTILINGUAL_LANGUAGES) {
        const text = realSentences(language).join(' ');
        const { exact, forms } = MULTILINGUAL_QUERY_WORDS[language];
        for (const word of exact) expect(text, `${language} "${word}"`).toContain(word);
        for (const form of forms)
          expect(text.split(/[\s.,،:;]+/u), `${language} "${form}"`).not.toContain(form);
      }
    });

    it('find their documents with our library, each word and each typed form', () => {
      const library = Library.create(records);
      const missed = MULTILINGUAL_LANGUAGES.flatMap(({ language }) => {
        const { exact, forms } = MULTILINGUAL_QUERY_WORDS[language];
        return [...exact, ...forms].filter((word) => library.search(word, { language }).total === 0);
      });
      expect(missed).toEqual([]);
    });

    it('are all answered by our library, with hits, in every class', () => {
      const library = Library.create(records);
      const empty = buildMultilingualQueries(1).filter(
        (q) =>
          library.search(q.text, {
            ...q.filter,
            ...(q.sort ? { sort: q.sort } : {}),
            ...(q.since ? { since: q.since.iso } : {}),
          }).total === 0,
      );
      // A `since` may fall before every date drawn; nothing else may come back empty but two typos
      // with a doubled letter in an inflected word, which our typo tolerance misses today (reported
      // on issue 18): this line fails, and is to be updated, when that is fixed.
      expect(empty.filter((q) => q.class !== 'since').map((q) => `${q.class} ${q.text}`)).toEqual([
        'typo riivière',
        'typo свобооду',
      ]);
    });

    it('leave raw MiniSearch, with its default tokenizer, without most typed forms and Chinese words', () => {
      const raw = new MiniSearch(RAW_OPTIONS);
      raw.addAll(records.map(toRawDocument));
      const found = (word: string) => raw.search(word, { combineWith: 'AND' }).length > 0;
      // Its tokenizer splits on spaces and punctuation only: a Chinese word inside a sentence is not a term.
      expect(MULTILINGUAL_QUERY_WORDS.zh.exact.filter(found)).toEqual([]);
      const forms = MULTILINGUAL_LANGUAGES.flatMap(
        ({ language }) => MULTILINGUAL_QUERY_WORDS[language].forms,
      );
      expect(forms.filter(found).length).toBeLessThan(forms.length / 2);
    });
  });
});
