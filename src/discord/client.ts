import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { ClientOptions } from 'discord.js';
import type { Config } from '../config.js';
import type { SlashCommand } from './command.js';
import type { CommandContext } from './context.js';
import { createDispatcher } from './dispatch.js';
import { NO_MENTIONS } from './reply.js';

/**
 * A client that needs nothing but the Guilds intent, talking to `config.discordApiBase`, running
 * the shards `config` names: `shardIds` of `shardCount` (all of them when `shardIds` is unset), or
 * as many as Discord recommends when `shardCount` is unset.
 */
export function createClient(config: Pick<Config, 'discordApiBase' | 'shardCount' | 'shardIds'>): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.discordApiBase },
    allowedMentions: NO_MENTIONS,
    ...shardOptions(config),
  });
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
  client.on(Events.Warn, (message) => ctx.logger.warn({ message }, 'discord client warning'));
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
