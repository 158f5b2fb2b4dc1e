/**
 * Near-identical texts (a press release and its copy on another site, with other boilerplate, a
 * reworded title or a dropped contact block) found by MinHash over word shingles: the share of
 * equal signature slots estimates the Jaccard similarity of the two texts' 3-word shingle sets.
 * Signatures are plain arrays of numbers, so they can be stored as JSON and compared later.
 */
import { distinctBy, type DocumentIdentity } from './distinctDocuments.js';

/** Words per shingle. Three keeps shared phrases ("the UN Migration Agency") from merging stories. */
export const SHINGLE_WORDS = 3;
/** Signature slots; the estimate's standard error is about 0.5/sqrt(128) ≈ 0.044. */
export const SIGNATURE_SIZE = 128;
/** Estimated Jaccard similarity at or above which two texts are one document (measured in the tests). */
export const NEAR_DUPLICATE_THRESHOLD = 0.5;
/** Texts with fewer shingles are too short to judge (a title, a one-line summary): never merged. */
export const MIN_SHINGLES = 12;

/** What is kept of a text to compare it later. */
export interface TextFingerprint {
  /** SIGNATURE_SIZE unsigned 32-bit minimums. */
  readonly signature: readonly number[];
  /** How many distinct shingles the text had. */
  readonly shingles: number;
}

/** Lower case, accents and punctuation removed, split into words. */
export function fingerprintWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
}

/** FNV-1a, 32 bits. */
function hashString(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** MurmurHash3's finalizer: a cheap, well-mixed permutation of 32-bit values. */
function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One fixed seed per slot (a fixed LCG), so signatures agree across processes and versions. */
const SEEDS: readonly number[] = (() => {
  const seeds: number[] = [];
  let s = 0x9e3779b9;
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    seeds.push(s);
  }
  return seeds;
})();

/** The MinHash fingerprint of a text. Pure and deterministic. */
export function fingerprintText(text: string): TextFingerprint {
  const words = fingerprintWords(text);
  const shingles = new Set<number>();
  if (words.length > 0 && words.length < SHINGLE_WORDS) shingles.add(hashString(words.join(' ')));
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) {
    shingles.add(hashString(words.slice(i, i + SHINGLE_WORDS).join(' ')));
  }
  const signature = new Array<number>(SIGNATURE_SIZE).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let slot = 0; slot < SIGNATURE_SIZE; slot++) {
      const value = mix(shingle ^ (SEEDS[slot] ?? 0));
      if (value < (signature[slot] ?? 0xffffffff)) signature[slot] = value;
    }
  }
  return { signature, shingles: shingles.size };
}

/** Estimated Jaccard similarity of two fingerprints, 0 to 1 (0 when either text is empty). */
export function similarity(a: TextFingerprint, b: TextFingerprint): number {
  if (a.shingles === 0 || b.shingles === 0) return 0;
  const size = Math.min(a.signature.length, b.signature.length);
  let equal = 0;
  for (let i = 0; i < size; i++) if (a.signature[i] === b.signature[i]) equal++;
  return size === 0 ? 0 : equal / size;
}

/** Whether two texts are the same document: both long enough, and similar at `threshold` or more. */
export function isNearDuplicate(
  a: TextFingerprint,
  b: TextFingerprint,
  threshold = NEAR_DUPLICATE_THRESHOLD,
): boolean {
  return a.shingles >= MIN_SHINGLES && b.shingles >= MIN_SHINGLES && similarity(a, b) >= threshold;
}

/** A known document's fingerprint, as the store keeps it, and what it says about itself. */
export interface FingerprintedDocument {
  readonly id: string;
  readonly fingerprint: TextFingerprint;
  readonly identity?: DocumentIdentity;
}

/**
 * The most similar known document that is a near duplicate of `fingerprint`, or null. With an
 * `identity`, a known document with one too is skipped when the two are distinct whatever their
 * texts (see distinctBy): the same site's other URL, or a title naming another thing.
 */
export function findNearDuplicate(
  fingerprint: TextFingerprint,
  known: Iterable<FingerprintedDocument>,
  options: { readonly threshold?: number; readonly identity?: DocumentIdentity } = {},
): { id: string; similarity: number } | null {
  const { threshold = NEAR_DUPLICATE_THRESHOLD, identity } = options;
  let best: { id: string; similarity: number } | null = null;
  for (const doc of known) {
    if (!isNearDuplicate(fingerprint, doc.fingerprint, threshold)) continue;
    if (identity !== undefined && doc.identity !== undefined && distinctBy(identity, doc.identity) !== null)
      continue;
    const s = similarity(fingerprint, doc.fingerprint);
    if (best === null || s > best.similarity) best = { id: doc.id, similarity: s };
  }
  return best;
}
