import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractMentions } from '../../../src/core/contacts/mentions.js';
import type { DocumentRecord } from '../../../src/core/record.js';
import { QueryEngine, type EngineResult, type TermQuery } from '../../../src/core/search/engine.js';
import { LiveIndex } from '../../../src/core/search/liveIndex.js';
import { decodeSegment, encodeSegment } from '../../../src/core/search/segment.js';
import { runSteps } from '../../../src/core/steps.js';
import { fuzzyMatches, prefixRange } from '../../../src/core/search/sortedTerms.js';
import { SEARCH_INDEX_OPTIONS, type IndexedDocument } from '../../../src/core/search/options.js';
import { toIndexedDocument } from '../../../src/core/search/searchIndex.js';
import { terms as textTerms } from '../../../src/core/search/terms.js';
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

/** A score to 12 significant digits: the sum of the same terms added in another order. */
const rounded = (score: number) => Number(score.toPrecision(12));

/**
 * Results in rank order, with documents of equal score compared as a set: MiniSearch visits
 * prefix and typo expansions in its radix tree's insertion order, the engine in string order, so
 * a document matched by several expansions sums the same numbers in another order (the last bit
 * may differ), and exact ties may come in another order.
 */
function ranked(results: ReadonlyArray<EngineResult | SearchResult>) {
  const groups: Array<{ score: number; members: string[] }> = [];
  for (const r of results.map(comparable).map((c) => ({ ...c, score: rounded(c.score) }))) {
    const last = groups.at(-1);
    const member = JSON.stringify([r.id, r.terms, r.queryTerms]);
    if (last && last.score === r.score) last.members.push(member);
    else groups.push({ score: r.score, members: [member] });
  }
  return groups.map((g) => ({ score: g.score, members: g.members.sort() }));
}

describe('QueryEngine over a LiveIndex', () => {
  let records: DocumentRecord[];
  let reference: MiniSearch<IndexedDocument>;
  let live: LiveIndex;
  let words: string[];

  beforeAll(async () => {
    records = [...(await shippedDocuments()), ...syntheticRecords(400)];
    reference = new MiniSearch<IndexedDocument>(SEARCH_INDEX_OPTIONS);
    live = LiveIndex.create();
    records.forEach((r, k) => {
      const doc = toIndexedDocument(r, extractMentions(r.paragraphs));
      reference.add(doc);
      live.add(doc);
      // Several segments merged, and documents still in the small MiniSearch index at the end.
      if (k % 150 === 149) runSteps(live.compactSteps());
    });
    words = [...new Set(records.flatMap((r) => textTerms(`${r.title} ${r.paragraphs.join(' ')}`)))].sort();
  });

  /** The reference's answer and the engine's for one plan. */
  function both(plan: TermQuery[], combineWith: 'AND' | 'OR', index = live, ms = reference) {
    const expected = ms.search(toMiniSearchQuery(plan, combineWith), {
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
    });
    return { expected, matches: new QueryEngine(index.reader()!).run(plan, combineWith, null) };
  }

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
        let exactOrder = 0;
        for (const plan of plans(150)) {
          const { expected, matches } = both(plan, combineWith);
          expect(matches.total).toBe(expected.length);
          if (expected.length > 1) withResults++;
          expect(ranked(matches.slice(0, 100_000))).toEqual(ranked(expected));
          const expectedIds = expected.map((r) => r.id as string);
          if (JSON.stringify(matches.ids()) === JSON.stringify(expectedIds)) exactOrder++;
          for (const [start, end] of [
            [0, 10],
            [10, 20],
            [5, 30],
          ] as const) {
            const page = matches.slice(start, end);
            expect(page.map((r) => rounded(r.score))).toEqual(
              expected.slice(start, end).map((r) => rounded(r.score)),
            );
          }
        }
        expect(withResults).toBeGreaterThan(combineWith === 'AND' ? 60 : 140);
        // Ties in a different order are the exception, not the rule.
        expect(exactOrder).toBeGreaterThan(140);
      },
    );

    it('skips documents failing isAllowed and drops those isKept refuses, like boostDocument 0 and filter', () => {
      const inKenya = new Set(records.filter((r) => r.country === 'Kenya').map((r) => r.id));
      const isAllowed = (id: string) => inKenya.has(id);
      const isKept = (id: string) => !id.endsWith('0');
      let withResults = 0;
      for (const plan of plans(60)) {
        const expected = reference.search(toMiniSearchQuery(plan, 'AND'), {
          tokenize: (text) => text.split(' '),
          processTerm: (term) => term,
          boostDocument: (id) => (isAllowed(id as string) ? 1 : 0),
          filter: (r) => isKept(r.id as string),
        });
        const engine = new QueryEngine(live.reader()!);
        const matches = engine.run(plan, 'AND', (doc) => isAllowed(engine.idOf(doc)), isKept);
        expect(ranked(matches.slice(0, 1000))).toEqual(ranked(expected));
        if (expected.length > 0) withResults++;
      }
      expect(withResults).toBeGreaterThan(12);
    });

    it('answers a query of more distinct terms than one 32-bit mask tells apart', () => {
      const plan = words.slice(0, 40).map((w) => ({ main: spec(w), stems: [] }));
      const { expected, matches } = both(plan, 'OR');
      expect(expected.length).toBeGreaterThan(0);
      expect(ranked(matches.slice(0, 100_000))).toEqual(ranked(expected));
    });

    it('scores like MiniSearch after documents are replaced and removed, before and after compacting', async () => {
      const ms = new MiniSearch<IndexedDocument>(SEARCH_INDEX_OPTIONS);
      const index = LiveIndex.create();
      const docs = records.map((r) => toIndexedDocument(r, extractMentions(r.paragraphs)));
      for (const doc of docs) {
        ms.add(doc);
        index.add(doc);
      }
      runSteps(index.compactSteps());
      // Replace every 7th document (in the segment), remove every 11th, add a new one.
      for (let k = 0; k < docs.length; k += 7) {
        const changed = { ...docs[k]!, title: `${docs[k]!.title} flood response` };
        ms.discard(changed.id);
        ms.add(changed);
        index.remove(changed.id);
        index.add(changed);
      }
      for (let k = 3; k < docs.length; k += 11) {
        if (!ms.has(docs[k]!.id)) continue;
        ms.discard(docs[k]!.id);
        index.remove(docs[k]!.id);
      }
      await ms.vacuum();
      expect(index.size).toBe(ms.documentCount);
      const check = () => {
        for (const plan of [...plans(60), [{ main: spec('flood'), stems: [] }]]) {
          for (const combineWith of ['AND', 'OR'] as const) {
            const { expected, matches } = both(plan, combineWith, index, ms);
            expect(ranked(matches.slice(0, 100_000))).toEqual(ranked(expected));
          }
        }
      };
      check();
      // Compacting while a change arrives between its steps: the change is kept.
      const steps = index.compactSteps();
      steps.next();
      const late = docs.find((d) => index.has(d.id) && ms.has(d.id))!;
      ms.discard(late.id);
      index.remove(late.id);
      await ms.vacuum();
      runSteps(steps);
      expect(index.dead + index.pending).toBeLessThanOrEqual(1);
      runSteps(index.compactSteps());
      expect(index.segment()).not.toBeNull();
      check();
    });
  });
});

