/**
 * Our library behind the benchmark's interface: the same Library, snapshot file and openLibrary the
 * bot and the CLI use, asked for one page of results (10 hits with snippets) per query and for
 * autocomplete per field.
 */
import { stat } from 'node:fs/promises';
import { Library } from '../src/core/library.js';
import type { DocumentRecord } from '../src/core/record.js';
import { loadCorpus } from '../src/ingest/loadCorpus.js';
import { openLibrary, saveSnapshot, snapshotPath } from '../src/ingest/snapshot.js';
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

/** Opens from the snapshot and insists it was used: a silent rebuild would fake the numbers. */
async function fromSnapshot(dataDir: string, documents: readonly DocumentRecord[]): Promise<Library> {
  const opened = await openLibrary(dataDir, documents, {
    isReadOnly: true,
    onWarning: (message) => process.stderr.write(`  ours: ${message}\n`),
  });
  if (opened.source !== 'snapshot')
    throw new Error(`ours: snapshot not used (${opened.reason ?? 'unknown'})`);
  return opened.library;
}

/** A fresh side for our library: one library at a time, as a process would hold. */
export function createOursSide(): BenchSide {
  let built: Library | null = null;
  return {
    name: 'ours',
    build(documents) {
      built = Library.create(documents);
      return Promise.resolve(answerer(built));
    },
    async writeSnapshot(dataDir): Promise<SnapshotInfo> {
      if (!built) throw new Error('ours side: build before writing a snapshot');
      await saveSnapshot(dataDir, built);
      const file = snapshotPath(dataDir);
      return { bytes: (await stat(file)).size, files: [file] };
    },
    async loadSnapshot(dataDir, documents) {
      built = null;
      return answerer(await fromSnapshot(dataDir, documents));
    },
    async coldOpen(dataDir, mode) {
      // Our snapshot is tied to the pages' content hashes, so a start always reads the pages first.
      const { documents } = await loadCorpus(dataDir);
      if (mode === 'snapshot') return answerer(await fromSnapshot(dataDir, documents));
      // What openLibrary does when there is no snapshot, minus writing one: time to the first answer.
      return answerer(Library.create(documents));
    },
  };
}
