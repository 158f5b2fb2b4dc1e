import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { extractMentions } from '../../../src/core/contacts/mentions.js';
import type { DocumentRecord } from '../../../src/core/record.js';
import { QueryEngine, type EngineResult, type TermQuery } from '../../../src/core/search/engine.js';
import { SEARCH_INDEX_OPTIONS, type IndexedDocument } from '../../../src/core/search/options.js';
import { SearchIndex, toIndexedDocument, type SearchRequest } from '../../../src/core/search/searchIndex.js';
import { terms as textTerms, tokenize } from '../../../src/core/search/terms.js';
import { shippedDocuments, syntheticRecords } from './fixtures.js';

/** The same plan as MiniSearch's own query tree (the nesting SearchIndex uses as its fallback). */
function toMiniSearchQuery(plan: readonly TermQuery[], combineWith: 'AND' | 'OR'): Query {
  return {
    combineWith,
    queries: plan.map(({ main, stems }) => {
      const spec: Query = { queries: [main.term], prefix: main.prefix, fuzzy: main.fuzzy || false };
      if (stems.length === 0) return spec;
      const boost = stems[0]!.boost;
      return {
        combineWith: 'OR',
        queries: [
          spec,
          { queries: stems.map((s) => s.term), prefix: false, fuzzy: false, boostTerm: () => boost },
        ],
      };
    }),
  };
}

const spec = (term: string, prefix = false, fuzzy = 0, boost = 1) => ({ term, prefix, fuzzy, boost });

const comparable = (r: EngineResult | SearchResult) => ({
  id: r.id as string,
  score: r.score,
  terms: [...r.terms].sort(),
  queryTerms: [...r.queryTerms].sort(),
});

describe('QueryEngine', () => {
  let records: DocumentRecord[];
  let index: MiniSearch<IndexedDocument>;
  let words: string[];

  beforeAll(async () => {
    records = [...(await shippedDocuments()), ...syntheticRecords(400)];
    index = new MiniSearch<IndexedDocument>(SEARCH_INDEX_OPTIONS);
    for (const r of records) index.add(toIndexedDocument(r, extractMentions(r.paragraphs)));
    words = [...new Set(records.flatMap((r) => textTerms(`${r.title} ${r.paragraphs.join(' ')}`)))].sort();
  });

  describe('run', () => {
    /** Deterministic plans over the corpus' terms: exact, prefix (with stems), typo, up to 4 words. */
    function plans(count: number): TermQuery[][] {
      let seed = 11;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const out: TermQuery[][] = [];
      for (let n = 0; n < count; n++) {
        // Mostly words of one document, so that AND finds something; sometimes any word.
        const record = records[Math.floor(next() * records.length)]!;
        const own = textTerms(`${record.title} ${record.paragraphs.join(' ')}`);
        const pick = () =>
          next() < 0.8 ? own[Math.floor(next() * own.length)]! : words[Math.floor(next() * words.length)]!;
        const length = 1 + Math.floor(next() * 4);
        const plan: TermQuery[] = [];
        for (let i = 0; i < length; i++) {
          const word = pick();
          const roll = next();
          if (roll < 0.3 && word.length > 4) {
            const cut = word.slice(0, 3 + Math.floor(next() * (word.length - 3)));
            plan.push({
              main: spec(cut, true, cut.length >= 5 ? 1 : 0),
              // Real terms among the stems too: the whole word (also a prefix match) and a shorter one.
              stems: [
                spec(word, false, 0, 0.5),
                spec(cut.slice(0, -1), false, 0, 0.5),
                spec(`${cut}x`, false, 0, 0.5),
              ],
            });
          } else if (roll < 0.5 && word.length >= 5) {
            const typo = `${word.slice(0, 2)}${word.slice(3)}`;
            plan.push({ main: spec(typo, false, word.length >= 9 ? 2 : 1), stems: [] });
          } else plan.push({ main: spec(word), stems: [] });
        }
        out.push(plan);
      }
      return out;
    }

    it.each(['AND', 'OR'] as const)(
      'ranks and scores exactly like MiniSearch search() (%s, 150 queries, every page)',
      (combineWith) => {
        let withResults = 0;
        for (const plan of plans(150)) {
          const expected = index.search(toMiniSearchQuery(plan, combineWith), {
            tokenize: (text) => text.split(' '),
            processTerm: (term) => term,
          });
          const matches = QueryEngine.open(index)!.run(plan, combineWith, null)!;
          expect(matches.total).toBe(expected.length);
          if (expected.length > 1) withResults++;
          expect(matches.ids()).toEqual(expected.map((r) => r.id as string));
          for (const [start, end] of [
            [0, 10],
            [10, 20],
            [5, 30],
            [0, 1000],
          ] as const) {
            expect(matches.slice(start, end).map(comparable)).toEqual(
              expected.slice(start, end).map(comparable),
            );
          }
        }
        expect(withResults).toBeGreaterThan(combineWith === 'AND' ? 60 : 140);
      },
    );

    it('skips documents failing isAllowed and drops those isKept refuses, like boostDocument 0 and filter', () => {
      const inKenya = new Set(records.filter((r) => r.country === 'Kenya').map((r) => r.id));
      const isAllowed = (id: string) => inKenya.has(id);
      const isKept = (id: string) => !id.endsWith('0');
      let withResults = 0;
      for (const plan of plans(60)) {
        const expected = index.search(toMiniSearchQuery(plan, 'AND'), {
          tokenize: (text) => text.split(' '),
          processTerm: (term) => term,
          boostDocument: (id) => (isAllowed(id as string) ? 1 : 0),
          filter: (r) => isKept(r.id as string),
        });
        const engine = QueryEngine.open(index)!;
        const matches = engine.run(plan, 'AND', (doc) => isAllowed(engine.idOf(doc)), isKept)!;
        expect(matches.slice(0, 1000).map(comparable)).toEqual(expected.map(comparable));
        if (expected.length > 0) withResults++;
      }
      expect(withResults).toBeGreaterThan(12);
    });

    it('gives null for a query with more distinct terms than it tells apart (the caller falls back)', () => {
      const plan = words.slice(0, 40).map((w) => ({ main: spec(w), stems: [] }));
      expect(QueryEngine.open(index)!.run(plan, 'OR', null)).toBeNull();
    });
  });

  describe('open', () => {
    it('refuses an index holding discarded documents until it is vacuumed', async () => {
      const dirty = new MiniSearch<IndexedDocument>({ ...SEARCH_INDEX_OPTIONS, autoVacuum: false });
      for (const r of records.slice(0, 50)) dirty.add(toIndexedDocument(r, []));
      expect(QueryEngine.open(dirty)).not.toBeNull();
      dirty.discard(records[0]!.id);
      expect(QueryEngine.open(dirty)).toBeNull();
      await dirty.vacuum();
      expect(QueryEngine.open(dirty)).not.toBeNull();
    });

    it('is usable again soon after a document is replaced: the index vacuums itself', async () => {
      const live = new MiniSearch<IndexedDocument>(SEARCH_INDEX_OPTIONS);
      for (const r of records.slice(0, 50)) live.add(toIndexedDocument(r, []));
      live.replace(toIndexedDocument({ ...records[0]!, title: 'Replaced title' }, []));
      await vi.waitFor(() => expect(QueryEngine.open(live)).not.toBeNull());
    });

    it('refuses an object that does not look like a MiniSearch 7 index', () => {
      const fake = {
        _index: {},
        _documentIds: new Map(),
        tokenize,
      } as unknown as MiniSearch<IndexedDocument>;
      expect(QueryEngine.open(fake)).toBeNull();
    });
  });
});

