import { Client, Events, GatewayIntentBits, RESTEvents, Status, type REST } from 'discord.js';
import type { ClientOptions } from 'discord.js';
import type { Config } from '../config.js';
import type { BotMetrics } from '../ops/metrics.js';
import type { SlashCommand } from './command.js';
import type { CommandContext } from './context.js';
import { createDispatcher } from './dispatch.js';
import { NO_MENTIONS } from './reply.js';
import { redactDiscordPath } from '../util/tokenRedaction.js';

/** What the Discord REST client reports to the process's metrics. */
export type RestMetrics = Pick<BotMetrics, 'discordRateLimited' | 'discordRateLimitWaited'>;

/**
 * A client that needs nothing but the Guilds intent, talking to `config.discordApiBase`, running
 * the shards `config` names: `shardIds` of `shardCount` (all of them when `shardIds` is unset), or
 * as many as Discord recommends when `shardCount` is unset. With `metrics`, its REST (which the
 * digests post through too) counts Discord's 429s.
 */
export function createClient(
  config: Pick<Config, 'discordApiBase' | 'shardCount' | 'shardIds'>,
  options: { metrics?: RestMetrics | undefined } = {},
): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.discordApiBase },
    allowedMentions: NO_MENTIONS,
    ...shardOptions(config),
  });
  if (options.metrics) countRateLimits(client.rest, options.metrics);
  return client;
}

/**
 * Counts every 429 Discord answers (the REST `response` event, which sees each attempt, retries
 * included) and every request discord.js itself held back under a known limit (`rateLimited`,
 * which fires only for those waits, not for a 429).
 */
export function countRateLimits(rest: REST, metrics: RestMetrics): void {
  rest.on(RESTEvents.Response, (_request, response) => {
    if (response.status === 429)
      metrics.discordRateLimited(response.headers.get('x-ratelimit-scope') ?? 'user');
  });
  rest.on(RESTEvents.RateLimited, (info) => metrics.discordRateLimitWaited(info.global));
}

/**
 * Why the client is not serving its shards yet (for /healthz), or undefined once every shard this
 * process runs is connected. A reconnecting or resuming shard is not ready.
 */
export function whyShardsNotReady(client: Client): string | undefined {
  if (!client.isReady()) return 'not logged in to Discord';
  for (const shard of client.ws.shards.values()) {
    if (shard.status !== Status.Ready) return `Discord shard ${shard.id}: ${Status[shard.status]}`;
  }
  return undefined;
}

/**
 * discord.js's `shards` and `shardCount` for our settings. `'auto'` makes it ask GET /gateway/bot
 * for the recommended count and run every shard. An explicit list keeps discord.js from reading its
 * ShardingManager's SHARDS variable from the environment.
 */
export function shardOptions(
  config: Pick<Config, 'shardCount' | 'shardIds'>,
): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (config.shardCount === undefined) return { shards: 'auto' };
  const all = Array.from({ length: config.shardCount }, (_, id) => id);
  return { shards: [...(config.shardIds ?? all)], shardCount: config.shardCount };
}

/**
 * Logs in and serves the commands until the returned client is destroyed. Resolves once the client
 * is ready. Commands are never (re)registered here: that is deploy-commands' job. Pass a client made
 * by {@link createClient} when something else (the digests) must share its REST before login.
 */
export async function startBot(
  config: Pick<Config, 'discordApiBase' | 'discordToken' | 'shardCount' | 'shardIds'>,
  commands: readonly SlashCommand[],
  ctx: CommandContext,
  client: Client = createClient(config),
): Promise<Client> {
  if (!config.discordToken) throw new Error('startBot: DISCORD_TOKEN is not set');
  const dispatch = createDispatcher(commands, ctx);
  client.on(Events.InteractionCreate, (interaction) => void dispatch(interaction));
  client.on(Events.Error, (error) => ctx.logger.error({ err: error }, 'discord client error'));
  // Free text from discord.js, which may name a route: interaction and webhook tokens cut out.
  client.on(Events.Warn, (message) =>
    ctx.logger.warn({ message: redactDiscordPath(message) }, 'discord client warning'),
  );
  // Gateway drops are routine (Discord restarts its gateways) and discord.js resumes by itself;
  // logged so that an outage is visible. ShardDisconnect means it gave up.
  client.on(Events.ShardReconnecting, (shard) => ctx.logger.warn({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => ctx.logger.info({ shard, replayed }, 'gateway resumed'));
  client.on(Events.ShardDisconnect, (event, shard) =>
    ctx.logger.error({ shard, code: event.code }, 'gateway closed for good'),
  );
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.discordToken);
  await ready;
  ctx.logger.info(
    {
      user: client.user?.tag,
      guilds: client.guilds.cache.size,
      shards: client.ws.shards.map((shard) => shard.id),
      shardCount: client.options.shardCount,
    },
    'logged in to Discord',
  );
  return client;
}
