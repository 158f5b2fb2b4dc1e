import type { Library } from '../core/library.js';
import { loadCorpus } from '../ingest/loadCorpus.js';
import { openLibrary } from '../ingest/snapshot.js';
import type { CliIo } from './command.js';

/**
 * The library over `$DATA_DIR/raw` for a CLI command: the snapshot when valid, else a rebuild
 * (which rewrites it). Pages that fail to parse and snapshot problems are one line each on stderr.
 */
export async function libraryFor(io: CliIo): Promise<Library> {
  const corpus = await loadCorpus(io.dataDir);
  if (corpus.errors.length > 0) {
    io.stderr(`warning: ${corpus.errors.length} page(s) could not be parsed; run \`parse\` for details\n`);
  }
  const opened = await openLibrary(io.dataDir, corpus.documents, {
    onWarning: (message) => io.stderr(`warning: ${message}\n`),
  });
  return opened.library;
}

/** JSON as the CLI prints it: indented, one trailing newline. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
