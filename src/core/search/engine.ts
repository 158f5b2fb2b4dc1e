/**
 * Runs our queries over an {@link IndexReader} (a LiveIndex: frozen segments plus a small
 * MiniSearch index) with MiniSearch's exact scores.
 *
 * MiniSearch's `search()` builds a result object (score, terms, match) per matching document per
 * query term, merges them in Maps, then wraps, filters and sorts every match, although a search
 * shows one page of 10. On 100k documents a common word matches most of them, and that garbage is
 * most of the time (and the GC pauses) of a search. This runs the same query plan over the same
 * postings with flat arrays indexed by document number: scores are summed with the same formulas
 * in the same order, an AND query only scores documents every earlier word matched (the most
 * selective word goes first), and only the page's documents become objects. One difference:
 * prefix and typo expansions are visited in string order, where MiniSearch visits its radix tree's
 * insertion order, so a document matched by several expansions may differ in a score's last bits,
 * and documents of equal score may come in another order (bench/equality.test.ts bounds both).
 */
import type { ScoringOptions } from './miniSearchInternals.js';
/** One word of a query as MiniSearch runs it (a query spec). */
export interface TermSpec {
  readonly term: string;
  readonly prefix: boolean;
  /** Edit distance (0: none). */
  readonly fuzzy: number;
  /** Term boost (MiniSearch's `boostTerm`), 1 normally. */
  readonly boost: number;
}

/**
 * One word of the query: its spec, OR the word analysed in the index's other languages, OR the
 * alternative stems (each group OR-ed), in this nesting: `main OR (alt1 OR alt2 ...) OR (stem1 OR
 * stem2 ...)`, as `SearchIndex` builds it for MiniSearch.
 */
export interface TermQuery {
  readonly main: TermSpec;
  readonly alternatives?: readonly TermSpec[];
  readonly stems: readonly TermSpec[];
}

/** A matching document as the page needs it, like MiniSearch's SearchResult. */
export interface EngineResult {
  readonly id: string;
  readonly score: number;
  /** Index terms that matched in the document (prefix and fuzzy expansions included). */
  readonly terms: string[];
  /** Query terms that matched. */
  readonly queryTerms: string[];
}

/** The matches of one query: count, a page, or all ids, best first. */
export interface Matches {
  readonly total: number;
  /** Results `start` to `end` (0-based, end excluded) in rank order. */
  slice(start: number, end: number): EngineResult[];
  /** Every id in rank order. */
  ids(): string[];
}

/**
 * Postings of one term in one field, in one part of the index: a range of a segment's arrays
 * (skipping `dead` documents) or a small MiniSearch index's Map; document numbers are the part's
 * plus `offset`.
 */
export type PostingPart =
  | {
      readonly docs: Uint32Array;
      readonly tfs: Uint8Array | Uint16Array;
      readonly from: number;
      readonly to: number;
      readonly dead: Uint8Array | null;
      readonly offset: number;
    }
  | { readonly map: ReadonlyMap<number, number>; readonly offset: number };

/** A term's postings in every field (by field id), with its live document count per field. */
export interface TermPostings {
  readonly term: string;
  readonly df: readonly number[];
  readonly fields: ReadonlyArray<readonly PostingPart[]>;
}

/** What the engine reads: statistics and postings over documents numbered 0..nextId-1. */
export interface IndexReader {
  readonly fieldIds: Readonly<Record<string, number>>;
  readonly scoring: ScoringOptions;
  readonly documentCount: number;
  readonly avgFieldLength: readonly number[];
  /** One more than the highest document number. */
  readonly nextId: number;
  fieldLength(doc: number, fieldId: number): number;
  idOf(doc: number): string;
  /** Whether any live document has the term. */
  isIndexed(term: string): boolean;
  exact(term: string): TermPostings | null;
  /** Terms starting with `prefix` (itself included), in string order. */
  prefix(prefix: string): TermPostings[];
  /** Terms within `maxDistance` edits, in string order, with their distance. */
  fuzzy(term: string, maxDistance: number): Array<[TermPostings, number]>;
}

