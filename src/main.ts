import type { Client } from 'discord.js';
import { commands } from '../commands/index.js';
import type { Library } from './core/library.js';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { runConsole } from './console/console.js';
import { createClient, startBot, whyShardsNotReady } from './discord/client.js';
import { logEventLoopDelay } from './eventLoopDelay.js';
import { createLogger } from './logger.js';
import { createCommandContext, loadLibrary } from './discord/services.js';
import { createDigestRuntime, type DigestRuntime } from './digests/runtime.js';
import { loadSourcesFile, SourcesFileError, type SourcesFile } from './sources/sourcesFile.js';
import { createSourcesRuntime, type SourcesRuntime } from './sources/sourcesRuntime.js';
import { createSourcesView } from './sources/sourcesView.js';
import { startOpsServer, type OpsServer } from './ops/httpServer.js';
import { createBotMetrics } from './ops/metrics.js';
import { claimOwner } from './store/claimOwner.js';
import { Store, StoreOpenError } from './store/store.js';
import { VERSION } from './version.js';

/**
 * The one place that wires everything: config, logs, the library over DATA_DIR, then either the
 * Discord bot (with a token) or the console mode (without one).
 */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const consoleMode = !config.discordToken;
  // In console mode stdout carries the replies, so logs go to stderr.
  const logger = createLogger(config.logLevel, consoleMode ? 'stderr' : 'stdout');
  logEventLoopDelay(logger);

  // ── Health and metrics (off unless METRICS_PORT is set) ─────────────────────────────────────────
  // Started first, so that /healthz says 503 while the index loads. `live` is filled in below as the
  // library and the Discord client come up.
  const metrics = config.metricsPort === undefined ? undefined : createBotMetrics();
  const live: { library?: Library; discord?: Client } = {};
  let ops: OpsServer | undefined;
  if (metrics && config.metricsPort !== undefined) {
    metrics.collectDocuments(() => live.library?.documentCount ?? 0);
    try {
      ops = await startOpsServer({
        host: config.metricsHost,
        port: config.metricsPort,
        metrics,
        logger,
        whyNotReady: () =>
          !live.library ? 'index loading' : live.discord ? whyShardsNotReady(live.discord) : undefined,
      });
    } catch (error) {
      logger.fatal(
        { err: error },
        `cannot serve /healthz and /metrics on ${config.metricsHost}:${config.metricsPort}`,
      );
      logger.flush();
      return 1;
    }
    logger.info({ url: ops.url }, 'serving /healthz and /metrics');
  }
  // ───────────────────────────────────────────────────────────────────────────────────────────────
  // sources.json is configuration: a mistake in it stops the start, every problem named at once.
  let sourcesFile: SourcesFile;
  try {
    sourcesFile = await loadSourcesFile(config.dataDir, config);
  } catch (error) {
    if (!(error instanceof SourcesFileError)) throw error;
    console.error(error.message);
    return 2;
  }
  for (const warning of sourcesFile.warnings) logger.warn(warning);
  // Digests (store, ingestion watcher, scheduler) run with the bot and post through its client's
  // REST; live sources are fetched in the background in both modes. A store we cannot open safely
  // stops the start.
  const discord = consoleMode ? undefined : createClient(config, { metrics });
  live.discord = discord;
  let digests: DigestRuntime | undefined;
  let store: Store | undefined;
  let sources: SourcesRuntime;
  let loaded: Awaited<ReturnType<typeof loadLibrary>>;
  try {
    // One connection for the library's fetched documents and the live sources; the digest runtime
    // opens its own (the factory tests share).
    store = await Store.open(config);
    logger.info({ store: store.location }, `state in ${store.kind === 'postgres' ? 'PostgreSQL' : 'SQLite'}`);
    // Read before the library: what other processes log from here on is followed into it.
    const followFromSeq = await store.log.latestSeq();
    loaded = await loadLibrary(config.dataDir, logger, store.webDocuments);
    digests = discord
      ? await createDigestRuntime({
          ...config,
          library: loaded.library,
          logger,
          rest: discord.rest,
          metrics,
          tuning: {
            claim: { owner: claimOwner(config.dataDir), ttlMs: config.digestClaimSeconds * 1000 },
            sweepMs: config.digestSweepSeconds === undefined ? undefined : config.digestSweepSeconds * 1000,
          },
        })
      : undefined;
    sources = createSourcesRuntime({
      dataDir: config.dataDir,
      store,
      sources: sourcesFile.sources,
      library: loaded.library,
      logger,
      version: VERSION,
      homepage: config.botHomepage,
      fetchAllowNetworks: config.fetchAllowNetworks,
      // The same beat as the rescan of raw/: another process's fetches reach this index within it;
      // with a shared store, within seconds.
      tickSeconds: store.kind === 'postgres' ? 5 : config.rescanIntervalSeconds || 30,
      followFromSeq,
      metrics,
    });
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    await digests?.stop().catch(() => undefined);
    await store?.close();
    logger.fatal(error.message);
    logger.flush();
    return 1;
  }
  const { library, documentCount, failures } = loaded;
  live.library = library;
  const openStore = store;
  sources.start();
  const ctx = createCommandContext(library, logger, {
    version: VERSION,
    digests: digests?.service,
    sources: createSourcesView(sourcesFile.sources, openStore),
    metrics,
    guildSettings: openStore.guildSettings,
    language: config.botLanguage,
  });

  if (consoleMode) {
    const banner =
      `Migration News Bot ${VERSION}: console mode (DISCORD_TOKEN is not set).\n` +
      `Loaded ${documentCount} documents from ${config.dataDir}${failures ? ` (${failures} could not be read, see the logs)` : ''}.`;
    const stop = () => process.stdin.destroy();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    await runConsole({
      input: process.stdin,
      output: process.stdout,
      commands,
      ctx,
      interactive: process.stdin.isTTY === true,
      banner,
    });
    await Promise.all([sources.stop(), ops?.close()]);
    await openStore.close();
    return 0;
  }

  let client: Awaited<ReturnType<typeof startBot>>;
  try {
    client = await startBot(config, commands, ctx, discord);
  } catch (error) {
    // A wrong token or an unreachable Discord: say so in one line, not a stack trace.
    const reason = error instanceof Error ? error.message : String(error);
    logger.fatal({ err: error }, `could not log in to Discord: ${reason}`);
    await digests?.stop().catch(() => undefined);
    await sources.stop().catch(() => undefined);
    await openStore.close();
    logger.flush();
    return 1;
  }
  // Not awaited before the signal handlers exist: a SIGTERM during start-up still shuts down cleanly.
  void digests
    ?.start(client)
    .catch((error: unknown) => logger.error({ err: error }, 'digests could not start; commands still work'));
  await new Promise<void>((resolve) => {
    let stopping = false;
    const shutdown = (signal: NodeJS.Signals) => {
      // A second signal (tsx relays one again when slow to hear back) must not kill the shutdown.
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      // Deliveries in flight finish (or stay recorded as pending) before the client goes.
      void Promise.all([
        digests?.stop().catch((error: unknown) => logger.error({ err: error }, 'stopping digests failed')),
        sources.stop().catch((error: unknown) => logger.error({ err: error }, 'stopping sources failed')),
        ops?.close(),
      ]).finally(() => {
        void openStore
          .close()
          .catch(() => undefined)
          .then(() => client.destroy())
          .finally(resolve);
      });
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
  logger.info('stopped');
  logger.flush();
  return 0;
}

const code = await main();
// Exit explicitly: keep-alive sockets of the REST client and other libraries' handles would
// otherwise hold the process open after a clean shutdown.
process.exit(code);
