import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ChannelType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { deployCommands } from '../../src/discord/deployCommands.js';
import { PostgresDriver } from '../../src/store/postgresDriver.js';
import { Store } from '../../src/store/store.js';
import { LoopbackDiscord, snowflakeOnShard } from '../../loopback/discord.js';
import { docIds, dropArticle } from '../digests/articles.js';
import { makeDataDir } from '../fixtures/dataDir.js';
import { shippedProcesses, type ShippedProcess } from '../support/shippedProcess.js';
import { freshDatabaseUrl } from '../support/stores.js';

const SUBSCRIPTIONS = 40;
const ARTICLES = 30; // with the shipped articles, two messages per digest
const SKEW_MS = 5 * 60_000;
const CLAIM_SECONDS = 5;
const MESSAGE_POSTS = /^\/channels\/\d+\/messages$/;
const CLOCK_AHEAD = path.resolve(import.meta.dirname, '../support/clockAhead.mjs');
const LOST = '"msg":"digest claim lost; stopped posting, the new owner finishes the delivery"';

/** Polls an async probe until it holds. */
async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Two shipped bot processes (`node --import tsx src/main.ts`) on one PostgreSQL, one on a host
 * whose clock runs 5 minutes ahead (a test-only preload shifts its Date), with 40 every-minute
 * digests due at once. Claims compare on the database's clock, so neither process takes a claim
 * the other still holds, and when the process ahead is SIGKILLed, its claims expire after
 * DIGEST_CLAIM_SECONDS for the other too (on its host clock they would look 5 minutes long).
 */
