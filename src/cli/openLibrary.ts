import type { Library } from '../core/library.js';
import { openCorpusLibrary, type WebDocumentSource } from '../ingest/openCorpus.js';
import { withWebDocuments } from '../ingest/webRecords.js';
import type { CliIo } from './command.js';

/**
 * The library over `$DATA_DIR/raw` and the documents fetched from live sources, for a CLI command:
 * the snapshot plus whatever changed, else a rebuild (which rewrites it). Pages that fail to parse and snapshot problems are one line
 * each on stderr.
 */
export async function libraryFor(io: CliIo, webDocuments?: WebDocumentSource): Promise<Library> {
  if (!webDocuments) return withWebDocuments(io, (stored) => libraryFor(io, stored));
  const opened = await openCorpusLibrary(io.dataDir, {
    onWarning: (message) => io.stderr(`warning: ${message}\n`),
    webDocuments,
  });
  if (opened.errors.length > 0) {
    io.stderr(`warning: ${opened.errors.length} page(s) could not be parsed; run \`parse\` for details\n`);
  }
  return opened.library;
}
