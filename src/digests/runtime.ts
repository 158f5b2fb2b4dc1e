import { Events, type Client, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { Library } from '../core/library.js';
import type { Ingester } from '../ingest/ingester.js';
import { createRawIngestion } from '../ingest/rawIngestion.js';
import { DigestScheduler } from '../scheduler.js';
import { claimOwner } from '../store/claimOwner.js';
import type { Store } from '../store/store.js';
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
  /** Stops watching and scheduling and waits for deliveries in flight; the store stays open (its opener closes it). */
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
  /** The process's one store (subscriptions, deliveries, ingestion log); the caller opens and closes it. */
  readonly store: Store;
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
  /** A live source's `maxAgeDays` (sources.json), for `explain`. */
  readonly maxAgeDays?: ((sourceId: string) => number | undefined) | undefined;
}

/**
 * The one factory of the digest machinery, used by the composition root (src/app.ts) and by every
 * test: over the process's store, builds the REST poster (post and the history lookup that guards
 * against duplicates once Discord forgot a nonce), the error classifier, the service and the
 * ingestion of raw/ into the library the commands use.
 */
export function createDigestRuntime(options: DigestRuntimeOptions): DigestRuntime {
  const { dataDir, library, logger, store } = options;
  const service = new DigestService({
    claim: { owner: claimOwner(dataDir), ttlMs: DIGEST_CLAIM_MS },
    ...options.tuning,
    store,
    library: digestLibrary((id) => (library.has(id) ? library.getDocument(id) : undefined), library),
    poster: restPoster(options.rest),
    classify: classifyDiscordError,
    log: logger.child({ component: 'digests' }),
    metrics: options.metrics,
    maxAgeDays: options.maxAgeDays,
  });
  const ingestion = createRawIngestion(options);
  const { ingester } = ingestion;
  let sweeper: NodeJS.Timeout | undefined;
  let sweep: Promise<void> | undefined;
  let starting: Promise<void> | undefined;
  let stopped = false;
  // After stop() its opener closes the store: a late scrape reads 0 rather than failing.
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
      await ingestion.stop();
      // The queue refuses new runs and answers those waiting, so a sweep in progress ends too.
      await service.stop();
      await sweep;
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
    await ingestion.reconcile();
    if (stopped) return;
    const { finished, caughtUp } = await service.recover();
    if (stopped) return;
    logger.info({ finishedPending: finished.length, caughtUp: caughtUp.length }, 'digests recovered');
    await service.attachScheduler(new DigestScheduler((id) => void service.due(id)));
    sweeper = startSweeps();
    ingestion.watch();
  }
}
