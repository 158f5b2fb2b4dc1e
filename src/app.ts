import type { Readable, Writable } from 'node:stream';
import type { Client } from 'discord.js';
import type { Logger } from 'pino';
import { commands as shippedCommands } from '../commands/index.js';
import type { Config } from './config.js';
import { runConsole } from './console/console.js';
import type { Library } from './core/library.js';
import { createDigestRuntime, type DigestRuntime } from './digests/runtime.js';
import { createClient, startBot, whyShardsNotReady } from './discord/client.js';
import type { SlashCommand } from './discord/command.js';
import type { CommandContext } from './discord/context.js';
import { createCommandContext, loadLibrary, type LoadedLibrary } from './discord/services.js';
import { createRawIngestion, type RawIngestion } from './ingest/rawIngestion.js';
import { startOpsServer, type OpsServer } from './ops/httpServer.js';
import { createBotMetrics, type BotMetrics } from './ops/metrics.js';
import { startPanel, type PanelServer } from './panel/server.js';
import { loadSourcesFile, SourcesFileError, type SourcesFile } from './sources/sourcesFile.js';
import { createSourcesRuntime, type SourcesRuntime } from './sources/sourcesRuntime.js';
import { createSourcesView } from './sources/sourcesView.js';
import { claimOwner } from './store/claimOwner.js';
import { Store, StoreOpenError } from './store/store.js';
import { VERSION } from './version.js';

/**
 * Why the program could not start, with the exit code main.ts returns: 2 for a configuration
 * mistake (sources.json), 1 for something unavailable (the store, the ops port, Discord).
 */
export class StartError extends Error {
  override readonly name = 'StartError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Where the console reads commands and writes replies (main.ts: stdin and stdout). */
export interface ConsoleIo {
  readonly input: Readable;
  readonly output: Writable;
  /** Prompt for each line (a terminal); otherwise echo each line read. */
  readonly interactive: boolean;
}

export interface AppOptions {
  readonly logger: Logger;
  /** Console mode only (no DISCORD_TOKEN): where it talks. Default: stdin and stdout. */
  readonly console?: ConsoleIo;
  /** The shipped command list unless a test adds to it (a command that fails on purpose). */
  readonly commands?: readonly SlashCommand[];
  /** What /about shows (tests: a fixed one); default the package's. */
  readonly version?: string;
}

/** The running program, built by {@link createApp}: Discord or console, with everything it runs on. */
export interface App {
  readonly config: Config;
  readonly mode: 'discord' | 'console';
  /** The process's one store (one SQLite connection or one PostgreSQL pool). */
  readonly store: Store;
  readonly library: Library;
  readonly loaded: LoadedLibrary;
  readonly ctx: CommandContext;
  readonly sources: SourcesRuntime;
  /** Digests (with their raw/ ingestion) in Discord mode. */
  readonly digests: DigestRuntime | undefined;
  /** raw/ ingestion in console mode (in Discord mode it is part of the digests). */
  readonly ingestion: RawIngestion | undefined;
  /** Set when METRICS_PORT is. */
  readonly metrics: BotMetrics | undefined;
  readonly ops: OpsServer | undefined;
  /** The Discord client (Discord mode); logged in by `start`. */
  readonly client: Client | undefined;
  /** The web panel, once `start` has started it (PANEL_PORT set, Discord mode). */
  readonly panel: PanelServer | undefined;
  /**
   * Discord: logs in, then starts digests (ingestion, recovery, scheduling, watching raw/).
   * Console: reconciles and watches raw/, then reads commands until its input ends.
   * Live sources are fetched in the background in both. Throws StartError when Discord refuses.
   */
  start(): Promise<void>;
  /** Resolves when the program ends on its own: the console's input ended (never in Discord mode). */
  readonly finished: Promise<void>;
  /** Stops everything, waits for work in flight, closes the store and the client. Safe to call twice. */
  stop(): Promise<void>;
}

/** What the ops server asks while the parts come up. */
interface Readiness {
  library?: Library;
  client?: Client;
}

/**
 * The composition root: builds the running program from a validated config. main.ts, the console,
 * the test harnesses and the benches all build through it, so what is tested is what ships. Starts
 * the ops server first (so /healthz says 503 while the index loads), then opens the one store and
 * the library; nothing talks to Discord or a live source until `start`. Throws StartError.
 */
export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { logger } = options;
  const metrics = config.metricsPort === undefined ? undefined : createBotMetrics();
  const readiness: Readiness = {};
  const ops = metrics && (await startOps(config, metrics, logger, readiness));
  try {
    return await assemble(config, options, { metrics, ops, readiness });
  } catch (error) {
    await ops?.close();
    throw error;
  }
}

