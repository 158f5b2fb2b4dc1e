import type { Logger } from 'pino';
import type { Library } from '../core/library.js';
import { loadCorpus } from '../ingest/loadCorpus.js';
import { openLibrary } from '../ingest/snapshot.js';
import type { CommandContext } from './context.js';

export interface LoadedLibrary {
  readonly library: Library;
  readonly documentCount: number;
  readonly failures: number;
}

/**
 * Reads DATA_DIR/raw and opens the library over it (from the index snapshot when it matches).
 * Bad files and a stale snapshot are logged, never fatal.
 */
export async function loadLibrary(dataDir: string, logger: Logger): Promise<LoadedLibrary> {
  const { documents, errors } = await loadCorpus(dataDir);
  for (const failure of errors)
    logger.warn({ file: failure.file, reason: failure.reason }, 'page not loaded');
  const opened = await openLibrary(dataDir, documents, { onWarning: (message) => logger.warn(message) });
  logger.info(
    {
      documents: documents.length,
      failures: errors.length,
      dataDir,
      index: opened.source,
      ms: Math.round(opened.millis),
    },
    'library loaded',
  );
  return { library: opened.library, documentCount: documents.length, failures: errors.length };
}

/** The context commands run with. */
export function createCommandContext(
  library: Library,
  logger: Logger,
  options: { version: string; now?: () => Date; digests?: CommandContext['digests'] },
): CommandContext {
  const now = options.now ?? (() => new Date());
  return { library, logger, version: options.version, startedAt: now(), now, digests: options.digests };
}
