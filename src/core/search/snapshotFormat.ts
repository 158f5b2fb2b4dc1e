/**
 * What identifies and describes an index snapshot: its preamble (format, version, options, where
 * each section lies), the page stamps kept with it, and the checks on what is read back. The bytes
 * themselves are laid out by src/ingest/snapshotFile.ts.
 */
import type { Mention } from '../contacts/mentions.js';
import { err, ok, type Result } from '../errors.js';
import type { RecordMeta } from '../record.js';
import type { IndexStats } from './liveIndex.js';
import { OPTIONS_HASH } from './options.js';
import { hashHalves } from './terms.js';
import { runSteps } from '../steps.js';

/** Identifies our snapshot files; anything else is rejected as "not an index snapshot". */
export const SNAPSHOT_FORMAT = 'migration-news-bot/index-snapshot';
/**
 * Bump when the snapshot's own layout changes. 2: the records and a stamp per page file are kept.
 * 3: binary sections: the index as a frozen segment, record metadata, and texts compressed one
 * record at a time and read on demand. 4: records carry their `language` (and the index holds terms
 * analysed in it), so a snapshot of version 3 is rebuilt once.
 */
export const SNAPSHOT_VERSION = 4;

/**
 * A page file as it was when its record was made: a later file with the same size and mtime is
 * taken to hold the same bytes (like make or rsync), so it is not read again.
 */
export interface FileStamp {
  /** Path relative to the data folder, forward slashes: the record's `source`. */
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** The bytes' sha256, hex: the record's `contentHash`. */
  readonly contentHash: string;
}

/** Where the records came from, kept with them so a start can tell what changed without reading. */
export interface SnapshotSources {
  /** Fingerprint of the code that parsed the records; other code means other records. */
  readonly parser: string;
  /** Site navigation learned from the corpus, to parse changed pages like the others. */
  readonly navigation: readonly string[];
  readonly files: readonly FileStamp[];
}

/**
 * The sections of a snapshot file, each at an offset (bytes from the start) with a length: the
 * index segment as it is in memory; the texts, each deflated on its own with a shared dictionary
 * (the `dictionary` section, so that short texts compress well); then, gzipped, the record
 * metadata, the people named, and the page stamps, as JSON lines.
 */
export const SNAPSHOT_SECTIONS = ['segment', 'dictionary', 'texts', 'metas', 'mentions', 'sources'] as const;
export type SnapshotSection = (typeof SNAPSHOT_SECTIONS)[number];

/** The first bytes of a snapshot: enough to refuse a stale one before reading the rest. */
export interface SnapshotPreamble {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: number;
  /** {@link OPTIONS_HASH} of the code that wrote it. */
  readonly optionsHash: string;
  readonly documents: number;
  /** {@link corpusFingerprint} of the records, to catch a damaged file. */
  readonly corpus: string;
  readonly stats: IndexStats;
  readonly sections: Readonly<Record<SnapshotSection, { readonly offset: number; readonly length: number }>>;
}

/**
 * Fingerprint of a corpus: the count, and sums and xors of two 32-bit hashes of each (id,
 * contentHash) pair. Same records in any order → same fingerprint (no sort, no joined copy of
 * 100,000 lines); any added, removed or changed page → another, but for a negligible chance.
 */
export function corpusFingerprint(records: Iterable<Pick<RecordMeta, 'id' | 'contentHash'>>): string {
  return runSteps(corpusFingerprintSteps(records));
}

