import { Events, type Client, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { Library } from '../core/library.js';
import { Ingester } from '../ingest/ingester.js';
import { isSnapshotRewriteWorthIt } from '../ingest/openCorpus.js';
import { saveSnapshot } from '../ingest/snapshotFile.js';
import { watchRaw, type RawWatcher } from '../ingest/watch.js';
import { DigestScheduler } from '../scheduler.js';
import { claimOwner } from '../store/claimOwner.js';
import { Store } from '../store/store.js';
import { classifyDiscordError, restPoster } from './restPoster.js';
import { digestLibrary } from './topicFilter.js';
import type { DigestMetrics } from './runQueue.js';
import { DigestService, type DigestServiceOptions } from './service.js';

export interface DigestRuntime {
  /** For the command context (`ctx.digests`). */
  readonly service: DigestService;
  /** The store (subscriptions, deliveries, ingestion log) the service and ingester share. */
  readonly store: Store;
  /** Brings raw/ into the library and the ingestion log (the watcher calls it; tests may too). */
  readonly ingester: Ingester;
  /**
   * Once the client is ready: reconcile raw/ with the ingestion log, finish pending deliveries,
   * one catch-up per subscription that missed its schedule, then schedule everything and watch raw/.
   */
  start(client: Client): Promise<void>;
  /** Stops watching and scheduling, waits for deliveries in flight, closes the store. */
  stop(): Promise<void>;
}

/** How long a digest claim lasts without renewal (renewed after every part posted). */
const DIGEST_CLAIM_MS = 60_000;

/** Numbers a test may shorten; production uses the defaults of DigestService. */
export type DigestTuning = Pick<
  DigestServiceOptions,
  'attempts' | 'backoffMs' | 'concurrency' | 'retryPendingMs' | 'now' | 'claim'
> & {
  /**
   * How often to look for work other processes left or changed (deliveries left pending by a process
   * that died, missed slots, subscriptions changed elsewhere). Default 10 s on a shared (PostgreSQL)
   * store, off on SQLite, where this process is the only one.
   */
  readonly sweepMs?: number;
};

export interface DigestRuntimeOptions {
  readonly dataDir: string;
  /** PostgreSQL shared by several processes; unset, the SQLite file in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  readonly rescanIntervalSeconds: number;
  /** The library the commands search: digests read documents from it and ingestion feeds it. */
  readonly library: Library;
  readonly logger: Logger;
  /**
   * Where digests are posted: the bot client's `client.rest` (its token is set at login). Tests
   * pass a REST pointed at the loopback server; the poster over it is always the full `restPoster`.
   */
  readonly rest: REST;
  readonly tuning?: DigestTuning;
  /** Deliveries, failures and the pending count for /metrics; absent, nothing is measured. */
  readonly metrics?: DigestMetrics | undefined;
}

/**
 * The one factory of the digest machinery, used by main.ts and by every test: opens the store
 * (throws StoreOpenError, untouched, for a corrupt or newer file), and builds the REST poster (post
 * and the history lookup that guards against duplicates once Discord forgot a nonce), the error
 * classifier, the service and the ingester over the library the commands use.
 */
export async function createDigestRuntime(options: DigestRuntimeOptions): Promise<DigestRuntime> {
  const { dataDir, library, logger } = options;
  const store = await Store.open({
    dataDir,
    databaseUrl: options.databaseUrl,
    log: logger.child({ component: 'store' }),
  });
  const service = new DigestService({
    claim: { owner: claimOwner(dataDir), ttlMs: DIGEST_CLAIM_MS },
    ...options.tuning,
    store,
    library: digestLibrary((id) => (library.has(id) ? library.getDocument(id) : undefined), library),
    poster: restPoster(options.rest),
    classify: classifyDiscordError,
    log: logger.child({ component: 'digests' }),
    metrics: options.metrics,
  });
  // The snapshot is a cache that the next start reconciles page by page, so it is rewritten only
  // once enough has changed: a rewrite blocks for ~20 s at 100k documents.
  let changedSinceSave = 0;
  const ingester = new Ingester({
    dataDir,
    store,
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
  let sweeper: NodeJS.Timeout | undefined;
  let sweep: Promise<void> | undefined;
  let starting: Promise<void> | undefined;
  let stopped = false;
  // After stop() the store is closed: a late scrape reads 0 rather than failing.
  options.metrics?.collectPendingDigests(async () => (stopped ? 0 : await store.deliveries.pendingCount()));

  return {
    service,
    store,
    ingester,
    start(ready) {
      starting = begin(ready);
      return starting;
    },
    async stop() {
      stopped = true;
      clearInterval(sweeper);
      // A failed start was reported to start()'s caller; here it only must have ended.
      await starting?.catch(() => undefined);
      await watcher?.close();
      // The queue refuses new runs and answers those waiting, so a sweep in progress ends too.
      await service.stop();
      await sweep;
      // Shutting down either way; a store that does not close cleanly (a pool ending with an
      // error) is worth a line, not a crash.
      await store
        .close()
        .catch((error: unknown) => logger.warn({ err: error }, 'could not close the store cleanly'));
    },
  };

  /** Periodic sweeps (see DigestTuning.sweepMs), never two at once. */
  function startSweeps(): NodeJS.Timeout | undefined {
    const every = options.tuning?.sweepMs ?? (store.kind === 'postgres' ? 10_000 : 0);
    if (every <= 0) return undefined;
    const timer = setInterval(() => {
      if (sweep || stopped) return;
      sweep = (async () => {
        await service.syncScheduler();
        const { finished, caughtUp } = await service.recover();
        const worked = [...finished, ...caughtUp].filter((o) => o.kind === 'delivered');
        if (worked.length > 0)
          logger.info({ delivered: worked.length }, 'digest sweep finished work left or missed');
      })()
        .catch((error: unknown) => logger.warn({ err: error }, 'digest sweep failed'))
        .finally(() => (sweep = undefined));
    }, every);
    timer.unref();
    return timer;
  }

  async function begin(ready: Client): Promise<void> {
    ready.on(Events.GuildDelete, (guild) => {
      if (guild.available === false) return; // an outage, not a removal
      void service.pauseGuild(guild.id).then(
        (paused) => {
          if (paused > 0) logger.warn({ guild: guild.id, paused }, 'left a guild: its digests are paused');
        },
        (error: unknown) =>
          logger.error({ err: error, guild: guild.id }, 'could not pause the guild’s digests'),
      );
    });
    const first = await ingester.sync();
    if (stopped) return;
    logger.info(
      {
        new: first.added.length,
        updated: first.updated.length,
        removed: first.removed.length,
        rejected: first.rejected.length,
      },
      'ingestion log reconciled with raw/',
    );
    const { finished, caughtUp } = await service.recover();
    if (stopped) return;
    logger.info({ finishedPending: finished.length, caughtUp: caughtUp.length }, 'digests recovered');
    await service.attachScheduler(new DigestScheduler((id) => void service.due(id)));
    sweeper = startSweeps();
    watcher = watchRaw({
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
  }
}
