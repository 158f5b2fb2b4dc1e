/**
 * The one module that reads MiniSearch's private fields (`_index`, `_documentIds`, `_fieldIds`,
 * `_fieldLength`, `_avgFieldLength`, `_documentCount`, `_dirtCount`, `_nextId`, `_options`).
 *
 * They are not public API, so they are trusted only for the exact version they were read from
 * ({@link MINISEARCH_INTERNALS_VERSION}, the version package.json pins). An adapter reads the
 * installed version at start-up and hands it to {@link acceptMiniSearchVersion} (the core does no
 * I/O); on a mismatch every reader here returns null and callers use MiniSearch's public
 * `search()` (same answers, slower; "did you mean" is lost). Even on the right version the shape
 * is checked at run time, so a surprise costs speed, never a wrong answer.
 */
import type MiniSearch from 'minisearch';

/** The MiniSearch version whose internals this module reads (package.json pins exactly this). */
export const MINISEARCH_INTERNALS_VERSION = '7.2.0';

/** fieldId → short document id → term frequency. */
export type FieldPostings = Map<number, Map<number, number>>;

/** MiniSearch's term tree (its SearchableMap), the calls we make on it. */
export interface TermTree {
  has(term: string): boolean;
  get(term: string): FieldPostings | undefined;
  atPrefix(prefix: string): Iterable<[string, FieldPostings]>;
  fuzzyGet(term: string, maxDistance: number): Map<string, [FieldPostings, number]>;
}

/** MiniSearch's search options as the scorer needs them. */
export interface ScoringOptions {
  readonly fields: readonly string[];
  readonly boost: Readonly<Record<string, number>> | undefined;
  readonly weights: { readonly fuzzy: number; readonly prefix: number };
  readonly bm25: { readonly k: number; readonly b: number; readonly d: number };
}

/** A checked, read-only view of one index's internals (values read live from the index). */
export interface MiniSearchInternals {
  readonly tree: TermTree;
  /** Short id → document id. */
  readonly documentIds: ReadonlyMap<number, unknown>;
  /** Field name → field id. */
  readonly fieldIds: Readonly<Record<string, number>>;
  /** Short id → length of each field (by field id). */
  readonly fieldLength: ReadonlyMap<number, readonly number[]>;
  /** Average length of each field (by field id). */
  readonly avgFieldLength: readonly number[];
  readonly documentCount: number;
  /** One more than the highest short id ever given (short ids are never reused). */
  readonly nextId: number;
  readonly scoring: ScoringOptions;
}

/** The private fields as MiniSearch 7.2.0 names them; anything may be missing in another version. */
interface Raw {
  _index?: Partial<TermTree>;
  _documentIds?: unknown;
  _fieldIds?: unknown;
  _fieldLength?: unknown;
  _avgFieldLength?: unknown;
  _documentCount?: unknown;
  _dirtCount?: unknown;
  _nextId?: unknown;
  _options?: {
    fields?: unknown;
    searchOptions?: {
      boost?: Record<string, number>;
      weights?: { fuzzy?: number; prefix?: number };
      bm25?: { k: number; b: number; d: number };
    };
  };
}

let isVersionAccepted = true;

/**
 * Records the installed MiniSearch version (read by an adapter at start-up): internals are read
 * only when it is exactly {@link MINISEARCH_INTERNALS_VERSION}. Returns whether they will be.
 * Process-wide, like the installed package it describes.
 */
export function acceptMiniSearchVersion(installed: string): boolean {
  isVersionAccepted = installed === MINISEARCH_INTERNALS_VERSION;
  return isVersionAccepted;
}

/** Whether internals may be read (the installed version matched, or was not checked). */
export function areMiniSearchInternalsEnabled(): boolean {
  return isVersionAccepted;
}

type AnyMiniSearch = MiniSearch<never> | MiniSearch<object>;

function hasTreeShape(tree: Partial<TermTree> | undefined): tree is TermTree {
  return (
    tree !== undefined &&
    typeof tree.has === 'function' &&
    typeof tree.get === 'function' &&
    typeof tree.atPrefix === 'function' &&
    typeof tree.fuzzyGet === 'function'
  );
}

/**
 * Everything a segment is frozen from and the small index is scored with, or null when the version
 * is not accepted, the fields do not look as expected, or the index holds discarded documents not
 * yet vacuumed (MiniSearch cleans those lazily while it scores, which only its own `search()` does).
 */
export function readInternals(index: AnyMiniSearch): MiniSearchInternals | null {
  if (!isVersionAccepted) return null;
  const raw = index as unknown as Raw;
  const fields = raw._options?.fields;
  const fieldIds = raw._fieldIds as Record<string, unknown> | undefined;
  const searchOptions = raw._options?.searchOptions;
  const ok =
    hasTreeShape(raw._index) &&
    raw._documentIds instanceof Map &&
    raw._fieldLength instanceof Map &&
    Array.isArray(raw._avgFieldLength) &&
    typeof fieldIds === 'object' &&
    fieldIds !== null &&
    typeof raw._documentCount === 'number' &&
    typeof raw._nextId === 'number' &&
    raw._dirtCount === 0 &&
    Array.isArray(fields) &&
    fields.every((f) => typeof f === 'string' && typeof fieldIds[f] === 'number') &&
    searchOptions !== undefined;
  if (!ok) return null;
  const live = raw as Required<Raw>;
  return {
    tree: live._index as TermTree,
    documentIds: live._documentIds as Map<number, unknown>,
    fieldIds: live._fieldIds as Record<string, number>,
    fieldLength: live._fieldLength as Map<number, number[]>,
    avgFieldLength: live._avgFieldLength as number[],
    get documentCount() {
      return live._documentCount as number;
    },
    get nextId() {
      return live._nextId as number;
    },
    scoring: {
      fields: fields as string[],
      boost: searchOptions.boost,
      // MiniSearch 7.2.0's defaults, used when the options leave them out.
      weights: {
        fuzzy: searchOptions.weights?.fuzzy ?? 0.45,
        prefix: searchOptions.weights?.prefix ?? 0.375,
      },
      bm25: searchOptions.bm25 ?? { k: 1.2, b: 0.7, d: 0.5 },
    },
  };
}
