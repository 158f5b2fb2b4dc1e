import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deflateRawSync, gunzip as gunzipCallback, gzip as gzipCallback, inflateRawSync } from 'node:zlib';
import {
  Library,
  type FileStamp,
  type Mention,
  type RecordMeta,
  type SnapshotSources,
  type TextSource,
} from '../core/library.js';
import { decodeSegment, encodeSegment } from '../core/search/segment.js';
import {
  corpusFingerprint,
  corpusFingerprintSteps,
  isMentionList,
  isRecordMeta,
  isSnapshotSources,
  parseSnapshotPreamble,
  snapshotPreamble,
  type SnapshotSection,
} from '../core/search/snapshotFormat.js';
import { mapBounded } from '../util/concurrency.js';
import { runStepsInTurns, timeSlicer, yieldToEventLoop } from '../util/timeSlices.js';
import { hashBytes } from './loadCorpus.js';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

/** The snapshot file's name under DATA_DIR. */
export const SNAPSHOT_FILE = 'index-snapshot.bin';
/** The name snapshots had before the binary layout (version 2): removed once a new one is written. */
const LEGACY_SNAPSHOT_FILE = 'index-snapshot.json';

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

/** Bytes reserved for the preamble at the start of the file (JSON padded with spaces). */
const PREAMBLE_BYTES = 4096;

/**
 * Where each record's text lies in the texts section, in flat arrays by position (no small object
 * per record: at 100,000 documents those added measurably to every full garbage collection).
 */
class TextTable {
  readonly index = new Map<string, number>();
  readonly offsets: number[] = [];
  readonly lengths: number[] = [];
  /** The content hash each text belongs to (the records' own strings, not copies). */
  readonly hashes: string[] = [];

  /** Records the text of `id`, the next position. */
  push(id: string, offset: number, length: number, contentHash: string): void {
    this.index.set(id, this.offsets.length);
    this.offsets.push(offset);
    this.lengths.push(length);
    this.hashes.push(contentHash);
  }
}

/**
 * The texts of a snapshot file, read one record at a time when asked (a page of results, an
 * article): each record's paragraphs are JSON, deflated on their own. The file stays open while
 * the library uses it, so a newer snapshot renamed over it does not pull it away; it is closed
 * when the library moves to the next one (or the object is collected).
 */
export class SnapshotTexts implements TextSource {
  private static readonly closer = new FinalizationRegistry<number>((fd) => closeSync(fd));
  private open = true;

  constructor(
    private readonly fd: number,
    /** Where the texts section starts in the file. */
    private readonly base: number,
    /** Where each record's text lies in the section. */
    private readonly where: TextTable,
    /** The deflate dictionary every text was compressed with (kept from snapshot to snapshot). */
    readonly dictionary: Buffer,
  ) {
    SnapshotTexts.closer.register(this, fd, this);
  }

  has(id: string, contentHash?: string): boolean {
    const k = this.where.index.get(id);
    return k !== undefined && (contentHash === undefined || this.where.hashes[k] === contentHash);
  }

  /** The deflated bytes of a record's text, as stored (copied as they are into the next snapshot). */
  compressed(id: string): Buffer | undefined {
    const k = this.where.index.get(id);
    if (k === undefined || !this.open) return undefined;
    const length = this.where.lengths[k]!;
    const bytes = Buffer.allocUnsafe(length);
    const read = readSync(this.fd, bytes, 0, length, this.base + this.where.offsets[k]!);
    if (read !== length) throw new Error(`index snapshot: the text of "${id}" is cut short`);
    return bytes;
  }

  paragraphs(id: string): string[] | undefined {
    const bytes = this.compressed(id);
    if (!bytes) return undefined;
    const paragraphs = JSON.parse(
      inflateRawSync(bytes, { dictionary: this.dictionary }).toString('utf8'),
    ) as unknown;
    if (!Array.isArray(paragraphs) || !paragraphs.every((p) => typeof p === 'string')) {
      throw new Error(`index snapshot: the text of "${id}" is damaged`);
    }
    return paragraphs;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    SnapshotTexts.closer.unregister(this);
    closeSync(this.fd);
  }
}

