import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ChannelType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { deployCommands } from '../../src/discord/deployCommands.js';
import { Store } from '../../src/store/store.js';
import { mulberry32 } from '../../src/util/random.js';
import { LoopbackDiscord, snowflakeOnShard } from '../../loopback/discord.js';
import { json, LOOPBACK_WEB_ALLOW, LoopbackWeb } from '../../loopback/web.js';
import { docIds, dropArticle } from '../digests/articles.js';
import { makeDataDir } from '../fixtures/dataDir.js';
import { compiledBuild, shippedProcesses, type ShippedProcess } from '../support/shippedProcess.js';
import { freshDatabaseUrl } from '../support/stores.js';

const PROCESSES = 3;
const SUBSCRIPTIONS = 200;
const ARTICLES = 30; // with the shipped articles, two messages per digest
const SOURCE = 'shared-news';
const HOUR = 3_600_000;
const MESSAGE_POSTS = /^\/channels\/\d+\/messages$/;

/** Polls an async probe until it holds. */
async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Three bot processes, as the Dockerfile runs them (the compiled build, plain node), each with its
 * own data folder and shard, sharing one PostgreSQL database: digests due at once for 200
 * subscriptions, processes killed with SIGKILL at random points and restarted. Every article must
 * reach every subscription exactly once, with nothing left pending or claimed; a live source is
 * fetched by one process and searchable through all three.
 */
