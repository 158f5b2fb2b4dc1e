import { Events, type Client } from 'discord.js';
import type { Logger } from 'pino';
import type { Library } from '../core/library.js';
import { Ingester } from '../ingest/ingester.js';
import { isSnapshotRewriteWorthIt } from '../ingest/openCorpus.js';
import { saveSnapshot } from '../ingest/snapshotFile.js';
import { watchRaw, type RawWatcher } from '../ingest/watch.js';
import { DigestScheduler } from '../scheduler.js';
import { Store } from '../store/store.js';
import type { MessagePoster } from './deliver.js';
import { classifyDiscordError, restPoster } from './restPoster.js';
import { digestLibrary } from './topicFilter.js';
import { DigestService } from './service.js';

export interface DigestRuntime {
  /** For the command context (`ctx.digests`). */
  readonly service: DigestService;
  /**
   * Once the client is ready: reconcile raw/ with the ingestion log, finish pending deliveries,
   * one catch-up per subscription that missed its schedule, then schedule everything and watch raw/.
   */
  start(client: Client): Promise<void>;
  /** Stops watching and scheduling, waits for deliveries in flight, closes the store. */
  stop(): Promise<void>;
}

/**
 * Opens the store (throws StoreOpenError, untouched, for a corrupt or newer file) and prepares the
 * digest machinery over the library the commands use.
 */
export function createDigestRuntime(options: {
  readonly dataDir: string;
  readonly rescanIntervalSeconds: number;
  readonly library: Library;
  readonly logger: Logger;
}): DigestRuntime {
  const { dataDir, library, logger } = options;
  const store = Store.open(dataDir);
  let client: Client | undefined;
  const poster: MessagePoster = {
    post(channelId, message, nonce) {
      if (!client) return Promise.reject(new Error('digests: the Discord client is not ready'));
      return restPoster(client.rest).post(channelId, message, nonce);
    },
  };
  const service = new DigestService({
    store,
    library: digestLibrary((id) => (library.has(id) ? library.getDocument(id) : undefined)),
    poster,
    classify: classifyDiscordError,
    log: logger.child({ component: 'digests' }),
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
      changedSinceSave += report.logged.length;
      if (!isSnapshotRewriteWorthIt(changedSinceSave, library.stats().documents)) return;
      changedSinceSave = 0;
      await saveSnapshot(dataDir, library);
    },
  });
  let watcher: RawWatcher | undefined;
  let starting: Promise<void> | undefined;
  let stopped = false;

  return {
    service,
    start(ready) {
      starting = begin(ready);
      return starting;
    },
    async stop() {
      stopped = true;
      await starting?.catch(() => undefined);
      await watcher?.close();
      await service.stop();
      store.close();
    },
  };

  async function begin(ready: Client): Promise<void> {
    client = ready;
    ready.on(Events.GuildDelete, (guild) => {
      if (guild.available === false) return; // an outage, not a removal
      const paused = service.pauseGuild(guild.id);
      if (paused > 0) logger.warn({ guild: guild.id, paused }, 'left a guild: its digests are paused');
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
    service.attachScheduler(new DigestScheduler((id) => void service.due(id)));
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