/** The snapshot text source each library reads from, to close it when the library moves on. */
const textsByLibrary = new WeakMap<object, SnapshotTexts>();

function useTexts(library: Library, texts: SnapshotTexts): void {
  library.useTextSource(texts);
  const previous = textsByLibrary.get(library);
  textsByLibrary.set(library, texts);
  if (previous && previous !== texts) previous.close();
}

/** Closes the snapshot file a library read from, for a library that will not be used. */
export function releaseSnapshot(library: Library): void {
  textsByLibrary.get(library)?.close();
  textsByLibrary.delete(library);
}

/** What reading the snapshot gave: a library with its sources, or why there is none. */
export type SnapshotRead =
  | { readonly ok: true; readonly library: Library; readonly sources: SnapshotSources }
  | { readonly ok: false; readonly reason: string; readonly isMissing: boolean };

/** Lines of a section (newline-terminated JSON values, gzipped), parsed one at a time. */
function* jsonLines(bytes: Buffer): Generator<unknown> {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (end > start) yield JSON.parse(bytes.toString('utf8', start, end));
    start = end + 1;
  }
}

function readAt(fd: number, offset: number, length: number): Buffer {
  // Its own memory (not Node's shared pool), so typed arrays may view it in place.
  const bytes = Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, bytes, done, length - done, offset + done);
    if (n === 0) throw new Error('cut short');
    done += n;
  }
  return bytes;
}

/**
 * Reads `DATA_DIR/index-snapshot.bin`: the preamble, page stamps, record metadata and the index
 * segment; the texts stay in the file and are read on demand. Missing, unreadable, corrupt or
 * stale (other format, options or parser) gives a reason, never an exception.
 */