describe('sortedTerms', () => {
  it("finds the same typo matches and distances as MiniSearch's radix tree, for every term", async () => {
    const records = [...(await shippedDocuments()), ...syntheticRecords(300)];
    const terms = [
      ...new Set(records.flatMap((r) => textTerms(`${r.title} ${r.paragraphs.join(' ')}`))),
    ].sort();
    const tree = new SearchableMap<number>();
    for (const t of terms) tree.set(t, 1);
    let found = 0;
    for (const [k, query] of terms.entries()) {
      if (k % 3 !== 0) continue;
      const typo = `${query.slice(0, 1)}${query.slice(2)}x`;
      for (const distance of [1, 2, 3]) {
        const expected = [...tree.fuzzyGet(typo, distance)].map(([t, [, d]]) => [t, d]).sort();
        const actual = fuzzyMatches(terms, typo, distance).map(([t, d]) => [terms[t], d]);
        expect(actual).toEqual(expected);
        found += actual.length;
      }
    }
    expect(found).toBeGreaterThan(500);
  });

  it('finds the terms under a prefix, the prefix itself included', () => {
    const terms = ['a', 'ab', 'abc', 'abd', 'b', 'ba'];
    expect(prefixRange(terms, 'ab')).toEqual([1, 4]);
    expect(prefixRange(terms, 'b')).toEqual([4, 6]);
    expect(prefixRange(terms, 'c')).toEqual([6, 6]);
    expect(prefixRange(terms, '')).toEqual([0, 6]);
  });
});

describe('segments', () => {
  it('encode and decode to the same arrays, and refuse damaged bytes', () => {
    const records = syntheticRecords(200);
    const index = LiveIndex.create();
    for (const r of records) index.add(toIndexedDocument(r, []));
    runSteps(index.compactSteps());
    const segment = index.segment()!;
    const parts = encodeSegment(segment);
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    const decoded = decodeSegment(bytes);
    expect(decoded.ids).toEqual(segment.ids);
    expect(decoded.terms).toEqual(segment.terms);
    expect([...decoded.docs]).toEqual([...segment.docs]);
    expect([...decoded.tfs]).toEqual([...segment.tfs]);
    expect([...decoded.starts]).toEqual([...segment.starts]);
    expect([...decoded.fieldLengths]).toEqual([...segment.fieldLengths]);
    expect(() => decodeSegment(bytes.subarray(0, bytes.length - 100))).toThrow();
    expect(() => decodeSegment(new Uint8Array(16))).toThrow();
    // A posting naming a document the segment does not have (parts: header, ids, terms,
    // fieldLengths, starts, docs, tfs; each padded to 8 bytes after a table of their lengths).
    const table = new Float64Array(bytes.buffer, 0, 8);
    const padded = (n: number) => n + ((8 - (n % 8)) % 8);
    const docsAt = 64 + [1, 2, 3, 4, 5].reduce((sum, k) => sum + padded(table[k]!), 0);
    const damaged = bytes.slice();
    damaged.set([0xff, 0xff, 0xff, 0xff], docsAt);
    expect(() => decodeSegment(damaged)).toThrow('unknown document');
  });
});
