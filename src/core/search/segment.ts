/**
 * A frozen MiniSearch index: the same postings (term → field → document → term frequency), field
 * lengths and ids, held in a few typed arrays instead of millions of Map entries. At 100,000
 * documents MiniSearch's Maps take ~650 MB of heap and seconds to rebuild from JSON; these arrays
 * take ~90 MB and load as they are stored (see {@link encodeSegment}).
 *
 * A segment is made from a clean MiniSearch index ({@link freezeIndex}: MiniSearch tokenizes and
 * counts, we only change the layout) and segments are merged ({@link mergeSegments}); they are
 * never changed in place. `liveIndex.ts` puts one in front of a small MiniSearch index for the
 * documents added since.
 */
import type { MiniSearchInternals } from './miniSearchInternals.js';

/** See the file comment. Documents are numbered 0..size-1 in the order they were added. */
export interface Segment {
  readonly fieldCount: number;
  /** Document number → document id. */
  readonly ids: readonly string[];
  /** Length (distinct terms, as MiniSearch counts) of field `f` of document `d` at `d * fieldCount + f`. */
  readonly fieldLengths: Uint32Array;
  /** Every term with at least one document, in JavaScript string order. */
  readonly terms: readonly string[];
  /**
   * Postings of term `t` in field `f` are `docs`/`tfs` from `starts[t * fieldCount + f]` to
   * `starts[t * fieldCount + f + 1]`, documents ascending.
   */
  readonly starts: Uint32Array;
  readonly docs: Uint32Array;
  /** One byte each when every frequency fits (the usual case), else two. */
  readonly tfs: TermFrequencies;
}

/** Term frequencies of the postings. */
export type TermFrequencies = Uint8Array | Uint16Array;

/** An empty segment. */
export function emptySegment(fieldCount: number): Segment {
  return {
    fieldCount,
    ids: [],
    fieldLengths: new Uint32Array(0),
    terms: [],
    starts: new Uint32Array(1),
    docs: new Uint32Array(0),
    tfs: new Uint8Array(0),
  };
}

const MAX_TF = 0xffff;

/**
 * The segment of a clean MiniSearch index (no discarded document waiting for a vacuum), its
 * documents in short-id order, which is the order they were added.
 */
