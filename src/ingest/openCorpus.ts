import { statSync } from 'node:fs';
import path from 'node:path';
import { Library, type FileStamp, type SnapshotSources } from '../core/library.js';
import type { DocumentRecord } from '../core/record.js';
import { timeSlicer } from '../util/timeSlices.js';
import { checkMiniSearchVersion } from './miniSearchVersion.js';
import { documentId, listPageNames, parseFiles, rawDir, type ParseFailure } from './loadCorpus.js';
import {
  parserFingerprint,
  readSnapshot,
  releaseSnapshot,
  rememberSources,
  saveSnapshot,
  snapshotPath,
} from './snapshotFile.js';

export interface OpenCorpusOptions {
  /** A corrupt or stale snapshot, or one that could not be written: the library still opens. */
  readonly onWarning?: (message: string) => void;
  /** Pages read so far while parsing (only pages that are read: new, changed, or all on a rebuild). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Never write the snapshot (read-only data folders). */
  readonly isReadOnly?: boolean;
  /** Ignore the snapshot: read and parse every page, build, write (`index build`). */
  readonly isRebuild?: boolean;
  /**
   * Documents fetched from live sources (kept in the store, not in raw/): part of the corpus like the
   * pages, upserted when the snapshot's copy differs, never removed for want of a file.
   */
  readonly webDocuments?: WebDocumentSource;
}

/** What a start needs of the stored web documents: `store.webDocuments` is one. */
export interface WebDocumentSource {
  /** Id, content hash and address count of each: whether the snapshot's copy is current. */
  stamps(): Promise<
    ReadonlyArray<{ readonly id: string; readonly contentHash: string; readonly urlCount: number }>
  >;
  /** The records with these ids. */
  records(ids: readonly string[]): Promise<DocumentRecord[]>;
}

/** A {@link WebDocumentSource} over records already in memory. */
export function webDocumentsOf(records: readonly DocumentRecord[]): WebDocumentSource {
  const byId = new Map(records.map((r) => [r.id, r]));
  return {
    stamps: () =>
      Promise.resolve(
        records.map((r) => ({ id: r.id, contentHash: r.contentHash, urlCount: r.urls?.length ?? 0 })),
      ),
    records: (ids) => Promise.resolve(ids.flatMap((id) => byId.get(id) ?? [])),
  };
}

const NO_WEB_DOCUMENTS = webDocumentsOf([]);

/** How the library was obtained, for logs and `index build`. */
export interface OpenedCorpus {
  readonly library: Library;
  /** Pages that could not be parsed (read again at every start, so always current). */
  readonly errors: readonly ParseFailure[];
  /**
   * `snapshot`: no record changed; `updated`: the snapshot plus the pages that changed;
   * `rebuilt`: every page read and indexed.
   */
  readonly source: 'snapshot' | 'updated' | 'rebuilt';
  /** Why the snapshot was not used when rebuilt (`missing`, `stale: ...`, `corrupt: ...`, `requested`, ...). */
  readonly reason: string | null;
  readonly counts: {
    /** Documents in the library. */
    readonly documents: number;
    /** Page files in raw/. */
    readonly files: number;
    /** Records taken from the snapshot without reading their page. */
    readonly reused: number;
    /** Pages read and parsed. */
    readonly parsed: number;
    /** Records added or replaced, and removed, in the snapshot's library. */
    readonly upserted: number;
    readonly removed: number;
  };
  /** Milliseconds: listing + stat, snapshot load, read + parse, index build or update, write. */
  readonly timings: {
    readonly scanMs: number;
    readonly loadMs: number;
    readonly parseMs: number;
    readonly indexMs: number;
    readonly writeMs: number;
    readonly totalMs: number;
  };
  /** Whether a new snapshot was written, and its size. */
  readonly wrote: boolean;
  readonly snapshotBytes: number;
}

/** More changed pages than this share of the corpus: rebuild from the pages instead of patching. */
const REBUILD_SHARE = 0.2;
/**
 * Fewer changed pages than this share are not worth rewriting the snapshot at start (≈20 s at
 * 100k documents); they are simply parsed again at the next start (milliseconds each).
 */
const REWRITE_SHARE = 0.01;

/**
 * Whether `changed` pages since the snapshot was written justify rewriting it for a corpus of
 * `documents`: below the share, parsing those pages again at the next start is cheaper. Used at
 * start and after live ingestion, so both keep the same policy.
 */
