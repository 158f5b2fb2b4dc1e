/**
 * A faster way to run our queries over a MiniSearch 7 index, with MiniSearch's exact scores.
 *
 * MiniSearch's `search()` builds a result object (score, terms, match) per matching document per
 * query term, merges them in Maps, then wraps, filters and sorts every match, although a search
 * shows one page of 10. On 100k documents a common word matches most of them, and that garbage is
 * most of the time (and the GC pauses) of a search. This runs the same query plan over the same
 * term tree with flat arrays indexed by MiniSearch's short document ids: scores are summed in the
 * same order with the same formulas (so they are the same numbers, and ties keep MiniSearch's
 * order), an AND query only scores documents every earlier word matched (the most selective
 * word goes first), and only the page's documents become objects.
 *
 * It reads MiniSearch's internals through miniSearchInternals.ts (not public API, trusted only for
 * the pinned version): {@link QueryEngine.open} returns null when they cannot be read or do not
 * look as expected, when the index holds discarded documents not yet vacuumed (MiniSearch cleans
 * those lazily while it scores), or when a query is too wide for it; the caller then uses
 * MiniSearch's own `search()`, which gives the same answers, more slowly.
 */
import type MiniSearch from 'minisearch';
import { readInternals, type FieldPostings, type MiniSearchInternals } from './miniSearchInternals.js';

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
 * One word of the query: its spec, OR the alternative stems (themselves OR-ed), in this nesting:
 * `main OR (stem1 OR stem2 ...)`, as `SearchIndex` builds it for MiniSearch.
 */
export interface TermQuery {
  readonly main: TermSpec;
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

/** Query terms are told apart by one bit each. */
const MAX_SOURCE_TERMS = 31;
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

  private constructor(private readonly ms: MiniSearchInternals) {
    const { fields, boost, weights, bm25 } = ms.scoring;
    this.boosts = fields.map((field) => [ms.fieldIds[field]!, boost?.[field] || 1]);
    this.prefixWeight = weights.prefix;
    this.fuzzyWeight = weights.fuzzy;
    this.bm25 = bm25;
  }

  /**
   * The engine for this index, or null when its internals may not or cannot be read (another
   * MiniSearch version, an unexpected shape) or the index is unclean.
   */
  static open(index: MiniSearch<never> | MiniSearch<object>): QueryEngine | null {
    const internals = readInternals(index);
    return internals ? new QueryEngine(internals) : null;
  }