export function freezeIndex(ms: MiniSearchInternals): Segment {
  const fieldCount = Object.keys(ms.fieldIds).length;
  const shortIds = [...ms.documentIds.keys()].sort((a, b) => a - b);
  const local = new Int32Array(ms.nextId).fill(-1);
  shortIds.forEach((shortId, doc) => (local[shortId] = doc));
  const ids = shortIds.map((shortId) => String(ms.documentIds.get(shortId)));
  const fieldLengths = new Uint32Array(shortIds.length * fieldCount);
  shortIds.forEach((shortId, doc) => {
    const lengths = ms.fieldLength.get(shortId) ?? [];
    for (let f = 0; f < fieldCount; f++) fieldLengths[doc * fieldCount + f] = lengths[f] ?? 0;
  });
  const entries: Array<[string, Map<number, Map<number, number>>]> = [];
  for (const [term, postings] of ms.tree as unknown as Iterable<[string, Map<number, Map<number, number>>]>) {
    let any = false;
    for (const docs of postings.values()) if (docs.size > 0) any = true;
    if (any) entries.push([term, postings]);
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const starts = new Uint32Array(entries.length * fieldCount + 1);
  let total = 0;
  entries.forEach(([, postings], t) => {
    for (let f = 0; f < fieldCount; f++) {
      starts[t * fieldCount + f] = total;
      total += postings.get(f)?.size ?? 0;
    }
  });
  starts[entries.length * fieldCount] = total;
  const docs = new Uint32Array(total);
  const tfs = new Uint16Array(total);
  entries.forEach(([, postings], t) => {
    for (let f = 0; f < fieldCount; f++) {
      const freqs = postings.get(f);
      if (!freqs) continue;
      const start = starts[t * fieldCount + f]!;
      let k = start;
      let sorted = true;
      for (const [shortId, tf] of freqs) {
        const doc = local[shortId]!;
        if (doc < 0) throw new Error(`freezeIndex: posting for a document that is not in the index`);
        if (k > start && docs[k - 1]! > doc) sorted = false;
        docs[k] = doc;
        tfs[k] = Math.min(tf, MAX_TF);
        k++;
      }
      if (!sorted) sortPostings(docs, tfs, start, k);
    }
  });
  return {
    fieldCount,
    ids,
    fieldLengths,
    terms: entries.map(([term]) => term),
    starts,
    docs,
    tfs: narrow(tfs),
  };
}

/** The frequencies in one byte each when they all fit. */
function narrow(tfs: Uint16Array): TermFrequencies {
  for (let k = 0; k < tfs.length; k++) if (tfs[k]! > 0xff) return tfs;
  return Uint8Array.from(tfs);
}

function sortPostings(docs: Uint32Array, tfs: Uint16Array, start: number, end: number): void {
  const order = Array.from({ length: end - start }, (_, k) => start + k).sort((a, b) => docs[a]! - docs[b]!);
  const d = order.map((k) => docs[k]!);
  const t = order.map((k) => tfs[k]!);
  docs.set(d, start);
  tfs.set(t, start);
}

/** Postings copied per step of {@link mergeSegments}: a few milliseconds of work. */
const MERGE_STEP = 1 << 18;

/**
 * `base` then `added`, without the documents marked in their `dropped` arrays (by number; null:
 * none), as one segment; terms left without documents go. A generator that yields every few
 * milliseconds of work, so an adapter can let other work run between steps (`runSteps` in src/core/steps.ts runs it
 * straight through); its return value is the merged segment.
 */
export function* mergeSegments(
  base: Segment,
  baseDropped: Uint8Array | null,
  added: Segment,
  addedDropped: Uint8Array | null,
): Generator<void, Segment> {
  const fieldCount = base.fieldCount;
  if (added.fieldCount !== fieldCount) throw new Error('mergeSegments: segments of other fields');
  const ids: string[] = [];
  const renumber = (segment: Segment, dropped: Uint8Array | null) => {
    const to = new Int32Array(segment.ids.length);
    for (let d = 0; d < segment.ids.length; d++) {
      to[d] = dropped?.[d] ? -1 : ids.push(segment.ids[d]!) - 1;
    }
    return to;
  };
  const renumbered = [renumber(base, baseDropped), renumber(added, addedDropped)] as const;
  const fieldLengths = new Uint32Array(ids.length * fieldCount);
  for (const [k, segment] of [base, added].entries()) {
    const to = renumbered[k]!;
    for (let d = 0; d < segment.ids.length; d++) {
      if (to[d]! < 0) continue;
      fieldLengths.set(
        segment.fieldLengths.subarray(d * fieldCount, (d + 1) * fieldCount),
        to[d]! * fieldCount,
      );
    }
  }
  yield;

  // Upper bound of the postings; trimmed at the end.
  const capacity = base.docs.length + added.docs.length;
  const docs = new Uint32Array(capacity);
  const tfs = new Uint16Array(capacity);
  const terms: string[] = [];
  const starts: number[] = [];
  let total = 0;
  let sinceYield = 0;
  const copy = (segment: Segment, to: Int32Array, t: number, f: number) => {
    const from = segment.starts[t * fieldCount + f]!;
    const end = segment.starts[t * fieldCount + f + 1]!;
    for (let k = from; k < end; k++) {
      const doc = to[segment.docs[k]!]!;
      if (doc < 0) continue;
      docs[total] = doc;
      tfs[total++] = segment.tfs[k]!;
    }
    sinceYield += end - from;
  };
  let a = 0;
  let b = 0;
  while (a < base.terms.length || b < added.terms.length) {
    const ta = base.terms[a];
    const tb = added.terms[b];
    const fromBase = ta !== undefined && (tb === undefined || ta <= tb);
    const fromAdded = tb !== undefined && (ta === undefined || tb <= ta);
    const termStart = total;
    const fieldStarts: number[] = [];
    for (let f = 0; f < fieldCount; f++) {
      fieldStarts.push(total);
      // Base documents are numbered before added ones, so each list stays ascending.
      if (fromBase) copy(base, renumbered[0], a, f);
      if (fromAdded) copy(added, renumbered[1], b, f);
    }
    if (total > termStart) {
      terms.push((fromBase ? ta : tb)!);
      for (const s of fieldStarts) starts.push(s);
    }
    if (fromBase) a++;
    if (fromAdded) b++;
    if (sinceYield >= MERGE_STEP) {
      sinceYield = 0;
      yield;
    }
  }
  starts.push(total);
  return {
    fieldCount,
    ids,
    fieldLengths,
    terms,
    starts: Uint32Array.from(starts),
    docs: docs.slice(0, total),
    tfs: narrow(tfs.subarray(0, total)),
  };
}

/** Byte sections of an encoded segment, in order (see {@link encodeSegment}). */
interface SegmentHeader {
  readonly fieldCount: number;
  readonly documents: number;
  readonly terms: number;
  readonly postings: number;
  /** Bytes per term frequency: 1 or 2. */
  readonly tfBytes: number;
}

/**
 * The segment as byte parts to write one after the other: a JSON header line, the ids and terms
 * as JSON, then the typed arrays as they are in memory, each padded to 8 bytes so that
 * {@link decodeSegment} can use the bytes read in place.
 */
export function encodeSegment(segment: Segment): Uint8Array[] {
  const encoder = new TextEncoder();
  const header: SegmentHeader = {
    fieldCount: segment.fieldCount,
    documents: segment.ids.length,
    terms: segment.terms.length,
    postings: segment.docs.length,
    tfBytes: segment.tfs.BYTES_PER_ELEMENT,
  };
  const parts = [
    encoder.encode(JSON.stringify(header)),
    encoder.encode(JSON.stringify(segment.ids)),
    encoder.encode(JSON.stringify(segment.terms)),
    bytesOf(segment.fieldLengths),
    bytesOf(segment.starts),
    bytesOf(segment.docs),
    bytesOf(segment.tfs),
  ];
  const out: Uint8Array[] = [];
  // A table of part lengths first (8 bytes each), so the reader knows where each starts.
  const table = new Float64Array(parts.length + 1);
  table[0] = parts.length;
  parts.forEach((part, k) => (table[k + 1] = part.length));
  out.push(bytesOf(table));
  for (const part of parts) {
    out.push(part);
    const pad = (8 - (part.length % 8)) % 8;
    if (pad > 0) out.push(new Uint8Array(pad));
  }
  return out;
}

const bytesOf = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/**
 * The segment encoded at `bytes` (as written by {@link encodeSegment}), its arrays viewing those
 * bytes when they are 8-byte aligned (copied otherwise). Throws on bytes that do not hold one.
 */
export function decodeSegment(bytes: Uint8Array): Segment {
  const decoder = new TextDecoder();
  const float64At = (offset: number, count: number) => {
    if (offset + count * 8 > bytes.length) throw new Error('segment cut short');
    return aligned(bytes, offset, count * 8, Float64Array);
  };
  const partCount = float64At(0, 1)[0]!;
  if (partCount !== 7) throw new Error('not a segment');
  const lengths = float64At(8, partCount);
  let offset = 8 * (partCount + 1);
  const parts: Array<{ offset: number; length: number }> = [];
  for (const length of lengths) {
    if (!Number.isInteger(length) || length < 0 || offset + length > bytes.length) {
      throw new Error('segment cut short');
    }
    parts.push({ offset, length });
    offset += length + ((8 - (length % 8)) % 8);
  }
  const text = (k: number) =>
    decoder.decode(bytes.subarray(parts[k]!.offset, parts[k]!.offset + parts[k]!.length));
  const header = JSON.parse(text(0)) as SegmentHeader;
  const ids = JSON.parse(text(1)) as unknown;
  const terms = JSON.parse(text(2)) as unknown;
  const array = <T extends Uint32Array | Uint16Array | Uint8Array>(
    k: number,
    Type: { new (buffer: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
  ) => aligned(bytes, parts[k]!.offset, parts[k]!.length, Type);
  const segment: Segment = {
    fieldCount: header.fieldCount,
    ids: ids as string[],
    fieldLengths: array(3, Uint32Array),
    terms: terms as string[],
    starts: array(4, Uint32Array),
    docs: array(5, Uint32Array),
    tfs: header.tfBytes === 1 ? array(6, Uint8Array) : array(6, Uint16Array),
  };
  checkSegment(segment, header);
  return segment;
}

function aligned<T extends Uint32Array | Uint16Array | Uint8Array | Float64Array>(
  bytes: Uint8Array,
  offset: number,
  byteLength: number,
  Type: { new (buffer: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
): T {
  if (byteLength % Type.BYTES_PER_ELEMENT !== 0) throw new Error('segment array of a wrong length');
  const at = bytes.byteOffset + offset;
  const source =
    at % Type.BYTES_PER_ELEMENT === 0
      ? { buffer: bytes.buffer, at }
      : { buffer: bytes.slice(offset, offset + byteLength).buffer, at: 0 };
  return new Type(source.buffer, source.at, byteLength / Type.BYTES_PER_ELEMENT);
}

/** Cheap checks that the arrays fit together (a damaged file must not give wrong answers). */
function checkSegment(segment: Segment, header: SegmentHeader): void {
  const { fieldCount, ids, terms, fieldLengths, starts, docs, tfs } = segment;
  const ok =
    Number.isInteger(fieldCount) &&
    fieldCount > 0 &&
    Array.isArray(ids) &&
    ids.length === header.documents &&
    ids.every((id) => typeof id === 'string') &&
    Array.isArray(terms) &&
    terms.length === header.terms &&
    terms.every((t, k) => typeof t === 'string' && (k === 0 || terms[k - 1]! < t)) &&
    fieldLengths.length === ids.length * fieldCount &&
    starts.length === terms.length * fieldCount + 1 &&
    docs.length === header.postings &&
    tfs.length === docs.length &&
    (header.tfBytes === 1 || header.tfBytes === 2) &&
    starts[starts.length - 1] === docs.length;
  if (!ok) throw new Error('segment arrays do not fit together');
  for (let k = 1; k < starts.length; k++) {
    if (starts[k]! < starts[k - 1]!) throw new Error('segment postings out of order');
  }
  for (let k = 0; k < docs.length; k++) {
    if (docs[k]! >= ids.length) throw new Error('segment posting for an unknown document');
  }
}
