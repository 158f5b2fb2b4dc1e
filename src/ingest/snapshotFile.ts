import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Library, type FileStamp, type SnapshotSources } from '../core/library.js';
import { mapBounded } from '../util/concurrency.js';
import { hashBytes } from './loadCorpus.js';

/** The snapshot file's name under DATA_DIR. */
export const SNAPSHOT_FILE = 'index-snapshot.json';

/** Where the snapshot lives for a data folder. */
export const snapshotPath = (dataDir: string) => path.join(dataDir, SNAPSHOT_FILE);

/**
 * What each library was loaded or last saved with (page stamps, navigation), so that a later save
 * (after live ingestion) keeps the stamps still true and the ingester can skip re-hashing. Keyed
 * by the library object: no global state beyond the objects callers already hold.
 */
const sourcesByLibrary = new WeakMap<object, SnapshotSources>();

/** Records the sources a library was opened with (see {@link snapshotStamps}). */
export function rememberSources(library: Library, sources: SnapshotSources): void {
  sourcesByLibrary.set(library, sources);
}

/**
 * The page stamps (file, size, mtime → content hash) known for a library opened from or saved to
 * a snapshot; empty for any other object. Each says "a file with this size and mtime had this hash".
 */
export function snapshotStamps(library: object | undefined): readonly FileStamp[] {
  return (library && sourcesByLibrary.get(library)?.files) ?? [];
}

let parserFingerprintMemo: Promise<string> | undefined;

/**
 * A hash of the code that turns pages into records (src/core/parse, the record schema and the
 * page reader), read from the files next to this module (works from src/ under tsx and from a
 * build). Records kept in a snapshot are only reused when it is unchanged: a parser fix must reach
 * every page, not only the pages that change later.
 */
export function parserFingerprint(): Promise<string> {
  parserFingerprintMemo ??= (async () => {
    const here = fileURLToPath(import.meta.url);
    const ext = path.extname(here);
    const parseDir = path.resolve(path.dirname(here), '../core/parse');
    try {
      const names = (await readdir(parseDir)).filter((name) => name.endsWith(ext)).sort();
      const files = [
        ...names.map((name) => path.join(parseDir, name)),
        path.resolve(parseDir, `../record${ext}`),
        path.resolve(path.dirname(here), `loadCorpus${ext}`),
      ];
      const hash = createHash('sha256');
      for (const file of files) hash.update(`${path.basename(file)}\n`).update(await readFile(file));
      return hash.digest('hex').slice(0, 16);
    } catch {
      // Sources not beside us (bundled): the records are still tied to the stamps and options.
      return 'unknown';
    }
  })();
  return parserFingerprintMemo;
}

/** The snapshot's lines, one string at a time, without one huge string for the whole file. */
function* linesOf(bytes: Buffer): Generator<string> {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    yield bytes.toString('utf8', start, end);
    start = end + 1;
  }
}

/** What reading the snapshot gave: a library with its sources, or why there is none. */
export type SnapshotRead =
  | { readonly ok: true; readonly library: Library; readonly sources: SnapshotSources }
  | { readonly ok: false; readonly reason: string; readonly isMissing: boolean };

/**
 * Reads `DATA_DIR/index-snapshot.json`. Missing, unreadable, corrupt or stale (other format,
 * options or parser) gives a reason, never an exception.
 */
export async function readSnapshot(dataDir: string): Promise<SnapshotRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(snapshotPath(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { ok: false, reason: 'missing', isMissing: true };
    }
    return {
      ok: false,
      reason: `unreadable: ${error instanceof Error ? error.message : String(error)}`,
      isMissing: false,
    };
  }
  const loaded = Library.fromSnapshot(linesOf(bytes));
  if (!loaded.ok) return { ok: false, reason: loaded.error, isMissing: false };
  if (loaded.value.sources.parser !== (await parserFingerprint())) {
    return { ok: false, reason: 'stale: the records were parsed by other parser code', isMissing: false };
  }
  return { ok: true, ...loaded.value };
}

const STAT_CONCURRENCY = 64;
/** Lines are joined into chunks of about this many characters: fewer writes, no giant string. */
const WRITE_CHUNK = 1 << 22;

function* chunked(lines: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= WRITE_CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * Stamps for the library's records: the known ones still true of a record (same file, same
 * content hash); for the others (pages ingested since) the file is stat'ed, then read and hashed,
 * and stamped only if it still holds the record's bytes. Stat before read: a file changed in
 * between gets a stamp that no longer matches, so it is read again next time, never trusted.
 */
async function stampsFor(dataDir: string, library: Library, known: readonly FileStamp[]) {
  const byFile = new Map(known.map((s) => [s.file, s]));
  const stamps: FileStamp[] = [];
  const unknown: Array<{ file: string; contentHash: string }> = [];
  for (const record of library.documents()) {
    const stamp = byFile.get(record.source);
    if (stamp?.contentHash === record.contentHash) stamps.push(stamp);
    else if (/^raw\/[^/]+$/.test(record.source)) {
      unknown.push({ file: record.source, contentHash: record.contentHash });
    }
  }
  const restamp = async ({ file, contentHash }: { file: string; contentHash: string }) => {
    const full = path.join(dataDir, file);
    try {
      const info = await stat(full);
      if (hashBytes(await readFile(full)) === contentHash) {
        stamps.push({ file, size: info.size, mtimeMs: info.mtimeMs, contentHash });
      }
    } catch {
      // Gone or unreadable: no stamp, so the next start looks at it again.
    }
  };
  await mapBounded(unknown, STAT_CONCURRENCY, restamp);
  return stamps.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * Writes the library's snapshot atomically (a temporary file in the same folder, then a rename, so
 * readers see the old snapshot or the new one, never half of one), with stamps for its pages.
 * `sources` are given by whoever just stat'ed the pages (start-up); otherwise the library's known
 * stamps are carried over and checked. Returns the bytes written.
 */
export async function saveSnapshot(
  dataDir: string,
  library: Library,
  sources?: SnapshotSources,
): Promise<number> {
  const known = sourcesByLibrary.get(library);
  const current: SnapshotSources = sources ?? {
    parser: await parserFingerprint(),
    navigation: known?.navigation ?? [],
    files: await stampsFor(dataDir, library, known?.files ?? []),
  };
  const file = snapshotPath(dataDir);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let bytes = 0;
  function* counted() {
    for (const chunk of chunked(library.toSnapshot(current))) {
      bytes += Buffer.byteLength(chunk);
      yield chunk;
    }
  }
  try {
    await writeFile(temp, counted(), 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  sourcesByLibrary.set(library, current);
  return bytes;
}
