/**
 * The index the library searches: frozen segments (typed arrays, see segment.ts) in front of a
 * small MiniSearch index holding the documents added since, with MiniSearch's own statistics kept
 * for the whole, so that {@link QueryEngine} scores every document exactly as one MiniSearch index
 * holding them all would.
 *
 * - Adding a document indexes it in the small MiniSearch index (MiniSearch tokenizes and counts).
 * - Removing one marks it dead in its segment (skipped while scoring, its documents no longer
 *   counted) or removes it from the small index.
 * - {@link LiveIndex.compactSteps} freezes the small index and merges everything into one segment,
 *   dropping the dead; stepwise, so the caller can keep answering in between.
 *
 * Documents are numbered across the parts: segment after segment, then the small index's short ids.
 * Numbers change when the index is compacted ({@link LiveIndex.generation} tells).
 */
import MiniSearch from 'minisearch';
import type { PostingPart, IndexReader, TermPostings } from './engine.js';
import {
  readInternals,
  type FieldPostings,
  type MiniSearchInternals,
  type ScoringOptions,
} from './miniSearchInternals.js';
import { SEARCH_INDEX_OPTIONS, type IndexedDocument } from './options.js';
import { emptySegment, freezeIndex, mergeSegments, type Segment } from './segment.js';
import { findTerm, fuzzyMatches, prefixRange } from './sortedTerms.js';

/** MiniSearch's statistics over every live document, kept as MiniSearch updates them. */
export interface IndexStats {
  readonly documentCount: number;
  readonly avgFieldLength: readonly number[];
}

interface Part {
  readonly segment: Segment;
  /** Document number (in the segment) → 1 when removed. */
  readonly dead: Uint8Array;
  /** First global number of this part. */
  readonly offset: number;
  deadCount: number;
}

const FIELD_COUNT = SEARCH_INDEX_OPTIONS.fields.length;

/** See the file comment. */
export class LiveIndex {
  private parts: Part[] = [];
  private delta = newDelta();
  private readonly deltaDocuments = new Map<string, IndexedDocument>();
  /** Global number of every live document in a segment. */
  private readonly inSegments = new Map<string, number>();
  private documentCount = 0;
  private readonly avgFieldLength: number[] = new Array<number>(FIELD_COUNT).fill(0);
  private compacting = false;
  private generationCount = 0;

  private constructor(segment: Segment, stats: IndexStats) {
    this.setParts([segment]);
    this.documentCount = stats.documentCount;
    stats.avgFieldLength.forEach((v, f) => (this.avgFieldLength[f] = v));
  }

  /** An empty index. */
  static create(): LiveIndex {
    return new LiveIndex(emptySegment(FIELD_COUNT), { documentCount: 0, avgFieldLength: [] });
  }

  /** An index over a segment and the statistics saved with it. Throws when they disagree. */
  static fromSegment(segment: Segment, stats: IndexStats): LiveIndex {
    if (segment.fieldCount !== FIELD_COUNT || stats.avgFieldLength.length !== FIELD_COUNT) {
      throw new Error('segment of other fields');
    }
    if (stats.documentCount !== segment.ids.length) throw new Error('segment statistics do not match it');
    return new LiveIndex(segment, stats);
  }

  /** Changes whenever document numbers do (after a compaction). */
  get generation(): number {
    return this.generationCount;
  }

  get size(): number {
    return this.documentCount;
  }

  /** Live documents added since the last compaction (kept in the small MiniSearch index). */
  get pending(): number {
    return this.deltaDocuments.size;
  }

  /** Removed documents still in a segment (skipped until the next compaction). */
  get dead(): number {
    return this.parts.reduce((n, p) => n + p.deadCount, 0);
  }

  has(id: string): boolean {
    return this.inSegments.has(id) || this.deltaDocuments.has(id);
  }

  /** The statistics to save with {@link segment} (only meaningful right after a compaction). */
  stats(): IndexStats {
    return { documentCount: this.documentCount, avgFieldLength: [...this.avgFieldLength] };
  }

  /** The one segment, when the index is compacted (nothing pending, nothing dead); else null. */
  segment(): Segment | null {
    return this.parts.length === 1 && this.pending === 0 && this.dead === 0 ? this.parts[0]!.segment : null;
  }

  /** Adds a document whose id is new. */
  add(document: IndexedDocument): void {
    if (this.has(document.id)) throw new Error(`LiveIndex: duplicate id "${document.id}"`);
    const internals = this.deltaInternals();
    const count = this.documentCount;
    this.delta.add(document);
    this.deltaDocuments.set(document.id, document);
    const lengths = internals.fieldLength.get(internals.nextId - 1) ?? [];
    // MiniSearch's addFieldLength, over every document.
    for (let f = 0; f < FIELD_COUNT; f++) {
      this.avgFieldLength[f] = (this.avgFieldLength[f]! * count + (lengths[f] ?? 0)) / (count + 1);
    }
    this.documentCount = count + 1;
  }