/** Whether a document is among the postings of a term (any field). */
export function hasDocument(postings: TermPostings, doc: number): boolean {
  for (const parts of postings.fields) {
    for (const part of parts) {
      if ('map' in part) {
        if (part.map.has(doc - part.offset)) return true;
        continue;
      }
      const local = doc - part.offset;
      if (local < 0 || (part.dead !== null && part.dead[local])) continue;
      let lo = part.from;
      let hi = part.to;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (part.docs[mid]! < local) lo = mid + 1;
        else hi = mid;
      }
      if (lo < part.to && part.docs[lo] === local) return true;
    }
  }
  return false;
}

/** Beyond this many results wanted, sorting everything is as cheap as keeping a top list. */
const MAX_TOP = 500;

/** Scores of one (sub)query: score per short id (0 = no match) and the ids in first-match order. */
interface Scored {
  readonly values: Float64Array;
  readonly docs: number[];
}

/** Runs {@link TermQuery} lists over one MiniSearch index; see the file comment. */
export class QueryEngine {
  private readonly boosts: Array<[fieldId: number, boost: number]>;
  private readonly prefixWeight: number;
  private readonly fuzzyWeight: number;
  private readonly bm25: { k: number; b: number; d: number };

  constructor(private readonly ms: IndexReader) {
    const { fields, boost, weights, bm25 } = ms.scoring;
    this.boosts = fields.map((field) => [ms.fieldIds[field]!, boost?.[field] || 1]);
    this.prefixWeight = weights.prefix;
    this.fuzzyWeight = weights.fuzzy;
    this.bm25 = bm25;
  }

