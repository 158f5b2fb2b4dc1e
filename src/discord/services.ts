import type { Logger } from 'pino';
import type { Library } from '../core/library.js';
import { openCorpusLibrary, type WebDocumentSource } from '../ingest/openCorpus.js';
import { runStepsInTurns } from '../util/timeSlices.js';
import type { CommandContext } from './context.js';
import type { Language } from '../i18n/translate.js';

export interface LoadedLibrary {
  readonly library: Library;
  readonly documentCount: number;
  readonly failures: number;
}

/**
 * Opens the library over DATA_DIR/raw and the documents fetched from live sources (the index
 * snapshot plus what changed since).
 * Bad files and a stale snapshot are logged, never fatal. The parts built on first use (contact
 * directory) are built just after, off the start-up path, so the first autocomplete is quick.
 */
export async function loadLibrary(
  dataDir: string,
  logger: Logger,
  webDocuments: WebDocumentSource,
): Promise<LoadedLibrary> {
  const opened = await openCorpusLibrary(dataDir, {
    onWarning: (message) => logger.warn(message),
    webDocuments,
  });
  for (const failure of opened.errors)
    logger.warn({ file: failure.file, reason: failure.reason }, 'page not loaded');
  const { library } = opened;
  const documentCount = opened.counts.documents;
  logger.info(
    {
      failures: opened.errors.length,
      dataDir,
      index: opened.source,
      ...opened.counts,
      ms: Math.round(opened.timings.totalMs),
    },
    'library loaded',
  );
  const started = performance.now();
  // Off the start-up path; a failure only leaves those parts to be built on first use.
  void runStepsInTurns(library.warmSteps()).then(
    () => logger.debug({ ms: Math.round(performance.now() - started) }, 'library warmed'),
    (error: unknown) =>
      logger.error({ err: error }, 'warming the library failed; its lazy parts are built on first use'),
  );
  return { library, documentCount, failures: opened.errors.length };
}

/** The context commands run with. */
export function createCommandContext(
  library: Library,
  logger: Logger,
  options: {
    version: string;
    now?: () => Date;
    digests?: CommandContext['digests'];
    sources?: CommandContext['sources'];
    metrics?: CommandContext['metrics'];
    guildSettings?: CommandContext['guildSettings'];
    /** BOT_LANGUAGE: the console's language, and Discord's when nothing else decides. */
    language?: Language;
  },
): CommandContext {
  const now = options.now ?? (() => new Date());
  return {
    library,
    logger,
    version: options.version,
    startedAt: now(),
    now,
    digests: options.digests,
    sources: options.sources,
    metrics: options.metrics,
    guildSettings: options.guildSettings,
    language: options.language ?? 'en',
  };
}
