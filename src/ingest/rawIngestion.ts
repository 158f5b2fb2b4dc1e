import type { Logger } from 'pino';
import type { Library } from '../core/library.js';
import type { Store } from '../store/store.js';
import { Ingester, type IngestReport } from './ingester.js';
import { isSnapshotRewriteWorthIt } from './openCorpus.js';
import { saveSnapshot } from './snapshotFile.js';
import { watchRaw, type RawWatcher } from './watch.js';

export interface RawIngestionOptions {
  readonly dataDir: string;
  readonly store: Store;
  /** The library the commands search: pages added to raw/ reach it. */
  readonly library: Library;
  readonly logger: Logger;
  /** Seconds between fallback rescans of raw/ (file events are not guaranteed everywhere); 0 = off. */
  readonly rescanIntervalSeconds: number;
}

/** raw/ kept in step with the ingestion log and the library: a first pass, then a watcher. */
export interface RawIngestion {
  readonly ingester: Ingester;
  /** Reconciles raw/ with the ingestion log (the start-up pass). */
  reconcile(): Promise<IngestReport>;
  /** Watches raw/ from now on (file events plus the fallback rescan). */
  watch(): void;
  /** Stops watching (a later `watch` does nothing) and waits for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * The ingester over raw/ and its watcher, for the bot (inside the digest runtime) and the console
 * alike. The snapshot is a cache that the next start reconciles page by page, so it is rewritten
 * only once enough has changed: a rewrite blocks for ~20 s at 100k documents.
 */
export function createRawIngestion(options: RawIngestionOptions): RawIngestion {
  const { dataDir, library, logger } = options;
  let changedSinceSave = 0;
  const ingester = new Ingester({
    dataDir,
    store: options.store,
    library,
    warn: (message) => logger.warn(message),
    onChanged: async (report) => {
      // Pages logged but already in the library (a first start) leave the snapshot current.
      changedSinceSave += report.indexed;
      if (!isSnapshotRewriteWorthIt(changedSinceSave, library.documentCount)) return;
      changedSinceSave = 0;
      const started = performance.now();
      const bytes = await saveSnapshot(dataDir, library);
      logger.debug({ ms: Math.round(performance.now() - started), bytes }, 'index snapshot written');
    },
  });
  let watcher: RawWatcher | undefined;
  let reconciling: Promise<unknown> | undefined;
  let stopped = false;
  const reconcile = async () => {
    const first = await ingester.sync();
    logger.info(
      {
        new: first.added.length,
        updated: first.updated.length,
        removed: first.removed.length,
        rejected: first.rejected.length,
      },
      'ingestion log reconciled with raw/',
    );
    return first;
  };
  return {
    ingester,
    reconcile() {
      const pass = reconcile();
      reconciling = pass;
      return pass;
    },
    watch() {
      if (stopped) return;
      watcher ??= watchRaw({
        dataDir,
        ingester,
        rescanIntervalSeconds: options.rescanIntervalSeconds,
        onReport: (report) =>
          logger.info(
            {
              new: report.added.map((d) => d.id),
              updated: report.updated.length,
              removed: report.removed.length,
            },
            'raw/ changed',
          ),
        onError: (error) => logger.warn({ err: error }, 'watching raw/ failed'),
      });
    },
    async stop() {
      stopped = true;
      await reconciling?.catch(() => undefined);
      await watcher?.close();
    },
  };
}