  /**
   * The documents matching every (AND) or any (OR) of `queries` that `isAllowed` lets through
   * (asked with the short id, see {@link idOf}, once per document while scoring: for cheap
   * checks) and `isKept` keeps (asked once per matching document after scoring: for costly checks
   * such as phrases). With
   * `sortKey` (asked once per matching document, with the short id), matches rank by that key,
   * highest first, then by score: e.g. newest first.
   */
  run(
    queries: readonly TermQuery[],
    combineWith: 'AND' | 'OR',
    isAllowed: ((doc: number) => boolean) | null,
    isKept: ((id: string) => boolean) | null = null,
    sortKey: ((doc: number) => number) | null = null,
  ): Matches {
    const sources: string[] = [];
    const bitOf = (term: string): number => {
      let at = sources.indexOf(term);
      if (at < 0) at = sources.push(term) - 1;
      return at;
    };
    for (const q of queries)
      for (const spec of [q.main, ...(q.alternatives ?? []), ...q.stems]) bitOf(spec.term);

    const size = this.ms.nextId;
    const reader = this.ms;
    // Per query: which query terms matched each document, and the filter's verdict (0 unknown).
    const masks = new TermMasks(size, sources.length);
    let allowed: ((doc: number) => boolean) | null = null;
    if (isAllowed) {
      const verdict = new Uint8Array(size);
      allowed = (doc) => {
        let v = verdict[doc]!;
        if (v === 0) verdict[doc] = v = isAllowed(doc) ? 1 : 2;
        return v === 1;
      };
    }
    const derived = new Map<string, TermPostings>();
    const runQuery = (q: TermQuery, candidates: Float64Array | null): Scored => {
      // A term the word has in another language is matched exactly below: not also as a typo or
      // prefix of the main form, so an analysed match scores exactly like a typed one.
      const exactElsewhere = q.alternatives?.length ? new Set(q.alternatives.map((a) => a.term)) : null;
      const main = this.runSpec(
        q.main,
        bitOf(q.main.term),
        masks,
        allowed,
        candidates,
        derived,
        exactElsewhere,
      );
      let acc = main;
      // An index in many languages gives a word many forms, most of them in no document: each
      // spec scored costs an array over every document, so only the forms indexed are scored.
      const alternatives = (q.alternatives ?? []).filter((spec) => reader.isIndexed(spec.term));
      for (const group of [alternatives, q.stems]) {
        let or: Scored | null = null;
        for (const spec of group) {
          const scored = this.runSpec(spec, bitOf(spec.term), masks, allowed, candidates, derived);
          or = or ? orInto(or, scored) : scored;
        }
        if (or) acc = orInto(acc, or);
      }
      return acc;
    };

    let finalDocs: number[];
    let finalScore: (doc: number) => number;
    if (combineWith === 'OR' || queries.length === 1) {
      let acc: Scored | null = null;
      for (const q of queries) {
        const scored = runQuery(q, null);
        acc = acc ? orInto(acc, scored) : scored;
      }
      finalDocs = acc!.docs;
      const values = acc!.values;
      finalScore = (doc) => values[doc]!;
    } else {
      // The word with the fewest documents first; each next word only scores what is left. Sums
      // are still taken in query order below, so the scores are MiniSearch's to the last bit.
      const order = queries.map((q, i) => ({ i, cost: this.estimate(q) }));
      order.sort((a, b) => a.cost - b.cost || a.i - b.i);
      const scored: Scored[] = new Array<Scored>(queries.length);
      let candidates: Float64Array | null = null;
      for (const { i } of order) {
        const s = runQuery(queries[i]!, candidates);
        scored[i] = s;
        candidates = s.values;
        if (s.docs.length === 0) break;
      }
      const survivors = candidates!;
      const last = scored[queries.length - 1];
      finalDocs = last ? last.docs.filter((doc) => survivors[doc]! > 0) : [];
      finalScore = (doc) => {
        let sum = scored[0]!.values[doc]!;
        for (let k = 1; k < scored.length; k++) sum = sum + scored[k]!.values[doc]!;
        return sum;
      };
    }

    if (isKept) finalDocs = finalDocs.filter((doc) => isKept(reader.idOf(doc)));
    const count = finalDocs.length;
    const scores = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const doc = finalDocs[k]!;
      // MiniSearch: score × number of distinct query terms matched.
      scores[k] = finalScore(doc) * (masks.count(doc) || 1);
    }
    const resultOf = (k: number): EngineResult => {
      const doc = finalDocs[k]!;
      const terms: string[] = [];
      for (const [term, postings] of derived) if (hasDocument(postings, doc)) terms.push(term);
      const queryTerms = sources.filter((_, bit) => masks.has(doc, bit));
      return { id: reader.idOf(doc), score: scores[k]!, terms, queryTerms };
    };
    // Rank order: score, then MiniSearch's match order (its sort is stable); the sort key first.
    const byScore = (a: number, b: number) => scores[b]! - scores[a]! || a - b;
    let byRank = byScore;
    if (sortKey) {
      const keys = new Float64Array(count);
      for (let k = 0; k < count; k++) keys[k] = sortKey(finalDocs[k]!);
      byRank = (a, b) => (keys[b]! > keys[a]! ? 1 : keys[b]! < keys[a]! ? -1 : byScore(a, b));
    }
    return {
      total: count,
      slice(start, end) {
        end = Math.min(end, count);
        if (start >= end) return [];
        return topPositions(scores, end, byRank)
          .slice(start, end)
          .map((k) => resultOf(k));
      },
      ids() {
        return topPositions(scores, count, byRank).map((k) => reader.idOf(finalDocs[k]!));
      },
    };
  }

  /**
   * The document id of a short id. A short id names one version of a document for the life of
   * the index (MiniSearch gives a replaced document a new one and never reuses them), so facts
   * cached by short id never go stale.
   */
  idOf(doc: number): string {
    return this.ms.idOf(doc);
  }

  /** Documents a word's exact term is in; prefix and fuzzy words go last (their expansions vary). */
  private estimate(q: TermQuery): number {
    if (q.main.prefix || q.main.fuzzy > 0 || q.stems.length > 0) return Number.MAX_SAFE_INTEGER;
    let df = 0;
    for (const spec of [q.main, ...(q.alternatives ?? [])])
      for (const n of this.ms.exact(spec.term)?.df ?? []) df += n;
    return df;
  }

  /** MiniSearch's executeQuerySpec over arrays. */
  private runSpec(
    spec: TermSpec,
    bit: number,
    masks: TermMasks,
    allowed: ((doc: number) => boolean) | null,
    candidates: Float64Array | null,
    derived: Map<string, TermPostings>,
    skip: ReadonlySet<string> | null = null,
  ): Scored {
    const ms = this.ms;
    const avgFieldLengths = ms.avgFieldLength;
    const values = new Float64Array(ms.nextId);
    const docs: number[] = [];
    const { k, b, d } = this.bm25;
    const total = ms.documentCount;
    const add = (postings: TermPostings, weight: number) => {
      derived.set(postings.term, postings);
      for (const [fieldId, fieldBoost] of this.boosts) {
        const parts = postings.fields[fieldId];
        const matching = postings.df[fieldId]!;
        if (parts === undefined || matching === 0) continue;
        const avgFieldLength = avgFieldLengths[fieldId]!;
        const invDocFreq = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
        // MiniSearch multiplies termWeight * termBoost * fieldBoost * docBoost(1) * bm25, in order.
        const factor = weight * spec.boost * fieldBoost;
        const score = (doc: number, termFreq: number) => {
          if (candidates !== null && !(candidates[doc]! > 0)) return;
          if (allowed !== null && !allowed(doc)) return;
          const fieldLength = ms.fieldLength(doc, fieldId);
          const raw =
            invDocFreq *
            (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * fieldLength) / avgFieldLength)));
          if (values[doc] === 0) docs.push(doc);
          values[doc] = values[doc]! + factor * raw;
          masks.set(doc, bit);
        };
        for (const part of parts) {
          if ('map' in part) {
            for (const [doc, termFreq] of part.map) score(doc + part.offset, termFreq);
            continue;
          }
          const { docs: ids, tfs, dead, offset } = part;
          for (let at = part.from; at < part.to; at++) {
            const local = ids[at]!;
            if (dead !== null && dead[local]) continue;
            score(local + offset, tfs[at]!);
          }
        }
      }
    };
    const exact = ms.exact(spec.term);
    if (exact) add(exact, 1);
    const fuzzy =
      spec.fuzzy > 0
        ? new Map(ms.fuzzy(spec.term, spec.fuzzy).map(([p, dist]) => [p.term, [p, dist] as const]))
        : undefined;
    if (spec.prefix) {
      for (const postings of ms.prefix(spec.term)) {
        const term = postings.term;
        const distance = term.length - spec.term.length;
        if (!distance || skip?.has(term)) continue;
        fuzzy?.delete(term);
        add(postings, (this.prefixWeight * term.length) / (term.length + 0.3 * distance));
      }
    }
    if (fuzzy) {
      for (const [term, [postings, distance]] of fuzzy) {
        if (!distance || skip?.has(term)) continue;
        add(postings, (this.fuzzyWeight * term.length) / (term.length + distance));
      }
    }
    return { values, docs };
  }
}