export async function readSnapshot(dataDir: string): Promise<SnapshotRead> {
  let fd: number;
  try {
    fd = openSync(snapshotPath(dataDir), 'r');
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
  let keepOpen = false;
  try {
    const size = fstatSync(fd).size;
    const preamble = parseSnapshotPreamble(
      readAt(fd, 0, Math.min(PREAMBLE_BYTES, size)).toString('utf8'),
      size,
    );
    if (!preamble.ok) return { ok: false, reason: preamble.error, isMissing: false };
    const { sections, stats } = preamble.value;
    const section = (name: SnapshotSection) => readAt(fd, sections[name].offset, sections[name].length);
    // The JSON sections are decompressed on the thread pool while this thread reads the segment.
    const unzipping = Promise.all(
      (['sources', 'metas', 'mentions'] as const).map((name) => gunzip(section(name))),
    );
    unzipping.catch(() => undefined); // awaited below, where a failure is reported
    const segment = decodeSegment(section('segment'));
    const [sourcesText, metasText, mentionsText] = await unzipping;
    const bad = (reason: string): SnapshotRead => ({
      ok: false,
      reason: `corrupt: ${reason}`,
      isMissing: false,
    });

    const sourceLines = [...jsonLines(sourcesText!)];
    const [head, ...files] = sourceLines;
    const sources = { ...(head as object), files } as unknown;
    if (!isSnapshotSources(sources)) return bad('malformed page stamps');
    if (sources.parser !== (await parserFingerprint())) {
      return { ok: false, reason: 'stale: the records were parsed by other parser code', isMissing: false };
    }
    const metas: RecordMeta[] = [];
    const where = new TextTable();
    for (const line of jsonLines(metasText!)) {
      const [meta, offset, length] = Array.isArray(line) ? (line as unknown[]) : [];
      if (!isRecordMeta(meta) || typeof offset !== 'number' || typeof length !== 'number') {
        return bad(`record ${metas.length + 1} is malformed`);
      }
      metas.push(meta);
      where.push(meta.id, offset, length, meta.contentHash);
    }
    if (metas.length !== preamble.value.documents) return bad('document count does not match');
    if (corpusFingerprint(metas) !== preamble.value.corpus)
      return bad('the records do not match the preamble');
    const mentions = new Map<string, readonly Mention[]>();
    for (const line of jsonLines(mentionsText!)) {
      const [id, list] = Array.isArray(line) ? (line as unknown[]) : [];
      if (typeof id !== 'string' || !isMentionList(list)) return bad('malformed mentions');
      mentions.set(id, list);
    }
    const texts = new SnapshotTexts(fd, sections.texts.offset, where, section('dictionary'));
    keepOpen = true;
    const loaded = Library.fromSnapshot({ metas, mentions, segment, stats, textSource: texts });
    if (!loaded.ok) {
      texts.close();
      return { ok: false, reason: loaded.error, isMissing: false };
    }
    textsByLibrary.set(loaded.value, texts);
    return { ok: true, library: loaded.value, sources };
  } catch (error) {
    return {
      ok: false,
      reason: `corrupt: ${error instanceof Error ? error.message : String(error)}`,
      isMissing: false,
    };
  } finally {
    if (!keepOpen) closeSync(fd);
  }
}

const STAT_CONCURRENCY = 64;
/**
 * Stamps for the library's records: the known ones still true of a record (same file, same
 * content hash); for the others (pages ingested since) the file is stat'ed, then read and hashed,
 * and stamped only if it still holds the record's bytes. Stat before read: a file changed in
 * between gets a stamp that no longer matches, so it is read again next time, never trusted.
 */
async function stampsFor(dataDir: string, library: Library, known: readonly FileStamp[]) {
  const byFile = new Map(known.map((s) => [s.file, s]));
  const kept = new Set<FileStamp>();
  const unknown: Array<{ file: string; contentHash: string }> = [];
  const pause = timeSlicer(WRITE_SLICE_MS);
  for (const record of library.metadata()) {
    const stamp = byFile.get(record.source);
    if (stamp?.contentHash === record.contentHash) kept.add(stamp);
    else if (/^raw\/[^/]+$/.test(record.source)) {
      unknown.push({ file: record.source, contentHash: record.contentHash });
    }
    await pause();
  }
  const fresh: FileStamp[] = [];
  const restamp = async ({ file, contentHash }: { file: string; contentHash: string }) => {
    const full = path.join(dataDir, file);
    try {
      const info = await stat(full);
      if (hashBytes(await readFile(full)) === contentHash) {
        fresh.push({ file, size: info.size, mtimeMs: info.mtimeMs, contentHash });
      }
    } catch {
      // Gone or unreadable: no stamp, so the next start looks at it again.
    }
  };
  await mapBounded(unknown, STAT_CONCURRENCY, restamp);
  // The known stamps are in file order already: only the fresh ones are sorted, then merged in.
  const byName = (a: FileStamp, b: FileStamp) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  fresh.sort(byName);
  const stamps: FileStamp[] = [];
  let k = 0;
  for (const stamp of known) {
    if (!kept.has(stamp)) continue;
    while (k < fresh.length && byName(fresh[k]!, stamp) < 0) stamps.push(fresh[k++]!);
    stamps.push(stamp);
  }
  while (k < fresh.length) stamps.push(fresh[k++]!);
  return stamps;
}

/** JSON lines made between two turns of the event loop while writing. */
const LINES_PER_TURN = 500;
/**
 * Longest stretch of work between two turns while writing: shorter than elsewhere, because a
 * garbage collection of the whole heap (tens of milliseconds at 100k documents) may fall inside one.
 */
const WRITE_SLICE_MS = 10;
/** Bytes gathered before one write call. */
const WRITE_CHUNK = 1 << 22;
/** zlib's window: the most of a dictionary deflate uses. */
const DICTIONARY_BYTES = 32 * 1024;

/** Sequential writes into a file at a position, gathered in chunks. */
class SectionWriter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly file: FileHandle,
    public position: number,
  ) {}

  async write(bytes: Uint8Array | string): Promise<void> {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    if (buffer.length >= WRITE_CHUNK) {
      // A large part (the segment's postings) goes out as it is: copying it would hold the thread.
      await this.flush();
      await this.writeAt(buffer);
      return;
    }
    this.pending.push(buffer);
    this.pendingBytes += buffer.length;
    if (this.pendingBytes >= WRITE_CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.writeAt(chunk);
  }

  private async writeAt(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.file.write(bytes, done, bytes.length - done, this.position + done);
      done += bytesWritten;
    }
    this.position += bytes.length;
  }

  /** Flushes, then pads with zeros to a multiple of 8 bytes (typed arrays read in place need it). */
  async align(): Promise<void> {
    await this.flush();
    const pad = (8 - (this.position % 8)) % 8;
    if (pad > 0) {
      await this.write(new Uint8Array(pad));
      await this.flush();
    }
  }
}

