import { once } from 'node:events';
import { Events } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LoopbackDiscord, shardOf, snowflakeOnShard } from '../../loopback/discord.js';
import { loadConfig } from '../../src/config.js';
import { createClient, shardOptions } from '../../src/discord/client.js';
import { deployCommands } from '../../src/discord/deployCommands.js';
import { makeDataDir } from '../fixtures/dataDir.js';
import { BotHarness } from '../support/botHarness.js';
import { shippedProcesses } from '../support/shippedProcess.js';

/** Two guilds on each shard of two. */
const guildsOnTwoShards = () =>
  [0, 0, 1, 1].map((shard, i) => ({ id: snowflakeOnShard(shard, 2), name: `Guild ${i} (shard ${shard})` }));

/** Ids of the loopback's guilds that shard `shardId` of `shardCount` owns, sorted. */
const guildIdsOf = (server: LoopbackDiscord, shardId: number, shardCount: number) =>
  server.guilds
    .filter((g) => shardOf(g.id, shardCount) === shardId)
    .map((g) => g.id)
    .sort();

/** Identifies over a raw socket with `shard` (omitted when undefined); resolves with the close. */
async function identifyRaw(
  server: LoopbackDiscord,
  shard: unknown,
): Promise<{ code: number; reason: string }> {
  const socket = new WebSocket(server.gatewayUrl);
  await once(socket, 'message'); // HELLO
  const closed = once(socket, 'close') as Promise<[number, Buffer]>;
  const ready = new Promise<'READY'>((resolve) =>
    socket.on('message', (raw: Buffer) => {
      const packet = JSON.parse(raw.toString('utf8')) as { t?: string };
      if (packet.t === 'READY') resolve('READY');
    }),
  );
  socket.send(
    JSON.stringify({
      op: 2,
      d: { token: server.token, intents: 1, properties: {}, ...(shard === undefined ? {} : { shard }) },
    }),
  );
  const outcome = await Promise.race([closed, ready]);
  if (outcome === 'READY') {
    socket.close(1000);
    await closed;
    return { code: 0, reason: 'READY' };
  }
  const [code, reason] = outcome;
  return { code, reason: reason.toString('utf8') };
}

describe('shardOptions', () => {
  it.each([
    [{ shardCount: undefined, shardIds: undefined }, { shards: 'auto' }],
    [
      { shardCount: 3, shardIds: undefined },
      { shards: [0, 1, 2], shardCount: 3 },
    ],
    [
      { shardCount: 3, shardIds: [2, 0] },
      { shards: [2, 0], shardCount: 3 },
    ],
  ])('turns %o into discord.js options %o', (config, options) => {
    expect(shardOptions(config)).toEqual(options);
  });
});