describe('SearchIndex', () => {
  describe('search', () => {
    it('answers while a replaced document waits for the vacuum (MiniSearch path) as after it', async () => {
      const records = [...(await shippedDocuments()), ...syntheticRecords(3000)];
      const byId = new Map(records.map((r) => [r.id, r]));
      const index = SearchIndex.create((id) => byId.get(id));
      for (const r of records) index.add(toIndexedDocument(r, extractMentions(r.paragraphs)));
      const replaced = { ...records[10]!, title: 'Replaced: flood response in Kenya', country: 'Peru' };
      byId.set(replaced.id, replaced);
      index.upsert(toIndexedDocument(replaced, extractMentions(replaced.paragraphs)));
      const internals = index as unknown as { index: MiniSearch<IndexedDocument> };
      // The vacuum runs in batches: right after the upsert the fast engine stands aside.
      expect(QueryEngine.open(internals.index)).toBeNull();
      const asks: Array<[string, SearchRequest]> = [
        ['migration', {}],
        ['migration health', { page: 2 }],
        ['flood', { country: 'peru' }],
        ['replaced floo', {}],
        ['migratoin keny', { kind: 'article' }],
        ['"migration partners" kenya', {}],
        ['project numbr', { kind: 'project', status: 'completed' }],
      ];
      const during = asks.map(([query, request]) => index.search(query, request));
      await index.vacuum();
      expect(QueryEngine.open(internals.index)).not.toBeNull();
      const after = asks.map(([query, request]) => index.search(query, request));
      // MiniSearch scores a term with discarded documents as if they were there until it cleans the
      // term, so scores may differ in the last decimals (and near-ties swap); counts may not.
      expect(during.map((page) => page.total)).toEqual(after.map((page) => page.total));
      during.forEach((page, i) => {
        const scores = after[i]!.results.map((r) => r.score);
        page.results.forEach((r, k) => expect(r.score).toBeCloseTo(scores[k]!, 1));
      });
      expect(after.filter((page) => page.total > 0).length).toBeGreaterThanOrEqual(6);
    });
  });
});