/** One JSON value per line, gzipped, a batch of lines per turn of the event loop. */
async function writeLines(out: SectionWriter, values: Iterable<unknown>): Promise<void> {
  const chunks: Buffer[] = [];
  let lines = '';
  let count = 0;
  for (const value of values) {
    lines += `${JSON.stringify(value)}\n`;
    if (++count % LINES_PER_TURN === 0) {
      chunks.push(Buffer.from(lines, 'utf8'));
      lines = '';
      await yieldToEventLoop();
    }
  }
  chunks.push(Buffer.from(lines, 'utf8'));
  await out.write(await gzip(Buffer.concat(chunks)));
}

/**
 * A deflate dictionary for a corpus's texts: the texts of records spread over it, up to 32 KB
 * (zlib's window). Short texts share most of their words with it, which triples or better what
 * deflate saves on a text of a few kilobytes alone.
 */
function dictionaryFor(
  ids: readonly string[],
  textOf: (id: string) => readonly string[] | undefined,
): Buffer {
  const parts: Buffer[] = [];
  let bytes = 0;
  const step = Math.max(1, Math.floor(ids.length / 64));
  for (let k = 0; k < ids.length && bytes < DICTIONARY_BYTES; k += step) {
    const text = textOf(ids[k]!);
    if (!text) continue;
    const part = Buffer.from(JSON.stringify(text), 'utf8');
    parts.push(part);
    bytes += part.length;
  }
  const all = Buffer.concat(parts);
  // zlib looks back from the end of the dictionary: keep its end.
  return all.subarray(Math.max(0, all.length - DICTIONARY_BYTES));
}

/**
 * Writes the library's snapshot atomically (a temporary file in the same folder, then a rename, so
 * readers see the old snapshot or the new one, never half of one), with stamps for its pages.
 * `sources` are given by whoever just stat'ed the pages (start-up); otherwise the library's known
 * stamps are carried over and checked. Returns the bytes written.
 *
 * Never blocks for long: the index is compacted step by step, texts are compressed in 10 ms slices
 * (those already in the previous snapshot are copied as they are), lines are made a few hundred per
 * turn and gzipped on the thread pool. The library answers and takes changes meanwhile; the file
 * holds it as it was when the write began. Afterwards the library reads its texts from the new file.
 */
export function saveSnapshot(dataDir: string, library: Library, sources?: SnapshotSources): Promise<number> {
  // One write at a time per library: a write reads texts from the file the previous one replaces.
  const previous = writesByLibrary.get(library) ?? Promise.resolve();
  const write = previous.catch(() => undefined).then(() => writeSnapshot(dataDir, library, sources));
  writesByLibrary.set(library, write);
  return write;
}

/** The last snapshot write of each library (see {@link saveSnapshot}). */
const writesByLibrary = new WeakMap<object, Promise<number>>();

/** How long a write waits for the index to stop changing long enough to be compacted. */
const SETTLE_MS = 30_000;