describe('gateway sharding (SHARD_COUNT, SHARD_IDS) against the loopback Discord', () => {
  describe('two bots with SHARD_COUNT=2, SHARD_IDS=0 and SHARD_IDS=1', () => {
    let server: LoopbackDiscord;
    const bots: BotHarness[] = [];
    /** Interaction ids each bot's client received, by shard id. */
    const received: string[][] = [[], []];

    beforeAll(async () => {
      server = await LoopbackDiscord.start({ guilds: guildsOnTwoShards() });
      for (const shard of [0, 1]) {
        // DISCORD_GUILD_ID empty: commands registered globally, visible in every guild.
        const bot = await BotHarness.start({
          loopback: server,
          env: { SHARD_COUNT: '2', SHARD_IDS: String(shard), DISCORD_GUILD_ID: '' },
        });
        bot.client.on(Events.InteractionCreate, (interaction) => received[shard]!.push(interaction.id));
        bots.push(bot);
      }
    }, 30_000);

    afterAll(async () => {
      for (const bot of bots) await bot.close();
      await server.close();
    });

    it('identifies one session per shard, each with its shard pair', () => {
      expect(server.shardSessions.map((s) => s.shard)).toEqual([
        [0, 2],
        [1, 2],
      ]);
      expect([server.sessionsOfShard(0), server.sessionsOfShard(1)]).toEqual([1, 1]);
      expect(bots.map((b) => b.client.ws.shards.map((s) => s.id))).toEqual([[0], [1]]);
      expect(bots.map((b) => b.client.options.shardCount)).toEqual([2, 2]);
    });

    it('gives each bot only the guilds of its shard', () => {
      for (const shard of [0, 1]) {
        const ids = [...bots[shard]!.client.guilds.cache.keys()].sort();
        expect(ids).toHaveLength(2);
        expect(ids).toEqual(guildIdsOf(server, shard, 2));
      }
    });

    it.each([0, 1, 2, 3])(
      'has the interaction in guild %i answered once, by the bot running its shard',
      async (guildIndex) => {
        const guild = server.guilds[guildIndex]!;
        const owner = shardOf(guild.id, 2);
        const session = await server.sendSlashCommand('about', {}, { guildId: guild.id });
        expect(session.reply?.embeds[0]?.title).toBe('Migration News Bot');
        expect(session.recipients.map((r) => r.shard)).toEqual([[owner, 2]]);
        expect(received[owner]).toContain(session.id);
        expect(received[1 - owner]).not.toContain(session.id);
        const callbacks = server.requestsTo('POST', `/interactions/${session.id}/`);
        expect(callbacks.map((r) => r.status)).toEqual([204]);
      },
    );

    it('sends a guild event only to the bot of its shard', async () => {
      const added = server.addGuild({ id: snowflakeOnShard(1, 2), name: 'Joined later' });
      await server.waitFor(() => bots[1]!.client.guilds.cache.has(added.id), { description: 'GUILD_CREATE' });
      const [onZero] = guildIdsOf(server, 0, 2);
      server.removeGuild(onZero!);
      await server.waitFor(() => !bots[0]!.client.guilds.cache.has(onZero!), { description: 'GUILD_DELETE' });
      expect(bots[0]!.client.guilds.cache.has(added.id)).toBe(false);
      expect([...bots[0]!.client.guilds.cache.keys()].sort()).toEqual(guildIdsOf(server, 0, 2));
      expect([...bots[1]!.client.guilds.cache.keys()].sort()).toEqual(guildIdsOf(server, 1, 2));
    });
  });

  describe('the shipped bot (src/main.ts as npm start runs it) with SHARD_COUNT=2, SHARD_IDS=1', () => {
    it('runs shard 1 only and answers the interactions of its guilds', async () => {
      const server = await LoopbackDiscord.start({ guilds: guildsOnTwoShards() });
      const data = makeDataDir({ shipped: true });
      const processes = shippedProcesses();
      try {
        const env = server.botEnv(data.dir, {
          SHARD_COUNT: '2',
          SHARD_IDS: '1',
          DISCORD_GUILD_ID: '',
          RESCAN_INTERVAL_SECONDS: '0',
        });
        await deployCommands(loadConfig(env));
        const bot = processes.start('src/main.ts', env);
        await server.waitFor(() => bot.logged('logged in to Discord') || bot.child.exitCode !== null, {
          timeoutMs: 30_000,
          description: 'the bot to log in',
        });
        expect(
          server.shardSessions.map((s) => s.shard),
          bot.output(),
        ).toEqual([[1, 2]]);
        const login = bot
          .stdout()
          .split('\n')
          .find((line) => line.includes('"msg":"logged in to Discord"'));
        expect(JSON.parse(login!)).toMatchObject({ guilds: 2, shards: [1], shardCount: 2 });
        const [onOne] = guildIdsOf(server, 1, 2);
        const session = await server.sendSlashCommand('about', {}, { guildId: onOne! });
        expect(session.reply?.embeds[0]?.title).toBe('Migration News Bot');
        const [onZero] = guildIdsOf(server, 0, 2);
        expect(() => server.startSlashCommand('about', {}, { guildId: onZero! })).toThrow(
          `loopback: no logged-in client serves the shard of guild ${onZero!} (connected shards: [1, 2])`,
        );
      } finally {
        processes.killAll();
        await server.close();
        data.cleanup();
      }
    }, 60_000);
  });

  describe('SHARD_COUNT unset', () => {
    it("runs as many shards as GET /gateway/bot recommends, as discord.js's shards: 'auto'", async () => {
      const server = await LoopbackDiscord.start({
        guilds: guildsOnTwoShards(),
        recommendedShards: 2,
        requiredShardCount: 2,
        maxConcurrency: 2, // both shards identify at once instead of 5 s apart
      });
      const bot = await BotHarness.start({ loopback: server });
      try {
        expect(server.shardSessions.map((s) => s.shard).sort()).toEqual([
          [0, 2],
          [1, 2],
        ]);
        expect(bot.client.options.shardCount).toBe(2);
        expect(bot.client.guilds.cache.size).toBe(4);
        const session = await server.sendSlashCommand('about', {}, { guildId: server.guilds[3]!.id });
        expect(session.reply?.embeds[0]?.title).toBe('Migration News Bot');
        expect(server.rejectedIdentifies).toEqual([]);
      } finally {
        await bot.close();
        await server.close();
      }
    }, 20_000);
  });

  describe('IDENTIFY', () => {
    let server: LoopbackDiscord;
    beforeAll(async () => {
      server = await LoopbackDiscord.start();
    });
    afterAll(async () => {
      await server.close();
    });

    it.each([
      ['[2, 2] (id not below the count)', [2, 2]],
      ['[0, 0] (no shards)', [0, 0]],
      ['[-1, 2]', [-1, 2]],
      ['[0.5, 2]', [0.5, 2]],
      ['[0]', [0]],
      ['"0,2"', '0,2'],
    ])('closes with 4010 Invalid shard for shard %s', async (_label, shard) => {
      expect(await identifyRaw(server, shard)).toEqual({ code: 4010, reason: 'Invalid shard' });
      expect(server.rejectedIdentifies.at(-1)).toEqual({ shard, code: 4010 });
    });

    it('treats IDENTIFY without shard as shard [0, 1]', async () => {
      expect(await identifyRaw(server, undefined)).toEqual({ code: 0, reason: 'READY' });
    });

    it('closes with 4011 Sharding required when fewer shards than the required count identify', async () => {
      const big = await LoopbackDiscord.start({ requiredShardCount: 2 });
      try {
        expect(await identifyRaw(big, undefined)).toEqual({ code: 4011, reason: 'Sharding required' });
        expect(await identifyRaw(big, [0, 1])).toEqual({ code: 4011, reason: 'Sharding required' });
        expect(await identifyRaw(big, [1, 2])).toEqual({ code: 0, reason: 'READY' });
      } finally {
        await big.close();
      }
    });

    it('makes the login of a bot with too few shards fail (Discord 4011), not hang', async () => {
      const big = await LoopbackDiscord.start({ requiredShardCount: 2 });
      const client = createClient(loadConfig(big.botEnv('unused', { SHARD_COUNT: '1' })));
      try {
        await expect(client.login(big.token)).rejects.toThrow('Sharding is required');
        expect(big.rejectedIdentifies).toEqual([{ shard: [0, 1], code: 4011 }]);
      } finally {
        await client.destroy();
        await big.close();
      }
    });
  });
});
