import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentRecord, RecordMeta } from '../core/record.js';
import type { LogAppend, LogEntry, Store } from '../store/store.js';
import { documentId, hashBytes, listPageNames, parseFiles, rawDir, type ParseFailure } from './loadCorpus.js';
import { snapshotStamps } from './snapshotFile.js';
import { timeSlicer, yieldToEventLoop } from '../util/timeSlices.js';

/**
 * Log entries appended per write transaction. A first start over 100k pages logs them all; in
 * slices, with a yield between, the bot keeps answering, and a kill midway loses nothing: the
 * pages not yet logged are logged (once) by the next pass.
 */
const LOG_SLICE = 250;

/** Where ingested documents go besides the log: the search library (its upsert/remove facade). */
export interface LibraryWriter {
  upsert(record: DocumentRecord): void;
  remove(id: string): void;
  /**
   * The metadata of a record it holds (no text): lets a pass log a page the library already holds
   * as it is now without parsing it again.
   */
  meta?(id: string): RecordMeta | undefined;
}

/** What one pass over `raw/` changed. */
export interface IngestReport {
  /** Log entries appended, in sequence order. */
  readonly logged: readonly LogEntry[];
  readonly added: readonly RecordMeta[];
  readonly updated: readonly RecordMeta[];
  readonly removed: readonly string[];
  /** Files that could not be parsed this pass (each reported once per content). */
  readonly rejected: readonly ParseFailure[];
  /** Files whose content was already logged. */
  readonly unchanged: number;
  /**
   * Records this pass added to, replaced in or removed from the library. Fewer than `logged` when
   * the library already held pages the log did not (a first start: the library was just built
   * from raw/): those are logged, not indexed again, and a snapshot of the library stays current.
   */
  readonly indexed: number;
}

export interface IngesterOptions {
  readonly dataDir: string;
  readonly store: Store;
  readonly library?: LibraryWriter;
  /** After a pass that changed something, e.g. to rewrite the index snapshot. Errors are reported, not thrown. */
  readonly onChanged?: (report: IngestReport) => Promise<void> | void;
  /** Bad files and hook failures; never fatal. */
  readonly warn?: (message: string) => void;
  /** The clock for log times (tests pass a fixed one). */
  readonly now?: () => Date;
}

/**
 * Keeps the ingestion log and the library in step with `DATA_DIR/raw`. Each pass compares the folder
 * with the log (the log is the memory across restarts), so a file added while the bot was down is
 * logged `new` exactly once, a changed file `updated`, a vanished one `removed`. Passes never overlap.
 */
export class Ingester {
  private running: Promise<IngestReport> | undefined;
  private queued: Promise<IngestReport> | undefined;
  /** file → content hash of rejected files already reported, so a rescan does not repeat itself. */
  private readonly reported = new Map<string, string>();
  private readonly hashes = new Map<string, { key: string; hash: string }>();

  constructor(private readonly options: IngesterOptions) {
    // The snapshot's stamps say which bytes a file of that size and mtime held: the first pass
    // after a start then reads only pages changed since, not all of them.
    for (const s of snapshotStamps(options.library)) {
      this.hashes.set(path.join(options.dataDir, s.file), {
        key: `${s.size}:${s.mtimeMs}`,
        hash: s.contentHash,
      });
    }
  }