async function writeSnapshot(dataDir: string, library: Library, sources?: SnapshotSources): Promise<number> {
  const known = sourcesByLibrary.get(library);
  const current: SnapshotSources = sources ?? {
    parser: await parserFingerprint(),
    navigation: known?.navigation ?? [],
    files: await stampsFor(dataDir, library, known?.files ?? []),
  };
  let state = library.toSnapshot();
  const started = Date.now();
  while (state === null) {
    // Changes that arrive while compacting wait for the next round (and a compaction started
    // elsewhere is waited for); a steady stream of them gets a time limit.
    if (Date.now() - started > SETTLE_MS) throw new Error('the index kept changing; not compacted');
    await runStepsInTurns(library.compactSteps());
    await yieldToEventLoop();
    state = library.toSnapshot();
  }
  const file = snapshotPath(dataDir);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const where = new TextTable();
  let size = 0;
  let textsOffset = 0;
  let dictionary: Buffer = Buffer.alloc(0);
  let readFd: number | undefined;
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'w');
    const out = new SectionWriter(handle, PREAMBLE_BYTES);
    const sections = {} as Record<SnapshotSection, { offset: number; length: number }>;
    const section = async (name: SnapshotSection, write: () => Promise<void>) => {
      await out.align();
      const offset = out.position;
      await write();
      await out.flush();
      sections[name] = { offset, length: out.position - offset };
    };

    await section('segment', async () => {
      for (const part of encodeSegment(state.segment)) await out.write(part);
    });
    const previous = state.textSource instanceof SnapshotTexts ? state.textSource : null;
    const textOf = (id: string) => state.texts.get(id) ?? state.textSource?.paragraphs(id);
    // The previous file's dictionary, so its compressed texts are copied as they are.
    dictionary =
      previous?.dictionary ??
      dictionaryFor(
        state.metas.map((m) => m.id),
        textOf,
      );
    await section('dictionary', () => out.write(dictionary));
    await section('texts', async () => {
      let at = 0;
      const pause = timeSlicer(WRITE_SLICE_MS);
      for (const meta of state.metas) {
        const inMemory = state.texts.get(meta.id);
        let bytes = inMemory ? undefined : previous?.compressed(meta.id);
        if (!bytes) {
          const paragraphs = inMemory ?? state.textSource?.paragraphs(meta.id);
          if (!paragraphs) throw new Error(`the text of document "${meta.id}" cannot be read`);
          bytes = deflateRawSync(JSON.stringify(paragraphs), { dictionary });
        }
        where.push(meta.id, at, bytes.length, meta.contentHash);
        at += bytes.length;
        await out.write(bytes);
        await pause();
      }
    });
    await section('metas', () =>
      writeLines(
        out,
        (function* () {
          for (const [k, meta] of state.metas.entries()) {
            yield [meta, where.offsets[k], where.lengths[k]];
          }
        })(),
      ),
    );
    await section('mentions', () => writeLines(out, state.mentions));
    await section('sources', () =>
      writeLines(out, [{ parser: current.parser, navigation: current.navigation }, ...current.files]),
    );
    const corpus = await runStepsInTurns(corpusFingerprintSteps(state.metas));
    const preamble = JSON.stringify(snapshotPreamble(state.metas.length, corpus, state.stats, sections));
    if (Buffer.byteLength(preamble) >= PREAMBLE_BYTES) throw new Error('snapshot preamble too long');
    await handle.write(preamble.padEnd(PREAMBLE_BYTES - 1, ' ') + '\n', 0, 'utf8');
    size = out.position;
    textsOffset = sections.texts.offset;
    await handle.close();
    handle = undefined;
    // Opened before the rename: another writer renaming after us cannot swap the file under it.
    readFd = openSync(temp, 'r');
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (readFd !== undefined) closeSync(readFd);
    await rm(temp, { force: true });
    throw error;
  }
  sourcesByLibrary.set(library, current);
  // From now on the texts come from the new file (the records in it); the old file is closed.
  useTexts(library, new SnapshotTexts(readFd, textsOffset, where, dictionary));
  await rm(path.join(dataDir, LEGACY_SNAPSHOT_FILE), { force: true });
  return size;
}