describe('two bot processes on one PostgreSQL, one clock 5 minutes ahead', () => {
  let server: LoopbackDiscord;
  let databaseUrl: string;
  const dataDirs = [makeDataDir({ shipped: true }), makeDataDir({ shipped: true })];
  const processes = shippedProcesses();

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl();
    const perGuild = SUBSCRIPTIONS / 2;
    server = await LoopbackDiscord.start({
      recommendedShards: 2,
      requiredShardCount: 2,
      guilds: [0, 1].map((shard) => ({
        id: snowflakeOnShard(shard, 2),
        name: `Shard ${shard} newsroom`,
        channels: Array.from({ length: perGuild }, (_, k) => ({
          name: `digest-${shard}-${k}`,
          type: ChannelType.GuildText,
        })),
      })),
    });
    for (const data of dataDirs) {
      for (let n = 0; n < ARTICLES; n++) dropArticle(data.raw, n, ['Chad', 'Peru', 'Mali'][n % 3]);
    }
    await deployCommands(loadConfig({ ...server.botEnv(dataDirs[0]!.dir), DISCORD_GUILD_ID: '' }));
    // Every subscription due at start-up: an every-minute schedule created two minutes ago.
    const store = await Store.open({ dataDir: dataDirs[0]!.dir, databaseUrl });
    try {
      const twoMinutesAgo = new Date(Date.now() - 2 * 60_000);
      for (const guild of server.guilds) {
        for (const channel of guild.channels) {
          await store.subscriptions.create(
            {
              guildId: guild.id,
              channelId: channel.id,
              cron: '* * * * *',
              timezone: 'UTC',
              query: null,
              backfill: 0,
            },
            twoMinutesAgo,
          );
        }
      }
    } finally {
      await store.close();
    }
  }, 120_000);

  afterAll(async () => {
    processes.killAll();
    await server?.close();
    for (const data of dataDirs) data.cleanup();
  });

  it('hands the work over on the database clock: no live claim taken, every item once per channel after a SIGKILL', async () => {
    const start = (shard: number, extra: Record<string, string> = {}): ShippedProcess =>
      processes.start(
        'src/main.ts',
        server.botEnv(dataDirs[shard]!.dir, {
          DISCORD_GUILD_ID: '',
          DATABASE_URL: databaseUrl,
          SHARD_COUNT: '2',
          SHARD_IDS: String(shard),
          LOG_LEVEL: 'info',
          RESCAN_INTERVAL_SECONDS: '0',
          DIGEST_CLAIM_SECONDS: String(CLAIM_SECONDS),
          DIGEST_SWEEP_SECONDS: '1',
          ...extra,
        }),
      );
    // Each message is stored at once and answered later: the digests take a while, both work.
    server.inject({
      method: 'POST',
      path: MESSAGE_POSTS,
      fault: { kind: 'delayAnswer', ms: 800 },
      times: Infinity,
    });
    const onTime = start(0);
    const ahead = start(1, {
      NODE_OPTIONS: `--import=${CLOCK_AHEAD}`,
      TEST_CLOCK_OFFSET_MS: String(SKEW_MS),
    });

    const store = await Store.open({ dataDir: dataDirs[0]!.dir, databaseUrl });
    const db = await PostgresDriver.open(databaseUrl, { poolSize: 1 });
    try {
      // While both run: every claim's expiry, read against the database's clock, is at most a
      // claim's length away (one written on the skewed host's clock would be 5 minutes away).
      let longestClaimMs = 0;
      let samples = 0;
      // After the kill: when the other process first held one of the killed one's claims.
      const taken = { ids: new Set<number>(), owner: '', killedAt: 0, ms: undefined as number | undefined };
      const sample = async () => {
        const rows = await db.all(
          `SELECT id, claimed_by AS owner, claim_expires_at AS at,
             (extract(epoch from clock_timestamp()) * 1000)::bigint AS now
           FROM subscriptions WHERE claimed_by IS NOT NULL`,
        );
        for (const row of rows) {
          longestClaimMs = Math.max(longestClaimMs, Date.parse(String(row.at)) - Number(row.now));
          samples++;
          if (taken.ms === undefined && taken.ids.has(Number(row.id)) && row.owner === taken.owner)
            taken.ms = Date.now() - taken.killedAt;
        }
      };
      const delivered = (bot: ShippedProcess) => bot.logged('digest delivered');
      const undoneClaimsOf = async (owner: string) => {
        const end = await store.log.latestSeq();
        const undone = new Set(
          (await store.subscriptions.list()).filter((s) => s.cursorSeq < end).map((s) => s.id),
        );
        return (await store.subscriptions.claimed()).filter((c) => c.owner === owner && undone.has(c.id));
      };
      const aheadOwner = () => readFileSync(path.join(dataDirs[1]!.dir, 'claim-owner'), 'utf8').trim();
      // Both processes deliver, then the one ahead is killed while it holds undone work.
      let held: { id: number; owner: string }[] = [];
      await until(async () => {
        await sample();
        if (!delivered(onTime) || !delivered(ahead)) return false;
        held = await undoneClaimsOf(aheadOwner());
        return held.length > 0;
      }, 120_000);
      expect(ahead.child.exitCode, ahead.output()).toBeNull();
      ahead.child.kill('SIGKILL');
      expect((await ahead.exited).signal).toBe('SIGKILL');
      const killedAt = Date.now();
      const onTimeOwner = readFileSync(path.join(dataDirs[0]!.dir, 'claim-owner'), 'utf8').trim();
      Object.assign(taken, { ids: new Set(held.map((c) => c.id)), owner: onTimeOwner, killedAt });
      const postsAtKill = server.requestsTo('POST', MESSAGE_POSTS).length;

      // The other finishes what the killed one held (the hand-over), then everything: every
      // cursor at the end of the log, nothing pending.
      const isDone = async (ids: readonly number[]) => {
        const end = await store.log.latestSeq();
        for (const id of ids) {
          const s = await store.subscriptions.get(id);
          if (s?.cursorSeq !== end || (await store.deliveries.pendingFor(id))) return false;
        }
        return true;
      };
      const doneSampling = (ids: readonly number[]) => async () => {
        await sample();
        return isDone(ids);
      };
      await until(doneSampling(held.map((c) => c.id)), 120_000);
      const handOverMs = Date.now() - killedAt;
      const all = (await store.subscriptions.list()).map((s) => s.id);
      await until(doneSampling(all), 120_000);
      const allDoneMs = Date.now() - killedAt;

      const items = (await store.log.entries(0))
        .filter((e) => e.event === 'new' && e.news)
        .map((e) => e.docId)
        .sort();
      expect(items.length).toBeGreaterThanOrEqual(ARTICLES);
      const perChannel = new Map<number, number>();
      for (const s of await store.subscriptions.list()) {
        const messages = server.channelMessages(s.channelId);
        const posted = docIds(messages);
        expect(posted.length, `#${s.id}`).toBe(items.length); // no duplicate...
        expect([...posted].sort(), `#${s.id}`).toEqual(items); // ...and nothing missing
        perChannel.set(messages.length, (perChannel.get(messages.length) ?? 0) + 1);
      }
      // Neither process took a claim the other held while alive, and none lasted longer than its length.
      expect(onTime.stdout()).not.toContain(LOST);
      expect(ahead.stdout()).not.toContain(LOST);
      expect(samples).toBeGreaterThan(0);
      expect(longestClaimMs).toBeLessThanOrEqual(CLAIM_SECONDS * 1000 + 1000);
      // Its claims expired after DIGEST_CLAIM_SECONDS on the database clock, not 5 minutes.
      expect(handOverMs).toBeLessThan(60_000);

      onTime.child.kill('SIGTERM');
      expect((await onTime.exited).code, onTime.output()).toBe(0);
      expect(await store.subscriptions.claimed()).toEqual([]);
      console.info(
        `clock skew: ${SUBSCRIPTIONS} subscriptions × ${items.length} items; the process 5 min ahead killed ` +
          `at ${postsAtKill} posts holding ${held.length} undone claims, the first taken by the other ` +
          `${taken.ms ?? 'n/a'} ms after the kill, all finished by it ` +
          `${handOverMs} ms later (claims ${CLAIM_SECONDS} s), everything after ${allDoneMs} ms; messages per channel: ` +
          `${[...perChannel].map(([n, channels]) => `${n} in ${channels} channels`).join(', ')}; ` +
          `${server.requestsTo('POST', MESSAGE_POSTS).length} POSTs; longest claim seen ${longestClaimMs} ms ` +
          `ahead of the database clock (${samples} samples)`,
      );
    } finally {
      await db.close();
      await store.close();
    }
  }, 300_000);
});
