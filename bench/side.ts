/**
 * What the benchmark needs from a search implementation. Two sides implement it: raw MiniSearch
 * with default options (the baseline) and our library. Both are measured by the same loop in
 * measure.ts and started by the same cold-start script.
 */
import type { DocumentRecord } from '../src/core/record.js';
import type { BenchPrefix, BenchQuery } from './queries.js';

export type SideName = 'ours' | 'raw';

/** An index ready to answer: what a process holds after start. */
export interface Answerer {
  /** Runs one query and returns the number of hits (so the work cannot be optimised away). */
  search(query: BenchQuery): number | Promise<number>;
  /** Autocomplete for what was typed so far; returns the number of choices. */
  suggest(typed: BenchPrefix): number | Promise<number>;
}

export interface SnapshotInfo {
  readonly bytes: number;
  readonly files: readonly string[];
}

export interface BenchSide {
  readonly name: SideName;
  /** Builds the index in memory from already parsed documents. */
  build(documents: readonly DocumentRecord[]): Promise<Answerer>;
  /** Writes the snapshot of the last built index under `dataDir`. */
  writeSnapshot(dataDir: string): Promise<SnapshotInfo>;
  /**
   * Loads the snapshot written by writeSnapshot. `documents` are passed for sides that need the
   * corpus next to the index (ours ties the snapshot to the documents' content hashes).
   */
  loadSnapshot(dataDir: string, documents: readonly DocumentRecord[]): Promise<Answerer>;
  /**
   * What a freshly started process does to answer its first query: read raw files and build
   * (`rebuild`) or use the snapshot (`snapshot`) in whatever way the side is meant to be started.
   */
  coldOpen(dataDir: string, mode: 'snapshot' | 'rebuild'): Promise<Answerer>;
  /**
   * After coldOpen: what the side's running service does once it is up, before pages arrive (ours:
   * build the digest runtime and reconcile raw/ with the ingestion log). Returns entries logged.
   */
  beginIngestion(dataDir: string): Promise<number>;
  /**
   * Brings pages just written into DATA_DIR/raw (`files`, absolute paths) into the open index the
   * way the side's running service would, and returns how many documents were added.
   */
  ingest(dataDir: string, files: readonly string[]): Promise<number>;
  /** Releases what beginIngestion opened. */
  close(): Promise<void>;
}
