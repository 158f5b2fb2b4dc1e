import type { Logger } from 'pino';
import { loadCorpus } from '../ingest/loadCorpus.js';
import type { CommandContext } from './context.js';
import type { LibraryPort } from './library.js';
import { createSimpleLibrary } from './simpleLibrary.js';

export interface LoadedLibrary {
  readonly library: LibraryPort;
  readonly documentCount: number;
  readonly failures: number;
}

/** Reads DATA_DIR/raw and builds the search services the commands use. Bad files are logged, not fatal. */
export async function loadLibrary(dataDir: string, logger: Logger): Promise<LoadedLibrary> {
  const { documents, errors } = await loadCorpus(dataDir);
  for (const failure of errors)
    logger.warn({ file: failure.file, reason: failure.reason }, 'page not loaded');
  const library = createSimpleLibrary(documents);
  logger.info({ documents: documents.length, failures: errors.length, dataDir }, 'library loaded');
  return { library, documentCount: documents.length, failures: errors.length };
}

/** The context commands run with. */
export function createCommandContext(
  library: LibraryPort,
  logger: Logger,
  options: { version: string; now?: () => Date; digests?: unknown },
): CommandContext {
  const now = options.now ?? (() => new Date());
  return { library, logger, version: options.version, startedAt: now(), now, digests: options.digests };
}