  /**
   * The documents matching every (AND) or any (OR) of `queries` that `isAllowed` lets through
   * (asked with the short id, see {@link idOf}, once per document while scoring: for cheap
   * checks) and `isKept` keeps (asked once per matching document after scoring: for costly checks
   * such as phrases), or null when the query has too many distinct terms for this engine. With
   * `sortKey` (asked once per matching document, with the short id), matches rank by that key,
   * highest first, then by score: e.g. newest first.
   */
  run(
    queries: readonly TermQuery[],
    combineWith: 'AND' | 'OR',
    isAllowed: ((doc: number) => boolean) | null,
    isKept: ((id: string) => boolean) | null = null,
    sortKey: ((doc: number) => number) | null = null,
  ): Matches | null {
    const sources: string[] = [];
    const bitOf = (term: string): number => {
      let at = sources.indexOf(term);
      if (at < 0) at = sources.push(term) - 1;
      return 1 << at;
    };
    for (const q of queries) for (const spec of [q.main, ...q.stems]) bitOf(spec.term);
    if (sources.length > MAX_SOURCE_TERMS) return null;

    const size = this.ms.nextId;
    const ids = this.ms.documentIds;
    // Per query: which query terms matched each document, and the filter's verdict (0 unknown).
    const masks = new Uint32Array(size);
    let allowed: ((doc: number) => boolean) | null = null;
    if (isAllowed) {
      const verdict = new Uint8Array(size);
      allowed = (doc) => {
        let v = verdict[doc]!;
        if (v === 0) verdict[doc] = v = isAllowed(doc) ? 1 : 2;
        return v === 1;
      };
    }
    const derived = new Map<string, FieldPostings>();
    const runQuery = (q: TermQuery, candidates: Float64Array | null): Scored => {
      const main = this.runSpec(q.main, bitOf(q.main.term), masks, allowed, candidates, derived);
      if (q.stems.length === 0) return main;
      let stems: Scored | null = null;
      for (const spec of q.stems) {
        const scored = this.runSpec(spec, bitOf(spec.term), masks, allowed, candidates, derived);
        stems = stems ? orInto(stems, scored) : scored;
      }
      return orInto(main, stems!);
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

    if (isKept) finalDocs = finalDocs.filter((doc) => isKept(ids.get(doc) as string));
    const count = finalDocs.length;
    const scores = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const doc = finalDocs[k]!;
      // MiniSearch: score × number of distinct query terms matched.
      scores[k] = finalScore(doc) * (popcount(masks[doc]!) || 1);
    }
    const resultOf = (k: number): EngineResult => {
      const doc = finalDocs[k]!;
      const terms: string[] = [];
      for (const [term, postings] of derived) {
        for (const docs of postings.values()) {
          if (docs.has(doc)) {
            terms.push(term);
            break;
          }
        }
      }
      const queryTerms = sources.filter((_, bit) => (masks[doc]! & (1 << bit)) !== 0);
      return { id: ids.get(doc) as string, score: scores[k]!, terms, queryTerms };
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
        return topPositions(scores, count, byRank).map((k) => ids.get(finalDocs[k]!) as string);
      },
    };
  }

  /**
   * The document id of a short id. A short id names one version of a document for the life of
   * the index (MiniSearch gives a replaced document a new one and never reuses them), so facts
   * cached by short id never go stale.
   */
  idOf(doc: number): string {
    return this.ms.documentIds.get(doc) as string;
  }

  /** Documents a word's exact term is in; prefix and fuzzy words go last (their expansions vary). */
  private estimate(q: TermQuery): number {
    if (q.main.prefix || q.main.fuzzy > 0 || q.stems.length > 0) return Number.MAX_SAFE_INTEGER;
    let df = 0;
    for (const docs of this.ms.tree.get(q.main.term)?.values() ?? []) df += docs.size;
    return df;
  }

  /** MiniSearch's executeQuerySpec over arrays. */
  private runSpec(
    spec: TermSpec,
    bit: number,
    masks: Uint32Array,
    allowed: ((doc: number) => boolean) | null,
    candidates: Float64Array | null,
    derived: Map<string, FieldPostings>,
  ): Scored {
    const ms = this.ms;
    const { tree, fieldLength: fieldLengths, avgFieldLength: avgFieldLengths } = ms;
    const values = new Float64Array(ms.nextId);
    const docs: number[] = [];
    const { k, b, d } = this.bm25;
    const total = ms.documentCount;
    const add = (term: string, postings: FieldPostings, weight: number) => {
      derived.set(term, postings);
      for (const [fieldId, fieldBoost] of this.boosts) {
        const freqs = postings.get(fieldId);
        if (freqs === undefined) continue;
        const matching = freqs.size;
        const avgFieldLength = avgFieldLengths[fieldId]!;
        const invDocFreq = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
        // MiniSearch multiplies termWeight * termBoost * fieldBoost * docBoost(1) * bm25, in order.
        const factor = weight * spec.boost * fieldBoost;
        for (const [doc, termFreq] of freqs) {
          if (candidates !== null && !(candidates[doc]! > 0)) continue;
          if (allowed !== null && !allowed(doc)) continue;
          const fieldLength = fieldLengths.get(doc)![fieldId]!;
          const raw =
            invDocFreq *
            (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * fieldLength) / avgFieldLength)));
          if (values[doc] === 0) docs.push(doc);
          values[doc] = values[doc]! + factor * raw;
          masks[doc] = masks[doc]! | bit;
        }
      }
    };
    const exact = tree.get(spec.term);
    if (exact) add(spec.term, exact, 1);
    const fuzzy = spec.fuzzy > 0 ? tree.fuzzyGet(spec.term, spec.fuzzy) : undefined;
    if (spec.prefix) {
      for (const [term, postings] of tree.atPrefix(spec.term)) {
        const distance = term.length - spec.term.length;
        if (!distance) continue;
        fuzzy?.delete(term);
        add(term, postings, (this.prefixWeight * term.length) / (term.length + 0.3 * distance));
      }
    }
    if (fuzzy) {
      for (const [term, [postings, distance]] of fuzzy) {
        if (!distance) continue;
        add(term, postings, (this.fuzzyWeight * term.length) / (term.length + distance));
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