  /**
   * One reconciliation pass. A call during a pass gets one follow-up pass (shared by every such
   * call), so a burst of file events costs at most two passes and none is missed.
   */
  sync(): Promise<IngestReport> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.sync();
      });
    return this.queued;
  }

  /** Resolves when no pass is running or queued. */
  async idle(): Promise<void> {
    while (this.running ?? this.queued) await (this.queued ?? this.running)?.catch(() => undefined);
  }

  /** sha256 of a file, cached by size and mtime so a rescan of a big folder reads only what changed. */
  private async hashOf(file: string): Promise<string | undefined> {
    try {
      const info = await stat(file);
      const key = `${info.size}:${info.mtimeMs}`;
      const cached = this.hashes.get(file);
      if (cached?.key === key) return cached.hash;
      const hash = hashBytes(await readFile(file));
      this.hashes.set(file, { key, hash });
      return hash;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private async pass(): Promise<IngestReport> {
    const { dataDir, store } = this.options;
    const dir = rawDir(dataDir);
    const names = await listPageNames(dataDir);
    if (names === null) {
      // A missing folder (unmounted, being replaced) is not "every page was deleted": change nothing.
      this.options.warn?.(`ingest: ${dir} not found; nothing ingested or removed`);
      return { logged: [], added: [], updated: [], removed: [], rejected: [], unchanged: 0, indexed: 0 };
    }

    const states = await store.log.documentStates();
    const library = this.options.library;
    const toParse: string[] = [];
    /** Pages the library already holds as they are now, but the log does not: logged as they are. */
    const held: RecordMeta[] = [];
    const present = new Set<string>();
    const rejected: ParseFailure[] = [];
    let unchanged = 0;
    const fileHashes = new Map<string, string>();
    const duplicates: ParseFailure[] = [];
    const files: Array<{ name: string; id: string; file: string; hash: string }> = [];
    for (const name of names) {
      const file = path.join(dir, name);
      const hash = await this.hashOf(file);
      if (hash === undefined) continue; // Vanished between listing and reading: the next pass sees it gone.
      fileHashes.set(`raw/${name}`, hash);
      files.push({ name, id: documentId(name), file, hash });
    }
    const pause = timeSlicer();
    const byId = new Map<string, typeof files>();
    for (const f of files) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
    for (const [id, group] of byId) {
      await pause();
      const state = states.get(id);
      const known = state && state.event !== 'removed' ? state.contentHash : null;
      // Two files with one id (a.txt, a.md): keep the one already logged, so passes do not flip-flop.
      const [first] = group;
      if (!first) continue;
      const keep = group.find((f) => f.hash === known) ?? first;
      for (const other of group) {
        if (other !== keep) {
          duplicates.push({
            file: `raw/${other.name}`,
            reason: `duplicate id "${id}" (also raw/${keep.name})`,
          });
        }
      }
      present.add(id);
      if (keep.hash === known) {
        unchanged++;
        continue;
      }
      const record = library?.meta?.(id);
      if (record?.contentHash === keep.hash && record.source === `raw/${keep.name}`) held.push(record);
      else toParse.push(keep.file);
    }

    const parsed = toParse.length > 0 ? await parseFiles(toParse, dataDir) : { documents: [], errors: [] };
    for (const failure of [...duplicates, ...parsed.errors]) {
      const hash = fileHashes.get(failure.file) ?? '';
      if (this.reported.get(failure.file) === hash) continue;
      this.reported.set(failure.file, hash);
      rejected.push(failure);
      this.options.warn?.(`ingest: ${failure.file}: ${failure.reason}`);
    }

    const appends: LogAppend[] = [];
    for (const record of [...held, ...parsed.documents]) {
      this.reported.delete(record.source);
      // An id ever announced comes back as `updated` (the store decides, inside its transaction):
      // a digest never posts the same article twice.
      appends.push({ docId: record.id, contentHash: record.contentHash, kind: record.kind, event: 'new' });
    }
    const gone: string[] = [];
    // Documents fetched from live sources have no file: raw/ never removes them.
    const webIds = await store.webDocuments.ids();
    for (const [id, state] of states) {
      await pause();
      if (state.event === 'removed' || present.has(id) || webIds.has(id)) continue;
      gone.push(id);
      appends.push({
        docId: id,
        contentHash: null,
        kind: state.kind,
        event: 'removed',
      });
    }

    // Library first, log second: once the log says `new`, a digest can look the record up.
    // Upserts are idempotent, so a change another process logged first still reaches our library.
    // Both go in time slices, so the bot answers while a big batch is ingested.
    if (library) {
      for (const record of parsed.documents) {
        library.upsert(record);
        await pause();
      }
      for (const id of gone) {
        library.remove(id);
        await pause();
      }
    }
    const at = this.options.now?.() ?? new Date();
    const logged: LogEntry[] = [];
    for (let from = 0; from < appends.length; from += LOG_SLICE) {
      if (from > 0) await yieldToEventLoop();
      logged.push(...(await store.log.append(appends.slice(from, from + LOG_SLICE), at)));
    }
    const parsedById = new Map<string, RecordMeta>([...held, ...parsed.documents].map((d) => [d.id, d]));
    const recordsOf = (event: LogEntry['event']) =>
      logged.filter((e) => e.event === event).flatMap((e) => parsedById.get(e.docId) ?? []);
    const report: IngestReport = {
      logged,
      added: recordsOf('new'),
      updated: recordsOf('updated'),
      removed: logged.filter((e) => e.event === 'removed').map((e) => e.docId),
      rejected,
      unchanged,
      indexed: library ? parsed.documents.length + gone.length : 0,
    };
    if (logged.length > 0 && this.options.onChanged) {
      try {
        await this.options.onChanged(report);
      } catch (error) {
        this.options.warn?.(
          `ingest: after-change hook failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return report;
  }
}
