import type { AsPlainObject } from 'minisearch';
import type { Mention } from '../contacts.js';
import { err, ok, type Result } from '../errors.js';
import type { DocumentRecord } from '../record.js';
import { OPTIONS_HASH } from './options.js';
import { hashString } from './text.js';

/** Identifies our snapshot files; anything else is rejected as "not an index snapshot". */
export const SNAPSHOT_FORMAT = 'migration-news-bot/index-snapshot';
/** Bump when the snapshot's own layout changes. */
export const SNAPSHOT_VERSION = 1;

/** What a snapshot holds: the MiniSearch index and what was derived from the text at build time. */
export interface SnapshotData {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: number;
  /** {@link OPTIONS_HASH} of the code that wrote it. */
  readonly optionsHash: string;
  /** {@link corpusFingerprint} of the records indexed. */
  readonly corpus: string;
  readonly documents: number;
  readonly index: AsPlainObject;
  /** People named in each document's text, by id (documents without any are left out). */
  readonly mentions: Readonly<Record<string, readonly Mention[]>>;
}

/**
 * Fingerprint of a corpus: the sorted (id, contentHash) list, hashed. Same records in any order →
 * same fingerprint; any added, removed or changed page → another.
 */
export function corpusFingerprint(records: Iterable<Pick<DocumentRecord, 'id' | 'contentHash'>>): string {
  const lines: string[] = [];
  for (const r of records) lines.push(`${r.id}\t${r.contentHash}`);
  lines.sort();
  return `${lines.length}:${hashString(lines.join('\n'))}:${hashString(lines.join('\n'), 1)}`;
}

/** Serializes snapshot data to JSON text. */
export function serializeSnapshot(data: Omit<SnapshotData, 'format' | 'version' | 'optionsHash'>): string {
  const full: SnapshotData = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    optionsHash: OPTIONS_HASH,
    ...data,
  };
  return JSON.stringify(full);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and checks snapshot text against the records it should describe. Any problem is a reason
 * (for a warning and a rebuild), never an exception: corrupt JSON, another format or version,
 * other index options, another corpus.
 */
export function parseSnapshot(text: string, records: Iterable<DocumentRecord>): Result<SnapshotData, string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return err(`corrupt: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(data) || data.format !== SNAPSHOT_FORMAT) return err('corrupt: not an index snapshot');
  if (data.version !== SNAPSHOT_VERSION) {
    return err(
      `stale: snapshot format version ${String(data.version)}, this program writes ${SNAPSHOT_VERSION}`,
    );
  }
  if (data.optionsHash !== OPTIONS_HASH) return err('stale: built with other index options');
  if (typeof data.corpus !== 'string' || data.corpus !== corpusFingerprint(records)) {
    return err('stale: the documents changed since it was written');
  }
  if (!isObject(data.index) || !isObject(data.mentions) || typeof data.documents !== 'number') {
    return err('corrupt: missing index data');
  }
  for (const list of Object.values(data.mentions)) {
    if (!Array.isArray(list) || !list.every((m) => isObject(m) && typeof m.name === 'string')) {
      return err('corrupt: malformed mentions');
    }
  }
  return ok(data as unknown as SnapshotData);
}