  /** Removes a document; false when there is none with this id. */
  remove(id: string): boolean {
    let lengths: number[];
    const inDelta = this.deltaDocuments.get(id);
    if (inDelta) {
      const internals = this.deltaInternals();
      const shortId = [...internals.documentIds].find(([, v]) => v === id)?.[0];
      lengths = [...(shortId === undefined ? [] : (internals.fieldLength.get(shortId) ?? []))];
      this.delta.remove(inDelta);
      this.deltaDocuments.delete(id);
    } else {
      const global = this.inSegments.get(id);
      if (global === undefined) return false;
      const part = partOf(this.parts, global);
      const doc = global - part.offset;
      part.dead[doc] = 1;
      part.deadCount++;
      this.inSegments.delete(id);
      lengths = Array.from(part.segment.fieldLengths.subarray(doc * FIELD_COUNT, (doc + 1) * FIELD_COUNT));
    }
    // MiniSearch's removeFieldLength, over every document.
    const count = this.documentCount;
    for (let f = 0; f < FIELD_COUNT; f++) {
      this.avgFieldLength[f] =
        count === 1 ? 0 : (this.avgFieldLength[f]! * count - (lengths[f] ?? 0)) / (count - 1);
    }
    this.documentCount = count - 1;
    return true;
  }

  /**
   * Freezes the documents added since into a segment and merges all segments into one, without the
   * removed documents. A generator: each step is a few milliseconds of work, and the index answers
   * (and takes changes) between steps. Compacting an index being compacted does nothing.
   */
  *compactSteps(): Generator<void, void> {
    if (this.compacting || (this.parts.length === 1 && this.pending === 0 && this.dead === 0)) return;
    this.compacting = true;
    try {
      if (this.pending > 0) {
        const frozen = freezeIndex(this.deltaInternals());
        this.delta = newDelta();
        this.deltaDocuments.clear();
        this.setParts([...this.parts.map((p) => p.segment), frozen], this.parts);
        yield;
      }
      while (this.parts.length > 1 || this.dead > 0) {
        const [first, second] = this.parts;
        const deadAtStart = [first!.dead.slice(), second?.dead.slice()];
        const merged: Segment = yield* mergeSegments(
          first!.segment,
          deadAtStart[0]!,
          second?.segment ?? emptySegment(FIELD_COUNT),
          deadAtStart[1] ?? null,
        );
        // Documents removed while merging are still in `merged`: mark them there.
        const removedMeanwhile: string[] = [];
        for (const [k, part] of [first, second].entries()) {
          if (!part) continue;
          for (let d = 0; d < part.dead.length; d++) {
            if (part.dead[d] && !deadAtStart[k]![d]) removedMeanwhile.push(part.segment.ids[d]!);
          }
        }
        const rest = this.parts.slice(second ? 2 : 1);
        // The remaining parts keep their marks (same segments, same positions after the first).
        this.setParts([merged, ...rest.map((p) => p.segment)], [undefined, ...rest]);
        if (removedMeanwhile.length > 0) {
          const where = new Map(merged.ids.map((id, d) => [id, d]));
          const part = this.parts[0]!;
          for (const id of removedMeanwhile) {
            const d = where.get(id)!;
            part.dead[d] = 1;
            part.deadCount++;
            this.inSegments.delete(id);
          }
        }
        yield;
      }
    } finally {
      this.compacting = false;
    }
  }

  /**
   * A reader for {@link QueryEngine} over every part, or null when the small index's internals
   * cannot be read (another MiniSearch version: the caller then needs MiniSearch's own search).
   */
  reader(): IndexReader | null {
    const delta = readInternals(this.delta);
    if (!delta) return null;
    return new LiveReader(this.parts, delta, this.documentCount, this.avgFieldLength);
  }

  /** Replaces the parts (keeping `dead` marks of `previous` parts given in the same order). */
  private setParts(segments: Segment[], previous: ReadonlyArray<Part | undefined> = []): void {
    let offset = 0;
    this.parts = segments.map((segment, k) => {
      const old = previous[k];
      const part: Part =
        old && old.segment === segment
          ? { segment, dead: old.dead, deadCount: old.deadCount, offset }
          : { segment, dead: new Uint8Array(segment.ids.length), deadCount: 0, offset };
      offset += segment.ids.length;
      return part;
    });
    this.inSegments.clear();
    for (const part of this.parts) {
      const { ids } = part.segment;
      for (let d = 0; d < ids.length; d++) if (!part.dead[d]) this.inSegments.set(ids[d]!, part.offset + d);
    }
    this.generationCount++;
  }

  private deltaInternals(): MiniSearchInternals {
    const internals = readInternals(this.delta);
    if (!internals) throw new Error('LiveIndex: the MiniSearch internals cannot be read');
    return internals;
  }
}

/** The part holding global document number `doc` (parts are in number order). */
function partOf(parts: readonly Part[], doc: number): Part {
  for (let k = parts.length - 1; k >= 0; k--) if (doc >= parts[k]!.offset) return parts[k]!;
  throw new Error('LiveIndex: no part holds this document');
}