/** {@link corpusFingerprint} as steps of 20,000 records (a generator yielding between them). */
export function* corpusFingerprintSteps(
  records: Iterable<Pick<RecordMeta, 'id' | 'contentHash'>>,
): Generator<void, string> {
  let count = 0;
  let sum1 = 0;
  let sum2 = 0;
  let xor1 = 0;
  let xor2 = 0;
  for (const r of records) {
    if (++count % 20_000 === 0) yield;
    const [h1, h2] = hashHalves(`${r.id}\t${r.contentHash}`);
    sum1 = (sum1 + h1) >>> 0;
    sum2 = (sum2 + h2) >>> 0;
    xor1 ^= h1;
    xor2 ^= h2;
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `${count}:${hex(sum1)}${hex(sum2)}:${hex(xor1)}${hex(xor2)}`;
}

/** The preamble for a snapshot of `documents` records of fingerprint `corpus`, written by this code. */
export function snapshotPreamble(
  documents: number,
  corpus: string,
  stats: IndexStats,
  sections: SnapshotPreamble['sections'],
): SnapshotPreamble {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    optionsHash: OPTIONS_HASH,
    documents,
    corpus,
    stats,
    sections,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isStamp = (v: unknown): v is FileStamp =>
  isObject(v) &&
  typeof v.file === 'string' &&
  typeof v.size === 'number' &&
  typeof v.mtimeMs === 'number' &&
  typeof v.contentHash === 'string';

/** Whether a parsed value is {@link SnapshotSources}. */
export const isSnapshotSources = (v: unknown): v is SnapshotSources =>
  isObject(v) &&
  typeof v.parser === 'string' &&
  Array.isArray(v.navigation) &&
  v.navigation.every((line) => typeof line === 'string') &&
  Array.isArray(v.files) &&
  v.files.every(isStamp);

/** Enough of a record's shape to index and show it; the file was written by us, so no full schema. */
export const isRecordMeta = (v: unknown): v is RecordMeta =>
  isObject(v) &&
  typeof v.id === 'string' &&
  (v.kind === 'article' || v.kind === 'project') &&
  typeof v.title === 'string' &&
  typeof v.source === 'string' &&
  typeof v.contentHash === 'string' &&
  Array.isArray(v.contacts) &&
  (v.country === null || typeof v.country === 'string') &&
  (v.project === null || isObject(v.project)) &&
  (v.language === undefined || typeof v.language === 'string') &&
  (v.translations === undefined || Array.isArray(v.translations));

/**
 * Whether a parsed value is the people named in one record's text (a line of the mentions
 * section is `[id, list]`). Checked list by list, with no object built around each: at 10,000
 * records the checks are a third of the section's read otherwise.
 */
export function isMentionList(v: unknown): v is readonly Mention[] {
  return Array.isArray(v) && v.every((m) => isObject(m) && typeof m.name === 'string');
}

/**
 * Parses the preamble (the JSON text at the start of the file, padded with spaces): format,
 * version and options are checked, so a stale snapshot is refused before its sections are read.
 * `fileSize` bounds the sections. Gives a reason, never throws.
 */
export function parseSnapshotPreamble(text: string, fileSize: number): Result<SnapshotPreamble, string> {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/[\s\0]+$/, ''));
  } catch {
    return err(
      text.trimStart().startsWith('{') ? 'corrupt: damaged preamble' : 'corrupt: not an index snapshot',
    );
  }
  if (!isObject(data) || data.format !== SNAPSHOT_FORMAT) return err('corrupt: not an index snapshot');
  if (data.version !== SNAPSHOT_VERSION) {
    return err(
      `stale: snapshot format version ${String(data.version)}, this program writes ${SNAPSHOT_VERSION}`,
    );
  }
  if (data.optionsHash !== OPTIONS_HASH) return err('stale: built with other index options');
  const stats = data.stats;
  const sections = data.sections;
  const ok_ =
    typeof data.documents === 'number' &&
    typeof data.corpus === 'string' &&
    isObject(stats) &&
    typeof stats.documentCount === 'number' &&
    Array.isArray(stats.avgFieldLength) &&
    stats.avgFieldLength.every((v) => typeof v === 'number') &&
    isObject(sections) &&
    SNAPSHOT_SECTIONS.every((name) => {
      const s = sections[name];
      return (
        isObject(s) &&
        Number.isInteger(s.offset) &&
        Number.isInteger(s.length) &&
        (s.offset as number) >= 0 &&
        (s.length as number) >= 0 &&
        (s.offset as number) + (s.length as number) <= fileSize
      );
    });
  if (!ok_) return err('corrupt: malformed preamble or cut short');
  return ok(data as unknown as SnapshotPreamble);
}