async function assemble(
  config: Config,
  options: AppOptions,
  made: { metrics: BotMetrics | undefined; ops: OpsServer | undefined; readiness: Readiness },
): Promise<App> {
  const { logger } = options;
  const { metrics, readiness } = made;
  const sourcesFile = await readSourcesFile(config, logger);
  const store = await openStore(config, logger);
  try {
    // Read before the library: what other processes log from here on is followed into it.
    const followFromSeq = await store.log.latestSeq();
    const loaded = await loadLibrary(config.dataDir, logger, store.webDocuments);
    readiness.library = loaded.library;
    metrics?.collectDocuments(() => loaded.library.documentCount);
    const client = config.discordToken ? createClient(config, { metrics }) : undefined;
    readiness.client = client;
    const parts = { config, logger, store, library: loaded.library, metrics };
    const digests = client && createDigests(parts, client, sourcesFile);
    const ingestion = client ? undefined : createRawIngestion({ ...config, ...parts });
    const sources = createSources(parts, sourcesFile, followFromSeq);
    const ctx = createCommandContext(loaded.library, logger, {
      version: options.version ?? VERSION,
      digests: digests?.service,
      sources: createSourcesView(sourcesFile.sources, store),
      metrics,
      guildSettings: store.guildSettings,
      language: config.botLanguage,
    });
    return runnable({ ...made, ...parts, options, loaded, ctx, client, digests, ingestion, sources });
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** /healthz and /metrics, up before anything else so that probes see the index loading. */
async function startOps(
  config: Config,
  metrics: BotMetrics,
  logger: Logger,
  readiness: Readiness,
): Promise<OpsServer> {
  try {
    const ops = await startOpsServer({
      host: config.metricsHost,
      port: config.metricsPort ?? 0,
      metrics,
      logger,
      whyNotReady: () =>
        !readiness.library
          ? 'index loading'
          : readiness.client
            ? whyShardsNotReady(readiness.client)
            : undefined,
    });
    logger.info({ url: ops.url }, 'serving /healthz and /metrics');
    return ops;
  } catch (error) {
    const where = `${config.metricsHost}:${config.metricsPort}`;
    throw new StartError(`cannot serve /healthz and /metrics on ${where}: ${String(error)}`, 1, {
      cause: error,
    });
  }
}

/** sources.json is configuration: a mistake in it stops the start, every problem named at once. */
async function readSourcesFile(config: Config, logger: Logger): Promise<SourcesFile> {
  try {
    const file = await loadSourcesFile(config.dataDir, config);
    for (const warning of file.warnings) logger.warn(warning);
    return file;
  } catch (error) {
    if (error instanceof SourcesFileError) throw new StartError(error.message, 2, { cause: error });
    throw error;
  }
}

/** The one store of the process; one we cannot open safely (corrupt, newer, unreachable) stops the start. */
async function openStore(config: Config, logger: Logger): Promise<Store> {
  try {
    const store = await Store.open({ ...config, log: logger.child({ component: 'store' }) });
    logger.info({ store: store.location }, `state in ${store.kind === 'postgres' ? 'PostgreSQL' : 'SQLite'}`);
    return store;
  } catch (error) {
    if (error instanceof StoreOpenError) throw new StartError(error.message, 1, { cause: error });
    throw error;
  }
}

interface Parts {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly library: Library;
  readonly metrics: BotMetrics | undefined;
}

/** Digests post through the bot client's REST, so they share its rate limits. */
function createDigests(parts: Parts, client: Client, sourcesFile: SourcesFile): DigestRuntime {
  const { config } = parts;
  const maxAgeDays = new Map(sourcesFile.sources.map((s) => [s.id, s.maxAgeDays]));
  return createDigestRuntime({
    ...parts,
    maxAgeDays: (id) => maxAgeDays.get(id),
    dataDir: config.dataDir,
    rescanIntervalSeconds: config.rescanIntervalSeconds,
    rest: client.rest,
    tuning: {
      claim: { owner: claimOwner(config.dataDir), ttlMs: config.digestClaimSeconds * 1000 },
      sweepMs: config.digestSweepSeconds === undefined ? undefined : config.digestSweepSeconds * 1000,
    },
  });
}

/** Live sources, fetched in the background in both modes. */
function createSources(parts: Parts, file: SourcesFile, followFromSeq: number): SourcesRuntime {
  const { config } = parts;
  return createSourcesRuntime({
    ...parts,
    dataDir: config.dataDir,
    sources: file.sources,
    version: VERSION,
    homepage: config.botHomepage,
    fetchAllowNetworks: config.fetchAllowNetworks,
    tickSeconds: config.sourcesTickSeconds,
    followFromSeq,
  });
}

type Built = Parts & {
  readonly options: AppOptions;
  readonly loaded: LoadedLibrary;
  readonly ctx: CommandContext;
  readonly client: Client | undefined;
  readonly digests: DigestRuntime | undefined;
  readonly ingestion: RawIngestion | undefined;
  readonly sources: SourcesRuntime;
  readonly ops: OpsServer | undefined;
};

/** The parts, with start and stop in the order they depend on each other. */
function runnable(built: Built): App {
  const { logger, client, digests, ingestion, sources } = built;
  const io = built.options.console ?? {
    input: process.stdin,
    output: process.stdout,
    interactive: process.stdin.isTTY === true,
  };
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let stopping: Promise<void> | undefined;
  let panel: PanelServer | undefined;
  const app: App = {
    ...built,
    mode: client ? 'discord' : 'console',
    library: built.loaded.library,
    get panel() {
      return panel;
    },
    finished,
    async start() {
      sources.start();
      if (!client) return startConsole(built, io).then(finish);
      await startDiscord(built, client);
      panel = await startPanelStep(built, client);
    },
    stop() {
      stopping ??= (async () => {
        if (!client) io.input.destroy();
        const logFailure = (what: string) => (error: unknown) =>
          logger.error({ err: error }, `stopping ${what} failed`);
        // No new requests from the panel while the rest stops.
        await panel?.close().catch(logFailure('the web panel'));
        // Deliveries in flight finish (or stay recorded as pending) before the client goes.
        await Promise.all([
          digests?.stop().catch(logFailure('digests')),
          ingestion?.stop().catch(logFailure('the raw/ watcher')),
          sources.stop().catch(logFailure('sources')),
          built.ops?.close(),
        ]);
        await built.store.close().catch(logFailure('the store'));
        await client?.destroy();
        finish();
      })();
      return stopping;
    },
  };
  return app;
}

/** Logs in, then starts the digests; a digest failure leaves the commands working. */
async function startDiscord(built: Built, client: Client): Promise<void> {
  const { config, ctx, logger, digests } = built;
  try {
    await startBot(config, built.options.commands ?? shippedCommands, ctx, client);
  } catch (error) {
    // A wrong token or an unreachable Discord: say so in one line, not a stack trace.
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartError(`could not log in to Discord: ${reason}`, 1, { cause: error });
  }
  await digests
    ?.start(client)
    .catch((error: unknown) => logger.error({ err: error }, 'digests could not start; commands still work'));
}

/**
 * The web panel (PANEL_PORT set), served by this process over the same store, digests and client.
 * Sessions are sealed cookies, so any process of the bot could serve it as well.
 */
async function startPanelStep(built: Built, client: Client): Promise<PanelServer | undefined> {
  const { config, digests } = built;
  if (!config.panel) return undefined;
  if (!digests) throw new StartError('the web panel needs the digests, which did not start', 1);
  try {
    return await startPanel({
      config,
      panel: config.panel,
      logger: built.logger,
      store: built.store,
      digests: digests.service,
      sources: built.ctx.sources,
      library: built.loaded.library,
      client,
    });
  } catch (error) {
    const where = `${config.panel.host}:${config.panel.port}`;
    throw new StartError(`cannot serve the web panel on ${where}: ${String(error)}`, 1, { cause: error });
  }
}

/** Console mode: raw/ followed as the bot follows it, commands read until the input ends. */
async function startConsole(built: Built, io: ConsoleIo): Promise<void> {
  const { config, ctx, loaded, ingestion } = built;
  const failures = loaded.failures ? ` (${loaded.failures} could not be read, see the logs)` : '';
  const banner =
    `Migration News Bot ${built.options.version ?? VERSION}: console mode (DISCORD_TOKEN is not set).\n` +
    `Loaded ${loaded.documentCount} documents from ${config.dataDir}${failures}.`;
  // In the background, as on Discord: commands answer while raw/ is reconciled.
  ingestion?.reconcile().then(
    () => ingestion.watch(),
    (error: unknown) => built.logger.error({ err: error }, 'raw/ could not be reconciled; not watching it'),
  );
  await runConsole({ ...io, commands: built.options.commands ?? shippedCommands, ctx, banner });
}
