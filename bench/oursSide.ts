/**
 * Our library behind the benchmark's interface: the same Library, snapshot file and start-up path
 * (openCorpusLibrary) the bot and the CLI use, asked for one page of results (10 hits with
 * snippets) per query and for autocomplete per field.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Library, type FileStamp, type SnapshotSources } from '../src/core/library.js';
import type { DocumentRecord } from '../src/core/record.js';
import { openCorpusLibrary } from '../src/ingest/openCorpus.js';
import { parserFingerprint, readSnapshot, saveSnapshot } from '../src/ingest/snapshotFile.js';
import { mapBounded } from '../src/util/concurrency.js';
import type { BenchPrefix, BenchQuery } from './queries.js';
import type { Answerer, BenchSide, SnapshotInfo } from './side.js';

function answerer(library: Library): Answerer {
  return {
    search(query: BenchQuery): number {
      return library.search(query.text, { ...query.filter }).total;
    },
    suggest(typed: BenchPrefix): number {
      return library.suggest(typed.field, typed.prefix).length;
    },
  };
}

/**
 * The sources openCorpusLibrary hands to saveSnapshot at start-up: the parser's fingerprint and a
 * stamp (size, mtime, content hash) per page from a stat, so the write does not re-hash every page.
 */
async function sourcesFor(dataDir: string, documents: readonly DocumentRecord[]): Promise<SnapshotSources> {
  const files = await mapBounded(documents, 64, async (record): Promise<FileStamp> => {
    const info = await stat(path.join(dataDir, record.source));
    return { file: record.source, size: info.size, mtimeMs: info.mtimeMs, contentHash: record.contentHash };
  });
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { parser: await parserFingerprint(), navigation: [], files };
}

/** A fresh side for our library: one library at a time, as a process would hold. */
export function createOursSide(): BenchSide {
  let built: { library: Library; documents: readonly DocumentRecord[] } | null = null;
  return {
    name: 'ours',
    build(documents) {
      built = { library: Library.create(documents), documents };
      return Promise.resolve(answerer(built.library));
    },
    async writeSnapshot(dataDir): Promise<SnapshotInfo> {
      if (!built) throw new Error('ours side: build before writing a snapshot');
      const bytes = await saveSnapshot(dataDir, built.library, await sourcesFor(dataDir, built.documents));
      return { bytes, files: ['index-snapshot.json'] };
    },
    async loadSnapshot(dataDir) {
      built = null;
      const read = await readSnapshot(dataDir);
      if (!read.ok) throw new Error(`ours: snapshot not loaded (${read.reason})`);
      return answerer(read.library);
    },
    async coldOpen(dataDir, mode) {
      // The bot's start-up path: stat the pages, then the snapshot (or read and parse everything).
      const opened = await openCorpusLibrary(dataDir, { isReadOnly: true, isRebuild: mode === 'rebuild' });
      const expected = mode === 'snapshot' ? 'snapshot' : 'rebuilt';
      if (opened.source !== expected) {
        throw new Error(
          `ours: expected a start from "${expected}", got "${opened.source}" (${opened.reason ?? ''})`,
        );
      }
      return answerer(opened.library);
    },
  };
}
