import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIMessage, Client, ComponentType } from 'discord.js';
import { pino } from 'pino';
import { commands as shippedCommands } from '../../commands/index.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Config } from '../../src/config.js';
import type { SlashCommand } from '../../src/discord/command.js';
import type { CommandContext } from '../../src/discord/context.js';
import { deployCommands } from '../../src/discord/deployCommands.js';
import type { DigestRuntime } from '../../src/digests/runtime.js';
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
  /** The shipped commands unless a test adds one (a command that fails on purpose). */
  readonly commands?: readonly SlashCommand[];
  /** Called with DATA_DIR before the program starts, to add pages, a sources.json or stored state. */
  readonly prepareData?: (dataDir: string) => Promise<void>;
  readonly server?: LoopbackDiscordOptions;
  /** A loopback server to log in to instead of a fresh one (shared by several bots; `close` leaves it running). */
  readonly loopback?: LoopbackDiscord;
  /** Settings over the loopback's `botEnv` (e.g. SHARD_COUNT, METRICS_PORT), read by `loadConfig`. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The bot as it runs in production, in-process: the shipped pages copied into a temporary
 * DATA_DIR, deploy-commands against the loopback server, then the program as main.ts builds it
 * (createApp: store, library, digests, live sources, the real discord.js client logged in to the
 * loopback server). Only the endpoints differ, through the settings. Logs are kept in `logs`.
 */
export class BotHarness {
  /** The running program, as createApp built it. */
  app!: App;
  readonly logs: LogLine[] = [];
  private ownsServer = true;

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
    await deployCommands(config, harness.commands);
    await harness.login();
    return harness;
  }

  get client(): Client {
    if (!this.app.client) throw new Error('BotHarness: the program runs without a Discord client');
    return this.app.client;
  }

  get ctx(): CommandContext {
    return this.app.ctx;
  }

  /** The digest runtime (store, ingestion, scheduler), as main.ts runs it. */
  get digests(): DigestRuntime | undefined {
    return this.app.digests;
  }

  /** Builds and starts the program over DATA_DIR (a restart, as far as the bot can tell). */
  async login(): Promise<void> {
    const logger = pino(
      { level: 'debug' },
      { write: (line: string) => void this.logs.push(JSON.parse(line) as LogLine) },
    );
    this.app = await createApp(this.config, { logger, commands: this.commands, version: '0.0.0-test' });
    await this.app.start();
  }

  /** Stops the program and starts a new one over the same data. */
  async restart(): Promise<void> {
    await this.app.stop();
    await this.login();
  }

  async close(): Promise<void> {
    await this.app.stop();
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