/** MiniSearch's OR: `a` gains `b`'s documents (appended) and scores; returns `a`. */
function orInto(a: Scored, b: Scored): Scored {
  for (const doc of b.docs) {
    const existing = a.values[doc]!;
    if (existing === 0) {
      a.docs.push(doc);
      a.values[doc] = b.values[doc]!;
    } else a.values[doc] = existing + b.values[doc]!;
  }
  return a;
}

/** Which query terms matched each document: one bit per term, in as many 32-bit words as needed. */
class TermMasks {
  private readonly words: number;
  private readonly bits: Uint32Array;

  constructor(size: number, terms: number) {
    this.words = Math.max(1, Math.ceil(terms / 32));
    this.bits = new Uint32Array(size * this.words);
  }

  set(doc: number, bit: number): void {
    const at = doc * this.words + (bit >>> 5);
    this.bits[at] = this.bits[at]! | (1 << (bit & 31));
  }

  has(doc: number, bit: number): boolean {
    return (this.bits[doc * this.words + (bit >>> 5)]! & (1 << (bit & 31))) !== 0;
  }

  /** How many distinct terms matched the document. */
  count(doc: number): number {
    let c = 0;
    for (let w = 0; w < this.words; w++) c += popcount(this.bits[doc * this.words + w]!);
    return c;
  }
}

function popcount(n: number): number {
  let c = 0;
  for (let v = n; v !== 0; v &= v - 1) c++;
  return c;
}

/** Positions 0..n-1 of the first `wanted` in `byRank` order, sorted. */
function topPositions(
  scores: Float64Array,
  wanted: number,
  byRank: (a: number, b: number) => number,
): number[] {
  const n = scores.length;
  if (wanted > MAX_TOP || wanted * 8 >= n) {
    const all = Array.from({ length: n }, (_, k) => k);
    return all.sort(byRank).slice(0, wanted);
  }
  // A sorted top list; a later position never beats an equal rank, so only strictly better enters.
  const top: number[] = [];
  for (let k = 0; k < n; k++) {
    if (top.length === wanted && byRank(k, top[wanted - 1]!) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byRank(top[mid]!, k) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, k);
    if (top.length > wanted) top.pop();
  }
  return top;
}