function newDelta(): MiniSearch<IndexedDocument> {
  // Removals use remove(document), which leaves nothing to vacuum.
  return new MiniSearch<IndexedDocument>({ ...SEARCH_INDEX_OPTIONS, autoVacuum: false });
}

/** The engine's view of a {@link LiveIndex} at one moment. */
class LiveReader implements IndexReader {
  readonly fieldIds: Readonly<Record<string, number>>;
  readonly scoring: ScoringOptions;
  readonly nextId: number;
  private readonly deltaOffset: number;

  constructor(
    private readonly parts: readonly Part[],
    private readonly delta: MiniSearchInternals,
    readonly documentCount: number,
    readonly avgFieldLength: readonly number[],
  ) {
    this.fieldIds = delta.fieldIds;
    this.scoring = delta.scoring;
    const last = parts[parts.length - 1];
    this.deltaOffset = last ? last.offset + last.segment.ids.length : 0;
    this.nextId = this.deltaOffset + delta.nextId;
  }

  fieldLength(doc: number, fieldId: number): number {
    if (doc >= this.deltaOffset) return this.delta.fieldLength.get(doc - this.deltaOffset)?.[fieldId] ?? 0;
    const part = partOf(this.parts, doc);
    return part.segment.fieldLengths[(doc - part.offset) * FIELD_COUNT + fieldId]!;
  }

  idOf(doc: number): string {
    if (doc >= this.deltaOffset) return this.delta.documentIds.get(doc - this.deltaOffset) as string;
    const part = partOf(this.parts, doc);
    return part.segment.ids[doc - part.offset]!;
  }

  isIndexed(term: string): boolean {
    return this.parts.some((p) => findTerm(p.segment.terms, term) >= 0) || this.delta.tree.has(term);
  }

  exact(term: string): TermPostings | null {
    const found = this.collect(
      term,
      this.parts.map((p) => findTerm(p.segment.terms, term)),
      this.delta.tree.get(term),
    );
    return found;
  }

  prefix(prefix: string): TermPostings[] {
    const byTerm = new Map<string, { at: number[]; delta: FieldPostings | undefined }>();
    this.parts.forEach((p, k) => {
      const [from, to] = prefixRange(p.segment.terms, prefix);
      for (let t = from; t < to; t++) this.slot(byTerm, p.segment.terms[t]!).at[k] = t;
    });
    for (const [term, postings] of this.delta.tree.atPrefix(prefix)) this.slot(byTerm, term).delta = postings;
    return this.gather(byTerm);
  }

  fuzzy(term: string, maxDistance: number): Array<[TermPostings, number]> {
    const byTerm = new Map<string, { at: number[]; delta: FieldPostings | undefined }>();
    const distances = new Map<string, number>();
    this.parts.forEach((p, k) => {
      for (const [t, distance] of fuzzyMatches(p.segment.terms, term, maxDistance)) {
        const found = p.segment.terms[t]!;
        this.slot(byTerm, found).at[k] = t;
        distances.set(found, distance);
      }
    });
    for (const [found, [postings, distance]] of this.delta.tree.fuzzyGet(term, maxDistance)) {
      this.slot(byTerm, found).delta = postings;
      distances.set(found, distance);
    }
    return this.gather(byTerm).map((p) => [p, distances.get(p.term)!]);
  }

  private slot(map: Map<string, { at: number[]; delta: FieldPostings | undefined }>, term: string) {
    let slot = map.get(term);
    if (!slot) map.set(term, (slot = { at: this.parts.map(() => -1), delta: undefined }));
    return slot;
  }

  /** Terms in string order (the segments' order), with their postings in every part. */
  private gather(map: Map<string, { at: number[]; delta: FieldPostings | undefined }>): TermPostings[] {
    const out: TermPostings[] = [];
    for (const term of [...map.keys()].sort()) {
      const slot = map.get(term)!;
      const found = this.collect(term, slot.at, slot.delta);
      if (found) out.push(found);
    }
    return out;
  }

  private collect(
    term: string,
    at: readonly number[],
    delta: FieldPostings | undefined,
  ): TermPostings | null {
    const fields: PostingPart[][] = [];
    const df: number[] = [];
    let any = false;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const list: PostingPart[] = [];
      let count = 0;
      this.parts.forEach((p, k) => {
        const t = at[k]!;
        if (t < 0) return;
        const from = p.segment.starts[t * FIELD_COUNT + f]!;
        const to = p.segment.starts[t * FIELD_COUNT + f + 1]!;
        if (from === to) return;
        let live = to - from;
        if (p.deadCount > 0) for (let i = from; i < to; i++) live -= p.dead[p.segment.docs[i]!]!;
        if (live === 0) return;
        count += live;
        list.push({
          docs: p.segment.docs,
          tfs: p.segment.tfs,
          from,
          to,
          dead: p.deadCount > 0 ? p.dead : null,
          offset: p.offset,
        });
      });
      const map = delta?.get(f);
      if (map && map.size > 0) {
        count += map.size;
        list.push({ map, offset: this.deltaOffset });
      }
      if (count > 0) any = true;
      fields.push(list);
      df.push(count);
    }
    return any ? { term, df, fields } : null;
  }
}
