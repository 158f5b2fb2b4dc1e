import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIMessage, Client, ComponentType } from 'discord.js';
import { pino } from 'pino';
import { commands as shippedCommands } from '../../commands/index.js';
import { loadConfig } from '../../src/config.js';
import type { Config } from '../../src/config.js';
import { createClient, startBot } from '../../src/discord/client.js';
import type { SlashCommand } from '../../src/discord/command.js';
import type { CommandContext } from '../../src/discord/context.js';
import { deployCommands } from '../../src/discord/deployCommands.js';
import { createCommandContext, loadLibrary } from '../../src/discord/services.js';
import { withWebDocuments } from '../../src/ingest/webRecords.js';
import { createDigestRuntime, type DigestRuntime } from '../../src/digests/runtime.js';
import type { SourcesView } from '../../src/sources/sourcesView.js';
import type { BotMetrics } from '../../src/ops/metrics.js';
import { LoopbackDiscord } from '../../loopback/discord.js';
import type { LoopbackDiscordOptions } from '../../loopback/discord.js';

/** The repository's shipped pages. */
export const SHIPPED_RAW = path.resolve(import.meta.dirname, '../../data/raw');

/** A temporary DATA_DIR holding a copy of the shipped pages; remove it with `rm(dir, {recursive})`. */
export async function copyShippedData(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mnb-data-'));
  await cp(SHIPPED_RAW, path.join(dir, 'raw'), { recursive: true });
  return dir;
}

/** A log line as pino wrote it. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

export interface BotHarnessOptions {
  readonly commands?: readonly SlashCommand[];
  /** Called with DATA_DIR before the library loads, to add or change pages. */
  readonly prepareData?: (dataDir: string) => Promise<void>;
  readonly server?: LoopbackDiscordOptions;
  /** A loopback server to log in to instead of a fresh one (shared by several bots; `close` leaves it running). */
  readonly loopback?: LoopbackDiscord;
  /** Settings over the loopback's `botEnv` (e.g. SHARD_COUNT, SHARD_IDS), read by `loadConfig`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Run the digest machinery too (store, ingestion, scheduler), as main.ts does with a token. */
  readonly digests?: boolean;
  /** The live sources view (createSourcesView), as main.ts hands it to the commands. */
  readonly sources?: SourcesView;
  /** The process's metrics, handed to the client, digests and commands as main.ts does. */
  readonly metrics?: BotMetrics;
}

/**
 * The bot as it runs in production, in-process: the shipped pages copied into a temporary
 * DATA_DIR, the library over them, deploy-commands against the loopback server, and the real
 * discord.js client logged in to it. Logs are kept in `logs`.
 */
export class BotHarness {
  client!: Client;
  ctx!: CommandContext;
  readonly logs: LogLine[] = [];
  /** The digest runtime, when started with `digests: true`. */
  digests: DigestRuntime | undefined;
  private withDigests = false;
  private sources: SourcesView | undefined;
  private ownsServer = true;
  private metrics: BotMetrics | undefined;

  private constructor(
    readonly server: LoopbackDiscord,
    readonly dataDir: string,
    readonly config: Config,
    readonly commands: readonly SlashCommand[],
  ) {}

  static async start(options: BotHarnessOptions = {}): Promise<BotHarness> {
    const dataDir = await copyShippedData();
    await options.prepareData?.(dataDir);
    const server = options.loopback ?? (await LoopbackDiscord.start(options.server));
    const config = loadConfig(server.botEnv(dataDir, { LOG_LEVEL: 'debug', ...options.env }));
    const harness = new BotHarness(server, dataDir, config, options.commands ?? shippedCommands);
    harness.ownsServer = options.loopback === undefined;
    harness.withDigests = options.digests ?? false;
    harness.sources = options.sources;
    harness.metrics = options.metrics;
    await deployCommands(config, harness.commands);
    await harness.login();
    return harness;
  }

  /** Loads the library and logs in a fresh client (a restart, as far as the bot can tell). */
  async login(): Promise<void> {
    const logger = pino(
      { level: 'debug' },
      { write: (line: string) => void this.logs.push(JSON.parse(line) as LogLine) },
    );
    const { library } = await withWebDocuments({ dataDir: this.dataDir }, (web) =>
      loadLibrary(this.dataDir, logger, web),
    );
    // As main.ts: one client, whose REST the digests post through.
    const client = createClient(this.config, { metrics: this.metrics });
    this.digests = this.withDigests
      ? await createDigestRuntime({
          dataDir: this.dataDir,
          rescanIntervalSeconds: 0,
          library,
          logger,
          rest: client.rest,
          metrics: this.metrics,
        })
      : undefined;
    this.ctx = createCommandContext(library, logger, {
      version: '0.0.0-test',
      digests: this.digests?.service,
      sources: this.sources,
      metrics: this.metrics,
      guildSettings: this.digests?.store.guildSettings,
    });
    this.client = await startBot(this.config, this.commands, this.ctx, client);
    await this.digests?.start(this.client);
  }

  /** Destroys the client and logs in again with a new one over the same data. */
  async restart(): Promise<void> {
    await this.digests?.stop();
    await this.client.destroy();
    await this.login();
  }

  async close(): Promise<void> {
    await this.digests?.stop();
    await this.client.destroy();
    if (this.ownsServer) await this.server.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** The buttons and select options of a message, flattened. */
export function componentsOf(message: APIMessage | undefined): {
  type: ComponentType;
  custom_id: string;
  label?: string;
  disabled?: boolean;
  options?: { label: string; value: string }[];
}[] {
  return (message?.components ?? []).flatMap((row) =>
    'components' in row ? (row.components as unknown as ReturnType<typeof componentsOf>) : [],
  );
}

/** The button of a message whose label matches. */
export function buttonLabelled(message: APIMessage | undefined, label: string | RegExp): string {
  const found = componentsOf(message).find((c) =>
    typeof label === 'string' ? c.label === label : label.test(c.label ?? ''),
  );
  if (!found)
    throw new Error(
      `no button ${String(label)} among ${componentsOf(message)
        .map((c) => c.label)
        .join(', ')}`,
    );
  return found.custom_id;
}