describe('several bot processes on one PostgreSQL (compiled build, loopback Discord and web)', () => {
  let build: Awaited<ReturnType<typeof compiledBuild>>;
  let server: LoopbackDiscord;
  let web: LoopbackWeb;
  let databaseUrl: string;
  const dataDirs = Array.from({ length: PROCESSES }, () => makeDataDir({ shipped: true }));
  let processes: ReturnType<typeof shippedProcesses>;

  beforeAll(async () => {
    [build, databaseUrl, web] = await Promise.all([
      compiledBuild(),
      freshDatabaseUrl(),
      LoopbackWeb.start({}),
    ]);
    processes = shippedProcesses({ compiled: build.outDir });
    // One guild per shard; their channels hold the 200 subscriptions between them.
    const perGuild = Math.ceil(SUBSCRIPTIONS / PROCESSES);
    server = await LoopbackDiscord.start({
      recommendedShards: PROCESSES,
      requiredShardCount: PROCESSES,
      guilds: Array.from({ length: PROCESSES }, (_, shard) => ({
        id: snowflakeOnShard(shard, PROCESSES),
        name: `Shard ${shard} newsroom`,
        channels: Array.from({ length: perGuild }, (_, k) => ({
          name: `digest-${shard}-${k}`,
          type: ChannelType.GuildText,
        })),
      })),
    });
    // Older than a day: indexed on the source's first fetch, not news, so not in digests.
    web.route(
      '/feed.json',
      json({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Shared news',
        items: [30, 40, 50].map((hoursAgo, k) => ({
          id: `shared-${k}`,
          url: `${web.baseUrl}/news/${k}`,
          title: `Shelter capacity at the eastern crossing, update ${k}`,
          date_published: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
          content_text: `Geneva - Shelter capacity at the eastern crossing reached its limit in update ${k}. Teams added beds.`,
        })),
      }),
    );
    for (const data of dataDirs) {
      for (let n = 0; n < ARTICLES; n++) dropArticle(data.raw, n, ['Chad', 'Peru', 'Mali'][n % 3]);
      writeFileSync(
        path.join(data.dir, 'sources.json'),
        JSON.stringify({
          sources: [{ id: SOURCE, type: 'feed', url: `${web.baseUrl}/feed.json`, fetchArticles: false }],
        }),
      );
    }
    await deployCommands(loadConfig({ ...server.botEnv(dataDirs[0]!.dir), DISCORD_GUILD_ID: '' }));

    // 200 subscriptions, created before any process runs, every one due at once at start-up: an
    // every-minute schedule that last ran (was created) two minutes ago.
    const store = await Store.open({ dataDir: dataDirs[0]!.dir, databaseUrl });
    try {
      const channels = server.guilds.flatMap((g) =>
        g.channels.map((c) => ({ guildId: g.id, channelId: c.id })),
      );
      const twoMinutesAgo = new Date(Date.now() - 2 * 60_000);
      for (const { guildId, channelId } of channels.slice(0, SUBSCRIPTIONS)) {
        await store.subscriptions.create(
          { guildId, channelId, cron: '* * * * *', timezone: 'UTC', query: null, backfill: 0 },
          twoMinutesAgo,
        );
      }
    } finally {
      await store.close();
    }
  }, 180_000);

  afterAll(async () => {
    processes?.killAll();
    await Promise.all([server?.close(), web?.close(), build?.remove()]);
    for (const data of dataDirs) data.cleanup();
  });

  it('delivers every article exactly once per subscription through SIGKILLs, and follows one fetch everywhere', async () => {
    const next = mulberry32(12); // seeded: a failing run replays
    const everyProcess: ShippedProcess[] = [];
    const start = (shard: number) => {
      const bot = processes.start(
        'src/main.ts',
        server.botEnv(dataDirs[shard]!.dir, {
          DISCORD_GUILD_ID: '',
          DATABASE_URL: databaseUrl,
          SHARD_COUNT: String(PROCESSES),
          SHARD_IDS: String(shard),
          LOG_LEVEL: 'debug',
          RESCAN_INTERVAL_SECONDS: '0',
          DIGEST_CLAIM_SECONDS: '5',
          DIGEST_SWEEP_SECONDS: '1',
          FETCH_ALLOW_NETWORKS: LOOPBACK_WEB_ALLOW,
        }),
      );
      everyProcess.push(bot);
      return bot;
    };
    const posts = () => server.requestsTo('POST', MESSAGE_POSTS);
    // Each message is stored at once and answered a little later, so kills land mid-post too.
    server.inject({ method: 'POST', path: MESSAGE_POSTS, fault: { kind: 'delay', ms: 30 }, times: Infinity });
    const running = Array.from({ length: PROCESSES }, (_, shard) => start(shard));

    // Kill a process at three points while the digests go out. The first and last kills hit a
    // random process, which comes back at once and takes its own claims back. The second hits a
    // process holding claims and keeps it down until the others have finished every subscription it
    // held (its claims expire after DIGEST_CLAIM_SECONDS, the others' sweeps take them over).
    // Discord forgets the nonces after each kill: only the channel-history check then stands
    // between a re-post and a duplicate.
    const store = await Store.open({ dataDir: dataDirs[0]!.dir, databaseUrl });
    const ownerShard = (owner: string) =>
      dataDirs.findIndex((d) => readFileSync(path.join(d.dir, 'claim-owner'), 'utf8').trim() === owner);
    const expectedPosts = SUBSCRIPTIONS * 2;
    const kills: string[] = [];
    try {
      for (const [round, fraction] of [
        0.15 + next() * 0.1,
        0.4 + next() * 0.1,
        0.65 + next() * 0.1,
      ].entries()) {
        const at = Math.floor(expectedPosts * fraction);
        await server.waitFor(() => posts().length >= at, { timeoutMs: 90_000 });
        let shard = Math.floor(next() * PROCESSES);
        let held: number[] = [];
        if (round === 1) {
          // Claims on subscriptions whose digest is not delivered yet: work the victim leaves undone.
          let claims: Awaited<ReturnType<typeof store.subscriptions.claimed>> = [];
          await until(async () => {
            const end = await store.log.latestSeq();
            const undone = new Set(
              (await store.subscriptions.list()).filter((s) => s.cursorSeq < end).map((s) => s.id),
            );
            claims = (await store.subscriptions.claimed()).filter((c) => undone.has(c.id));
            return claims.length > 0;
          }, 30_000);
          shard = ownerShard(claims[0]!.owner);
          held = claims.filter((c) => c.owner === claims[0]!.owner).map((c) => c.id);
        }
        const victim = running[shard]!;
        expect(victim.child.exitCode, victim.output()).toBeNull();
        victim.child.kill('SIGKILL');
        expect((await victim.exited).signal).toBe('SIGKILL');
        server.forgetNonces();
        const killedAt = Date.now();
        const postsAtKill = posts().length;
        if (held.length > 0) {
          // The survivors take the dead process's claims once they expire, but only at a sweep after
          // their own queued runs: measured 5.8 s to over 60 s on a busy 2-core machine (5.3 s before
          // claims were renewed on the database clock); the note tracks it.
          await until(async () => {
            const end = await store.log.latestSeq();
            for (const id of held) {
              const s = await store.subscriptions.get(id);
              if (s?.cursorSeq !== end || (await store.deliveries.pendingFor(id))) return false;
            }
            return true;
          }, 150_000);
        } else {
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        kills.push(
          `shard ${shard} at ${postsAtKill} posts` +
            (held.length > 0
              ? ` holding ${held.length} claims, finished by the others in ${Date.now() - killedAt} ms`
              : ''),
        );
        running[shard] = start(shard);
      }
    } catch (error) {
      await store.close();
      throw error;
    }

    // Done: every subscription's cursor at the end of the log, nothing pending.
    try {
      await until(async () => {
        const end = await store.log.latestSeq();
        const subscriptions = await store.subscriptions.list();
        const pending = await store.deliveries.pending();
        return pending.length === 0 && subscriptions.every((s) => s.cursorSeq === end);
      }, 90_000);
      const items = (await store.log.entries(0))
        .filter((e) => e.event === 'new' && e.news)
        .map((e) => e.docId)
        .sort();
      expect(items.length).toBeGreaterThan(ARTICLES);
      for (const s of await store.subscriptions.list()) {
        const posted = docIds(server.channelMessages(s.channelId));
        expect(posted.length, `#${s.id}`).toBe(items.length); // no duplicate...
        expect([...posted].sort(), `#${s.id}`).toEqual(items); // ...and nothing missing
      }

      // The live source: fetched by one process (the others found it claimed), then found by a
      // /search in each shard's guild, so every process followed that fetch into its index.
      const fetched = `"msg":"source ${SOURCE} fetched"`;
      await server.waitFor(() => everyProcess.some((bot) => bot.stdout().includes(fetched)), {
        timeoutMs: 60_000,
      });
      expect(everyProcess.filter((bot) => bot.stdout().includes(fetched))).toHaveLength(1);
      expect(
        everyProcess.some((bot) =>
          bot.stdout().includes(`"msg":"source ${SOURCE} is being fetched by another process"`),
        ),
      ).toBe(true);
      let missedDeadlines = 0;
      for (const [shard, guild] of server.guilds.entries()) {
        await server.waitFor(() => server.sessionsOfShard(shard) > 0, { timeoutMs: 30_000 });
        // Within the follow beat (5 s with PostgreSQL). A process just restarted may still be busy
        // recovering digests on a loaded machine and miss Discord's 3 s deadline: that search is
        // counted (printed below) and asked again, since this test is about what each index holds.
        const deadline = Date.now() + 30_000;
        let reply = '';
        while (!reply.includes('Shelter capacity at the eastern crossing, update') && Date.now() < deadline) {
          try {
            const session = await server.sendSlashCommand(
              'search',
              { query: 'shelter capacity eastern crossing' },
              { guildId: guild.id, channelId: guild.channels[0]!.id },
            );
            reply = JSON.stringify(session.reply);
          } catch (error) {
            if (!String(error).includes('timed out waiting for interaction')) throw error;
            missedDeadlines++;
          }
          if (!reply.includes('update')) await new Promise((resolve) => setTimeout(resolve, 500));
        }
        expect(reply, `guild of shard ${shard}`).toContain(
          'Shelter capacity at the eastern crossing, update',
        );
      }

      // SIGTERM drains: each process finishes or releases what it holds, then exits 0.
      for (const bot of running) bot.child.kill('SIGTERM');
      for (const bot of running) expect((await bot.exited).code, bot.output()).toBe(0);
      expect(await store.subscriptions.claimed()).toEqual([]);
      expect(await store.deliveries.pending()).toEqual([]);
      console.info(
        `shared PostgreSQL: ${PROCESSES} processes, ${SUBSCRIPTIONS} subscriptions × ${items.length} items, ` +
          `${posts().length} POSTs for ${[...server.messages.values()].length} messages; kills: ${kills.join(', ')}; ` +
          `searches that missed the 3 s deadline: ${missedDeadlines}`,
      );
    } finally {
      await store.close();
    }
  }, 480_000);
});
