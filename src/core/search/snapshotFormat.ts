import type { AsPlainObject } from 'minisearch';
import type { Mention } from '../contacts/mentions.js';
import { err, ok, type Result } from '../errors.js';
import type { DocumentRecord } from '../record.js';
import { OPTIONS_HASH } from './options.js';
import { hashString } from './terms.js';

/** Identifies our snapshot files; anything else is rejected as "not an index snapshot". */
export const SNAPSHOT_FORMAT = 'migration-news-bot/index-snapshot';
/**
 * Bump when the snapshot's own layout changes. 2: the records and a stamp per page file are kept,
 * so a start needs no page read; newline-separated JSON parts instead of one JSON value.
 */
export const SNAPSHOT_VERSION = 2;

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

/** What a snapshot holds: index, records, what was derived from them, and where they came from. */
export interface SnapshotData {
  readonly sources: SnapshotSources;
  readonly index: AsPlainObject;
  readonly records: readonly DocumentRecord[];
  /** People named in each document's text, by id (documents without any are left out). */
  readonly mentions: ReadonlyMap<string, readonly Mention[]>;
}

/** First line of a snapshot. */
interface SnapshotHeader {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: number;
  /** {@link OPTIONS_HASH} of the code that wrote it. */
  readonly optionsHash: string;
  readonly documents: number;
  /** {@link corpusFingerprint} of the records that follow, to catch a damaged file. */
  readonly corpus: string;
  readonly sources: SnapshotSources;
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

/**
 * The snapshot as lines of JSON, each ending in a newline: header (with the sources), index,
 * mentions, then one record per line. Lines rather than one JSON value because a 100k-document
 * corpus is larger than the longest string V8 can hold; a line never contains a raw newline.
 */
export function* serializeSnapshot(data: SnapshotData): Generator<string> {
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    optionsHash: OPTIONS_HASH,
    documents: data.records.length,
    corpus: corpusFingerprint(data.records),
    sources: data.sources,
  };
  yield `${JSON.stringify(header)}\n`;
  yield `${JSON.stringify(data.index)}\n`;
  yield `${JSON.stringify(Object.fromEntries(data.mentions))}\n`;
  for (const record of data.records) yield `${JSON.stringify(record)}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isStamp = (v: unknown): v is FileStamp =>
  isObject(v) &&
  typeof v.file === 'string' &&
  typeof v.size === 'number' &&
  typeof v.mtimeMs === 'number' &&
  typeof v.contentHash === 'string';

const isSources = (v: unknown): v is SnapshotSources =>
  isObject(v) &&
  typeof v.parser === 'string' &&
  Array.isArray(v.navigation) &&
  v.navigation.every((line) => typeof line === 'string') &&
  Array.isArray(v.files) &&
  v.files.every(isStamp);

/** Enough of a record's shape to index and show it; the file was written by us, so no full schema. */
const isRecord = (v: unknown): v is DocumentRecord =>
  isObject(v) &&
  typeof v.id === 'string' &&
  (v.kind === 'article' || v.kind === 'project') &&
  typeof v.title === 'string' &&
  typeof v.source === 'string' &&
  typeof v.contentHash === 'string' &&
  Array.isArray(v.paragraphs) &&
  Array.isArray(v.contacts) &&
  (v.country === null || typeof v.country === 'string') &&
  (v.project === null || isObject(v.project));

/** JSON.parse that says which part was damaged instead of throwing. */
function parsePart(line: string | undefined, part: string): Result<unknown, string> {
  if (line === undefined) return err(`corrupt: cut short before the ${part}`);
  try {
    return ok(JSON.parse(line));
  } catch (error) {
    return err(
      `corrupt: the ${part} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * Parses the header line alone: format, version and options are checked, so a stale snapshot is
 * refused before its (large) index is parsed. Gives a reason, never throws.
 */
export function parseSnapshotHeader(line: string | undefined): Result<SnapshotHeader, string> {
  const parsed = parsePart(line, 'header');
  if (!parsed.ok) return line?.trimStart().startsWith('{') ? parsed : err('corrupt: not an index snapshot');
  const data = parsed.value;
  if (!isObject(data) || data.format !== SNAPSHOT_FORMAT) return err('corrupt: not an index snapshot');
  if (data.version !== SNAPSHOT_VERSION) {
    return err(
      `stale: snapshot format version ${String(data.version)}, this program writes ${SNAPSHOT_VERSION}`,
    );
  }
  if (data.optionsHash !== OPTIONS_HASH) return err('stale: built with other index options');
  if (typeof data.documents !== 'number' || typeof data.corpus !== 'string' || !isSources(data.sources)) {
    return err('corrupt: malformed header');
  }
  return ok(data as unknown as SnapshotHeader);
}

/**
 * Parses snapshot lines as written by {@link serializeSnapshot}. Any problem is a reason (for a
 * warning and a rebuild), never an exception: damaged JSON, another format or version, other
 * index options, records that do not match the header.
 */
export function parseSnapshot(lines: Iterable<string>): Result<SnapshotData, string> {
  const it = lines[Symbol.iterator]();
  const next = () => {
    const r = it.next();
    return r.done ? undefined : r.value;
  };
  const header = parseSnapshotHeader(next());
  if (!header.ok) return header;
  const index = parsePart(next(), 'index');
  if (!index.ok) return index;
  if (!isObject(index.value)) return err('corrupt: missing index data');
  const mentions = parsePart(next(), 'mentions');
  if (!mentions.ok) return mentions;
  if (!isObject(mentions.value)) return err('corrupt: malformed mentions');
  for (const list of Object.values(mentions.value)) {
    if (!Array.isArray(list) || !list.every((m) => isObject(m) && typeof m.name === 'string')) {
      return err('corrupt: malformed mentions');
    }
  }
  const records: DocumentRecord[] = [];
  for (let line = next(); line !== undefined; line = next()) {
    if (line === '') continue;
    const record = parsePart(line, `record ${records.length + 1}`);
    if (!record.ok) return record;
    if (!isRecord(record.value)) return err(`corrupt: record ${records.length + 1} is malformed`);
    records.push(record.value);
  }
  if (records.length !== header.value.documents) return err('corrupt: document count does not match');
  if (corpusFingerprint(records) !== header.value.corpus) {
    return err('corrupt: the records do not match the header');
  }
  return ok({
    sources: header.value.sources,
    index: index.value as unknown as AsPlainObject,
    records,
    mentions: new Map(Object.entries(mentions.value as Record<string, readonly Mention[]>)),
  });
}
