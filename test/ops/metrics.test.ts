import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createLibrary } from '../../src/core/library.js';
import { ButtonStyle, ComponentType, Events } from 'discord.js';
import { createClient, whyShardsNotReady } from '../../src/discord/client.js';
import { startOpsServer, type OpsServer } from '../../src/ops/httpServer.js';
import { createBotMetrics, type BotMetrics } from '../../src/ops/metrics.js';
import { parseSourcesFile } from '../../src/sources/sourcesFile.js';
import { createSourcesRuntime } from '../../src/sources/sourcesRuntime.js';
import { Store } from '../../src/store/store.js';
import { LOOPBACK_WEB_NETWORKS, LoopbackWeb, loopbackOnlyLookup, status, xml } from '../../loopback/web.js';
import { dropArticle } from '../digests/articles.js';
import { failEveryPost, startHarness } from '../digests/harness.js';
import { webFixture } from '../sources/webFixtures.js';
import { BotHarness, buttonLabelled } from '../support/botHarness.js';
import { addExtraPages } from '../support/extraPages.js';
import { sample } from './scrape.js';

/** Scrapes until `probe` holds (counters move just after the work they count), or fails with the last scrape. */
async function scrapeUntil(server: OpsServer, probe: (body: string) => boolean, timeoutMs = 5_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const body = await (await fetch(`${server.url}/metrics`)).text();
    if (probe(body)) return body;
    if (performance.now() > deadline) throw new Error(`metrics never matched; last scrape:\n${body}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const command = (body: string, name: string, kind: string, outcome: string) =>
  sample(body, 'migration_news_commands_total', { command: name, kind, outcome }) ?? 0;

describe('ops/metrics', () => {
  describe('in the bot (real discord.js client, loopback Discord, the shipped command path)', () => {
    let metrics: BotMetrics;
    let bot: BotHarness;
    let server: OpsServer;

    beforeAll(async () => {
      // The program's own /healthz and /metrics, as METRICS_PORT turns them on in production.
      bot = await BotHarness.start({
        env: { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' },
        prepareData: (dataDir) => addExtraPages(dataDir, 8),
      });
      metrics = bot.app.metrics!;
      server = bot.app.ops!;
    }, 60_000);
    afterAll(async () => {
      await bot.close();
    });

    it('is healthy once the client is logged in with every shard connected, not before', async () => {
      expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('ok\n');

      const fresh = createClient(bot.config);
      const before = await startOpsServer({
        host: '127.0.0.1',
        port: 0,
        metrics,
        whyNotReady: () => whyShardsNotReady(fresh),
      });
      try {
        const answer = await fetch(`${before.url}/healthz`);
        expect([answer.status, await answer.text()]).toEqual([503, 'not ready: not logged in to Discord\n']);
      } finally {
        await before.close();
        await fresh.destroy();
      }

      // While discord.js reconnects a dropped shard, the shard is not ready.
      let whileReconnecting: string | undefined;
      bot.client.once(Events.ShardReconnecting, () => (whileReconnecting = whyShardsNotReady(bot.client)));
      bot.server.disconnectClients(4000);
      await bot.server.waitFor(() => bot.logs.find((l) => l.msg === 'gateway resumed'));
      expect(whileReconnecting).toMatch(/^Discord shard 0: /);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });

    it('counts and times a /search, an autocomplete, a page button and a user error per command', async () => {
      const before = await scrapeUntil(server, () => true);
      const searchesBefore = command(before, 'search', 'command', 'ok');
      const timedBefore =
        sample(before, 'migration_news_command_duration_seconds_count', {
          command: 'search',
          kind: 'command',
        }) ?? 0;

      const session = await bot.server.sendSlashCommand('search', { query: 'migration' });
      expect(session.reply?.embeds[0]).toBeDefined();
      await bot.server.sendAutocomplete('contact', { name: 'lil' }, 'name');
      await bot.server.sendSlashCommand('article', { id: 'no such article at all' });

      const body = await scrapeUntil(
        server,
        (b) =>
          command(b, 'search', 'command', 'ok') === searchesBefore + 1 &&
          command(b, 'article', 'command', 'user-error') === 1,
      );
      expect(command(body, 'contact', 'autocomplete', 'ok')).toBe(1);
      expect(
        sample(body, 'migration_news_command_duration_seconds_count', { command: 'search', kind: 'command' }),
      ).toBe(timedBefore + 1);
      const seconds = sample(body, 'migration_news_command_duration_seconds_sum', {
        command: 'search',
        kind: 'command',
      });
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThan(3);
      expect(
        sample(body, 'migration_news_command_duration_seconds_bucket', {
          command: 'search',
          kind: 'command',
          le: '+Inf',
        }),
      ).toBe(timedBefore + 1);
      expect(sample(body, 'migration_news_library_documents')).toBe(bot.ctx.library.documentCount);
      expect(bot.ctx.library.documentCount).toBeGreaterThan(0);
    });

    it('labels a button with the command whose message carried it, and a stale one as unknown', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'seminar mobility' });
      await bot.server.clickButton(buttonLabelled(session.reply, 'Next ▶'), session.reply!);
      const stale = 'v0:page:2:::seminar mobility';
      const old = bot.server.seedMessage(bot.server.channel('general').id, {
        components: [
          {
            type: ComponentType.ActionRow,
            components: [
              { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Next ▶', custom_id: stale },
            ],
          },
        ],
      });
      await bot.server.clickButton(stale, old);
      const body = await scrapeUntil(server, (b) => command(b, 'unknown', 'component', 'user-error') === 1);
      expect(command(body, 'search', 'component', 'ok')).toBeGreaterThanOrEqual(1);
    });

    it('counts the 429s Discord answers the REST client, by scope, while the answer still goes out', async () => {
      const before = await scrapeUntil(server, () => true);
      const user = sample(before, 'migration_news_discord_rate_limited_total', { scope: 'user' }) ?? 0;
      bot.server.inject({
        method: 'POST',
        path: '/interactions/',
        fault: { kind: 'rateLimit', retryAfter: 0.05 },
      });
      const session = await bot.server.sendSlashCommand('about');
      expect(session.reply?.embeds[0]?.title).toBe('Migration News Bot');
      expect(bot.server.requestsTo('POST', `/interactions/${session.id}/`).map((r) => r.status)).toEqual([
        429, 204,
      ]);
      bot.server.inject({
        method: 'POST',
        path: '/interactions/',
        fault: { kind: 'rateLimit', retryAfter: 0.05, global: true },
      });
      await bot.server.sendSlashCommand('about');
      const body = await scrapeUntil(
        server,
        (b) => sample(b, 'migration_news_discord_rate_limited_total', { scope: 'global' }) === 1,
      );
      expect(sample(body, 'migration_news_discord_rate_limited_total', { scope: 'user' })).toBe(user + 1);
    });
  });

  describe('in the digest runtime (createDigestRuntime, loopback Discord)', () => {
    it('counts deliveries, failures by reason and the pending deliveries', async () => {
      const metrics = createBotMetrics();
      const h = await startHarness({}, { metrics });
      try {
        const general = h.server.channel('general').id;
        const s = await h.service.subscribe({
          guildId: h.server.guild.id,
          channelId: general,
          cron: '0 9 * * *',
          timezone: 'Europe/Paris',
          query: null,
          backfill: 0,
        });
        const read = async (name: string, labels?: Record<string, string>) =>
          sample((await metrics.scrape()).body, name, labels);

        dropArticle(h.data.raw, 1);
        await h.ingester.sync();
        expect(await h.service.send(s.id)).toMatchObject({ kind: 'delivered' });
        expect(await read('migration_news_digests_delivered_total')).toBe(1);
        expect(await h.service.send(s.id)).toEqual({ kind: 'nothing-new' });
        expect(await read('migration_news_digests_delivered_total')).toBe(1);

        dropArticle(h.data.raw, 2);
        await h.ingester.sync();
        failEveryPost(h.server);
        expect(await h.service.send(s.id)).toMatchObject({ kind: 'pending' });
        expect(await read('migration_news_digests_failed_total', { reason: 'pending' })).toBe(1);
        expect(await read('migration_news_digests_pending')).toBe(1);

        h.server.clearFaults();
        h.server.inject({
          method: 'POST',
          path: /\/channels\/\d+\/messages/,
          fault: { kind: 'missingAccess' },
        });
        expect(await h.service.send(s.id)).toMatchObject({ kind: 'paused' });
        expect(await read('migration_news_digests_failed_total', { reason: 'paused' })).toBe(1);
        expect(await read('migration_news_digests_pending')).toBe(1);

        await h.service.resume(h.server.guild.id, s.id);
        expect(await h.service.send(s.id)).toMatchObject({ kind: 'delivered' });
        expect(await read('migration_news_digests_delivered_total')).toBe(2);
        expect(await read('migration_news_digests_pending')).toBe(0);
        expect(await read('migration_news_digests_failed_total', { reason: 'error' })).toBe(0);
      } finally {
        await h.close();
      }
      // The store is closed: a scrape after stop reads 0 instead of failing.
      expect(sample((await metrics.scrape()).body, 'migration_news_digests_pending')).toBe(0);
    });
  });

  describe('in the live sources runtime (createSourcesRuntime, loopback web)', () => {
    it('counts fetches by status and reports the failing sources', async () => {
      const web = await LoopbackWeb.start({
        '/feed.xml': xml(webFixture('rss2.xml'), { etag: '"v1"' }),
        '/gone.xml': status(404),
      });
      const dir = mkdtempSync(path.join(tmpdir(), 'mnb-ops-'));
      const store = await Store.open(dir);
      const metrics = createBotMetrics();
      const { sources } = parseSourcesFile({
        sources: [
          { id: 'works', type: 'feed', url: web.url('/feed.xml'), fetchArticles: false },
          { id: 'broken', type: 'feed', url: web.url('/gone.xml', 'localhost'), fetchArticles: false },
        ],
      });
      const runtime = createSourcesRuntime({
        dataDir: dir,
        store,
        sources,
        library: createLibrary([]),
        logger: pino({ level: 'silent' }),
        version: '0.0.0-test',
        tickSeconds: 3600,
        fetchAllowNetworks: LOOPBACK_WEB_NETWORKS,
        client: { minGapMs: 1, headersTimeoutMs: 2_000, bodyTimeoutMs: 2_000, lookup: loopbackOnlyLookup },
        metrics,
      });
      try {
        const before = (await metrics.scrape()).body;
        expect(sample(before, 'migration_news_sources_failing')).toBe(0);
        runtime.start();
        const read = async () => (await metrics.scrape()).body;
        let body = await read();
        const deadline = performance.now() + 10_000;
        while (sample(body, 'migration_news_source_fetches_total', { status: 'failed' }) !== 1) {
          if (performance.now() > deadline) throw new Error(`no failed fetch counted:\n${body}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
          body = await read();
        }
        while (sample(body, 'migration_news_source_fetches_total', { status: 'ok' }) !== 1) {
          if (performance.now() > deadline) throw new Error(`no ok fetch counted:\n${body}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
          body = await read();
        }
        expect(sample(body, 'migration_news_sources_failing')).toBe(1);
        expect(sample(body, 'migration_news_source_fetches_total', { status: 'disabled' })).toBe(0);
      } finally {
        await runtime.stop();
        await store.close();
        await web.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
