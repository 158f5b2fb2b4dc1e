/**
 * Our library behind the benchmark's interface: the same Library, snapshot file and start-up path
 * (openCorpusLibrary, over raw/ and the fetched documents in the store, as src/main.ts opens it)
 * the bot and the CLI use, asked for one page of results (10 hits with snippets) per query and for
 * autocomplete per field. Ingestion runs through the digest runtime's Ingester, built by the same
 * factory main.ts uses.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Library, type FileStamp, type SnapshotSources } from '../src/core/library.js';
import type { DocumentRecord } from '../src/core/record.js';
import { openCorpusLibrary } from '../src/ingest/openCorpus.js';
import { createRawIngestion, type RawIngestion } from '../src/ingest/rawIngestion.js';
import { withWebDocuments } from '../src/ingest/webRecords.js';
import { createLogger } from '../src/logger.js';
import { parserFingerprint, readSnapshot, saveSnapshot, SNAPSHOT_FILE } from '../src/ingest/snapshotFile.js';
import { Store } from '../src/store/store.js';
import { mapBounded } from '../src/util/concurrency.js';
import type { BenchPrefix, BenchQuery } from './queries.js';
import type { Answerer, BenchSide, SnapshotInfo } from './side.js';

function answerer(library: Library): Answerer {
  return {
    search(query: BenchQuery): number {
      return library.search(query.text, {
        ...query.filter,
        ...(query.sort ? { sort: query.sort } : {}),
        ...(query.since ? { since: query.since.iso } : {}),
      }).total;
    },
    suggest(typed: BenchPrefix): number {
      return library.suggest(typed.field, typed.prefix).length;
    },
  };
}

/**
 * The sources openCorpusLibrary hands to saveSnapshot at start-up: the parser's fingerprint and a
 * stamp (size, mtime, content hash) per page from a stat, so the write does not re-hash every page.
 * Fetched documents have no page.
 */
async function sourcesFor(dataDir: string, documents: readonly DocumentRecord[]): Promise<SnapshotSources> {
  const pages = documents.filter((record) => record.source.startsWith('raw/'));
  const files = await mapBounded(pages, 64, async (record): Promise<FileStamp> => {
    const info = await stat(path.join(dataDir, record.source));
    return { file: record.source, size: info.size, mtimeMs: info.mtimeMs, contentHash: record.contentHash };
  });
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { parser: await parserFingerprint(), navigation: [], files };
}

/** A fresh side for our library: one library at a time, as a process would hold. */
export function createOursSide(): BenchSide {
  let built: { library: Library; documents: readonly DocumentRecord[] | null } | null = null;
  let ingestion: { raw: RawIngestion; store: Store } | null = null;
  return {
    name: 'ours',
    build(documents) {
      built = { library: Library.create(documents), documents };
      return Promise.resolve(answerer(built.library));
    },
    async writeSnapshot(dataDir): Promise<SnapshotInfo> {
      if (!built) throw new Error('ours side: build or open before writing a snapshot');
      // After a build, with the stamps a start-up would pass; after an open, as the running bot
      // rewrites it (the digest runtime's call, the library's known stamps carried over).
      const bytes = built.documents
        ? await saveSnapshot(dataDir, built.library, await sourcesFor(dataDir, built.documents))
        : await saveSnapshot(dataDir, built.library);
      return { bytes, files: [SNAPSHOT_FILE] };
    },
    async loadSnapshot(dataDir) {
      built = null;
      const read = await readSnapshot(dataDir);
      if (!read.ok) throw new Error(`ours: snapshot not loaded (${read.reason})`);
      return answerer(read.library);
    },
    async coldOpen(dataDir, mode) {
      // The bot's start-up path: the store's fetched documents, then stat the pages and load the
      // snapshot (or read and parse everything).
      const opened = await withWebDocuments({ dataDir }, (webDocuments) =>
        openCorpusLibrary(dataDir, { isReadOnly: true, isRebuild: mode === 'rebuild', webDocuments }),
      );
      const expected = mode === 'snapshot' ? 'snapshot' : 'rebuilt';
      if (opened.source !== expected) {
        throw new Error(
          `ours: expected a start from "${expected}", got "${opened.source}" (${opened.reason ?? ''})`,
        );
      }
      built = { library: opened.library, documents: null };
      return answerer(opened.library);
    },
    async beginIngestion(dataDir) {
      if (!built) throw new Error('ours side: open before ingesting');
      // The ingestion of raw/ the program runs (createApp), over its one store.
      const store = await Store.open(dataDir);
      const raw = createRawIngestion({
        dataDir,
        store,
        library: built.library,
        logger: createLogger('warn', 'stderr'),
        rescanIntervalSeconds: 0,
      });
      ingestion = { raw, store };
      return (await raw.ingester.sync()).logged.length;
    },
    async ingest() {
      if (!ingestion) throw new Error('ours side: beginIngestion before ingest');
      // What the raw/ watcher calls after a burst of file events.
      return (await ingestion.raw.ingester.sync()).added.length;
    },
    async close() {
      await ingestion?.raw.stop();
      await ingestion?.store.close();
      ingestion = null;
    },
  };
}