export function isSnapshotRewriteWorthIt(changed: number, documents: number): boolean {
  return changed >= REWRITE_SHARE * Math.max(1, documents);
}
interface ListedFile {
  /** Relative to the data folder, forward slashes (a record's `source`). */
  readonly file: string;
  readonly path: string;
  readonly id: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * raw/'s pages with their size and mtime, in file order; null when the folder is missing. The stats
 * are synchronous, in time slices: at 70,000 pages that takes a fifth of the time of the same stats
 * through the thread pool, and start-up is waiting for them anyway.
 */
async function listPages(dataDir: string): Promise<ListedFile[] | null> {
  const dir = rawDir(dataDir);
  const names = await listPageNames(dataDir);
  if (names === null) return null;
  const listed: ListedFile[] = [];
  const pause = timeSlicer();
  for (const name of names) {
    const full = path.join(dir, name);
    const info = statSync(full, { throwIfNoEntry: false });
    // Vanished since the listing: as if it was never there.
    if (info) {
      listed.push({
        file: `raw/${name}`,
        path: full,
        id: documentId(name),
        size: info.size,
        mtimeMs: info.mtimeMs,
      });
    }
    await pause();
  }
  return listed.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * Stamps for freshly parsed records, from the stat taken before they were read: a file changed in
 * between then carries a stamp that no longer matches and is read again next time.
 */
function stampsOf(records: readonly DocumentRecord[], listed: ReadonlyMap<string, ListedFile>): FileStamp[] {
  const stamps: FileStamp[] = [];
  for (const record of records) {
    const f = listed.get(record.source);
    if (f) stamps.push({ file: f.file, size: f.size, mtimeMs: f.mtimeMs, contentHash: record.contentHash });
  }
  return stamps;
}

const sameStamps = (a: readonly FileStamp[], b: readonly FileStamp[]) =>
  a.length === b.length &&
  a.every((s, i) => {
    const t = b[i];
    return (
      t !== undefined &&
      s.file === t.file &&
      s.size === t.size &&
      s.mtimeMs === t.mtimeMs &&
      s.contentHash === t.contentHash
    );
  });

const byFile = (a: FileStamp, b: FileStamp) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/**
 * Opens the library over `DATA_DIR/raw`, the one way every adapter starts. Lists and stats the
 * pages, then loads the index snapshot, which holds the records and a stamp (size, mtime, content
 * hash) per page: pages whose size and mtime match their stamp are not read at all (by design: a
 * file rewritten with the same size within the same mtime tick is not noticed, as with make or
 * rsync; `index build` re-reads everything). New and changed pages are parsed and applied to the
 * loaded library, removed ones dropped, and the snapshot rewritten atomically once at least 1% of
 * the pages changed (fewer are cheaper to parse again next time than a rewrite). Without a usable
 * snapshot, or when more than a fifth of the pages changed, every page is parsed and the index
 * built anew. A corrupt or stale snapshot gives a warning, never a crash or wrong results.
 */
export async function openCorpusLibrary(
  dataDir: string,
  options: OpenCorpusOptions = {},
): Promise<OpenedCorpus> {
  checkMiniSearchVersion(options.onWarning ?? (() => undefined));
  const t0 = performance.now();
  const timings = { scanMs: 0, loadMs: 0, parseMs: 0, indexMs: 0, writeMs: 0, totalMs: 0 };
  // The snapshot is read while raw/ is listed: its decompression waits on the thread pool.
  const reading = options.isRebuild ? null : readSnapshot(dataDir);
  const listed = await listPages(dataDir);
  timings.scanMs = performance.now() - t0;
  if (listed === null) {
    void reading?.then((read) => read.ok && releaseSnapshot(read.library));
    // A missing folder (unmounted, being replaced) is not "every page was deleted": keep the snapshot.
    const web = options.webDocuments ?? NO_WEB_DOCUMENTS;
    const library = Library.create(await web.records((await web.stamps()).map((s) => s.id)));
    timings.totalMs = performance.now() - t0;
    return {
      library,
      errors: [{ file: 'raw', reason: 'folder not found' }],
      source: 'rebuilt',
      reason: 'raw folder not found',
      counts: {
        documents: library.documentCount,
        files: 0,
        reused: 0,
        parsed: 0,
        upserted: 0,
        removed: 0,
      },
      timings,
      wrote: false,
      snapshotBytes: 0,
    };
  }
  const listedByFile = new Map(listed.map((f) => [f.file, f]));
  const parser = await parserFingerprint();
  const webSource = options.webDocuments ?? NO_WEB_DOCUMENTS;
  const webStamps = await webSource.stamps();

  /** Remembers the sources with the library, and writes the snapshot unless read-only; a failure is a warning. */
  const write = async (library: Library, sources: SnapshotSources) => {
    rememberSources(library, sources);
    if (options.isReadOnly) return 0;
    const started = performance.now();
    try {
      return await saveSnapshot(dataDir, library, sources);
    } catch (error) {
      options.onWarning?.(
        `index snapshot ${snapshotPath(dataDir)}: could not write (${error instanceof Error ? error.message : String(error)})`,
      );
      return 0;
    } finally {
      timings.writeMs = performance.now() - started;
    }
  };

  const rebuild = async (reason: string): Promise<OpenedCorpus> => {
    const t1 = performance.now();
    const corpus = await parseFiles(
      listed.map((f) => f.path),
      dataDir,
      { onProgress: options.onProgress },
    );
    const t2 = performance.now();
    timings.parseMs = t2 - t1;
    const web = await webSource.records(webStamps.map((s) => s.id));
    const library = Library.create([...corpus.documents, ...web]);
    timings.indexMs = performance.now() - t2;
    const sources: SnapshotSources = {
      parser,
      navigation: corpus.navigation ?? [],
      files: stampsOf(corpus.documents, listedByFile).sort(byFile),
    };
    const bytes = await write(library, sources);
    timings.totalMs = performance.now() - t0;
    return {
      library,
      errors: corpus.errors,
      source: 'rebuilt',
      reason,
      counts: {
        documents: corpus.documents.length + web.length,
        files: listed.length,
        reused: 0,
        parsed: listed.length,
        upserted: corpus.documents.length + web.length,
        removed: 0,
      },
      timings,
      wrote: bytes > 0,
      snapshotBytes: bytes,
    };
  };

  if (!reading) return rebuild('requested');
  const t1 = performance.now();
  const snapshot = await reading;
  // What the read took beyond the listing it overlapped.
  timings.loadMs = performance.now() - t1;
  if (!snapshot.ok) {
    if (!snapshot.isMissing) {
      options.onWarning?.(
        `index snapshot ${snapshotPath(dataDir)}: ${snapshot.reason}; rebuilding the index`,
      );
    }
    return rebuild(snapshot.reason);
  }

  const { library, sources } = snapshot;
  const stamps = new Map(sources.files.map((s) => [s.file, s]));
  const stored = new Map([...library.metadata()].map((r) => [r.id, r]));
  const byId = new Map<string, ListedFile[]>();
  for (const f of listed) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
  const reused: FileStamp[] = [];
  const toParse: ListedFile[] = [];
  for (const group of byId.values()) {
    const [only] = group;
    const stamp = only && stamps.get(only.file);
    const record = only && stored.get(only.id);
    const isUnchanged =
      group.length === 1 &&
      only !== undefined &&
      stamp !== undefined &&
      record !== undefined &&
      stamp.size === only.size &&
      stamp.mtimeMs === only.mtimeMs &&
      record.source === only.file &&
      record.contentHash === stamp.contentHash;
    // Two files with one id are parsed together, so the duplicate is reported as loadCorpus does.
    if (isUnchanged) reused.push(stamp);
    else toParse.push(...group);
  }
  const webIds = new Set(webStamps.map((s) => s.id));
  const vanished = [...stored.keys()].filter((id) => !byId.has(id) && !webIds.has(id)).length;
  if (toParse.length + vanished > REBUILD_SHARE * Math.max(stored.size, listed.length)) {
    releaseSnapshot(library);
    return rebuild(`${toParse.length + vanished} of ${listed.length} pages changed`);
  }

  const t2 = performance.now();
  const parsed =
    toParse.length > 0
      ? await parseFiles(
          toParse.map((f) => f.path),
          dataDir,
          { navigation: sources.navigation, onProgress: options.onProgress },
        )
      : { documents: [], errors: [] };
  const t3 = performance.now();
  timings.parseMs = t3 - t2;
  const current = new Set(reused.map((s) => documentId(s.file)));
  let upserted = 0;
  for (const record of parsed.documents) {
    current.add(record.id);
    const previous = stored.get(record.id);
    // Same bytes, same parser: the same record (a touched file). Only its stamp is new.
    if (previous?.contentHash === record.contentHash && previous.source === record.source) continue;
    library.upsert(record);
    upserted++;
  }
  // Only the web documents whose stored copy differs from the snapshot's are read.
  const changedWeb: string[] = [];
  for (const stamp of webStamps) {
    current.add(stamp.id);
    const previous = stored.get(stamp.id);
    if (previous?.contentHash !== stamp.contentHash || (previous.urls?.length ?? 0) !== stamp.urlCount) {
      changedWeb.push(stamp.id);
    }
  }
  for (const record of await webSource.records(changedWeb)) {
    library.upsert(record);
    upserted++;
  }
  let removed = 0;
  for (const id of stored.keys()) {
    if (!current.has(id) && library.remove(id)) removed++;
  }
  timings.indexMs = performance.now() - t3;

  const files = [...reused, ...stampsOf(parsed.documents, listedByFile)].sort(byFile);
  const isChanged = upserted + removed > 0;
  const next: SnapshotSources = { parser, navigation: sources.navigation, files };
  rememberSources(library, next);
  const drift = files.length - reused.length + removed;
  const isWorthWriting = !sameStamps(files, sources.files) && isSnapshotRewriteWorthIt(drift, current.size);
  const bytes = isWorthWriting ? await write(library, next) : 0;
  timings.totalMs = performance.now() - t0;
  return {
    library,
    errors: parsed.errors,
    source: isChanged ? 'updated' : 'snapshot',
    reason: null,
    counts: {
      documents: current.size,
      files: listed.length,
      reused: reused.length,
      parsed: toParse.length,
      upserted,
      removed,
    },
    timings,
    wrote: bytes > 0,
    snapshotBytes: bytes,
  };
}
