import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ChannelType, ComponentType, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { deployCommands } from '../../src/discord/deployCommands.js';
import { Store } from '../../src/store/store.js';
import { LoopbackDiscord } from '../../loopback/discord.js';
import { delayed, html, json, LOOPBACK_WEB_ALLOW, LoopbackWeb } from '../../loopback/web.js';
import { makeDataDir } from '../fixtures/dataDir.js';
import { shippedProcesses } from '../support/shippedProcess.js';

const HOUR = 60 * 60 * 1000;
const SOURCE = 'loopback-news';
/** Feed dates count from here, so a refetch shows the same entries. */
const T0 = Date.now();

interface Item {
  readonly k: number;
  readonly hoursAgo: number;
}

/** A JSON Feed of `items`, each linking to /news/<k> with tracking parameters. */
const feed = (base: string, items: readonly Item[]) => ({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Loopback migration news',
  items: items.map(({ k, hoursAgo }) => ({
    id: `item-${k}`,
    url: `${base}/news/${k}?utm_source=rss`,
    title: `Arrivals at the northern crossing, report ${k}`,
    date_published: new Date(T0 - hoursAgo * HOUR).toISOString(),
    summary: `Report ${k} on arrivals at the northern crossing.`,
  })),
});

const page = (k: number) =>
  html(
    `<html><body><article><h1>Arrivals at the northern crossing, report ${k}</h1>` +
      `<p>Geneva - Field teams counted arrivals at the northern crossing for report ${k}. ` +
      `Families waited for days. Shelters were full.</p>` +
      `<p>Teams recorded the needs of ${k + 10} families waiting at the crossing point.</p></article></body></html>`,
  );

/** Link buttons of the messages, by URL. */
const linkUrls = (messages: readonly APIMessage[]) =>
  messages.flatMap((m) =>
    (m.components ?? []).flatMap((row) =>
      'components' in row
        ? row.components.flatMap((c) => (c.type === ComponentType.Button && 'url' in c ? [c.url] : []))
        : [],
    ),
  );

describe('live sources in the shipped bot (src/main.ts, loopback Discord and web)', () => {
  let discord: LoopbackDiscord;
  let web: LoopbackWeb;
  const data = makeDataDir({ shipped: true });
  const processes = shippedProcesses();
  let env: Record<string, string>;

  beforeAll(async () => {
    discord = await LoopbackDiscord.start({
      guilds: [{ channels: [{ name: 'news', type: ChannelType.GuildText }] }],
    });
    web = await LoopbackWeb.start({});
    for (let k = 0; k < 4; k++) web.route(`/news/${k}`, page(k));
    env = {
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_GUILD_ID: discord.guild.id,
      DISCORD_API_BASE: discord.apiBase,
      DATA_DIR: data.dir,
      LOG_LEVEL: 'info',
      // The sources' beat, apart from the raw/ rescan (off): a CLI fetch reaches the bot within a second.
      RESCAN_INTERVAL_SECONDS: '0',
      SOURCES_TICK_SECONDS: '1',
      FETCH_ALLOW_NETWORKS: LOOPBACK_WEB_ALLOW,
    };
    await deployCommands(loadConfig(env));
    writeFileSync(
      path.join(data.dir, 'sources.json'),
      JSON.stringify({ sources: [{ id: SOURCE, type: 'feed', url: `${web.baseUrl}/feed.json` }] }),
    );
  });
  afterAll(async () => {
    processes.killAll();
    await Promise.all([discord.close(), web.close()]);
    data.cleanup();
  });

  const run = (script: string, args: string[] = []) => processes.start(script, env, args);

  const storeFacts = async () => {
    const store = await Store.open(data.dir);
    try {
      const entries = (await store.log.entries(0)).filter((e) => e.docId.startsWith(`${SOURCE}_`));
      return { documents: (await store.webDocuments.countBySource()).get(SOURCE) ?? 0, entries };
    } finally {
      await store.close();
    }
  };

  it(
    'loses nothing and duplicates nothing when killed in the middle of a fetch',
    { timeout: 120_000 },
    async () => {
      // Three old items; the third page answers slowly, so the kill lands mid-fetch.
      web.route(
        '/feed.json',
        json(
          feed(
            web.baseUrl,
            [0, 1, 2].map((k) => ({ k, hoursAgo: 48 + k })),
          ),
          { etag: '"a"' },
        ),
      );
      web.route('/news/2', delayed(4_000, page(2)));
      const first = run('src/main.ts');
      for (let t = 0; web.requestsTo('/news/2').length === 0; t++) {
        if (t > 600) throw new Error(`the bot never fetched /news/2\n${first.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      first.child.kill('SIGKILL');
      await first.exited;
      const killed = await storeFacts();
      expect(killed.documents).toBeLessThan(3);

      web.route('/news/2', page(2));
      const second = run('src/main.ts');
      for (let t = 0; !second.logged(`source ${SOURCE} fetched`); t++) {
        if (t > 1200) throw new Error(`the restarted bot never fetched the source\n${second.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const after = await storeFacts();
      expect(after.documents).toBe(3);
      expect(after.entries.map((e) => e.event)).toEqual(['new', 'new', 'new']);
      expect(new Set(after.entries.map((e) => e.docId)).size).toBe(3);
      // Found on the source's first fetch and two days old: indexed, not news.
      expect(after.entries.every((e) => !e.news)).toBe(true);
      second.child.kill('SIGTERM');
      expect((await second.exited).code, second.output()).toBe(0);
    },
  );

  it(
    "brings a source's new item, fetched by the CLI while the bot runs, into the channel's next digest once, with its link",
    { timeout: 120_000 },
    async () => {
      const bot = run('src/main.ts');
      await discord.waitFor(() => bot.logged('digests recovered') || bot.child.exitCode !== null, {
        timeoutMs: 60_000,
        description: 'the bot to start',
      });
      const subscribed = await discord.sendSlashCommand(
        'digest subscribe',
        { channel: discord.channel('news').id, schedule: '0 9 * * *' },
        { user: discord.owner },
      );
      const id = Number(/#(\d+)/.exec(subscribed.reply?.content ?? '')?.[1]);
      expect(id).toBeGreaterThan(0);

      // A new item appears in the feed; an operator fetches now from another process.
      const items = [{ k: 3, hoursAgo: 1 }, ...[0, 1, 2].map((k) => ({ k, hoursAgo: 48 + k }))];
      web.route('/feed.json', json(feed(web.baseUrl, items), { etag: '"b"' }));
      const cli = run('src/cli/main.ts', ['sources', 'fetch', '--source', SOURCE, '--json']);
      expect((await cli.exited).code, cli.output()).toBe(0);
      expect(JSON.parse(cli.stdout())).toEqual({
        sources: [{ id: SOURCE, status: 'ok', new: 1, updated: 0, unchanged: 3, rejected: 0, error: null }],
      });

      // Within the rescan interval the bot follows the log; the next digest carries the item.
      await new Promise((r) => setTimeout(r, 2_500));
      const send = await discord.sendSlashCommand('digest send', { id }, { user: discord.owner });
      await discord.waitFor(
        () => discord.channelMessages(discord.channel('news').id).length > 0 || undefined,
        {
          timeoutMs: 20_000,
          description: `the digest in the channel (reply: ${send.reply?.content ?? ''})`,
        },
      );
      const messages = discord.channelMessages(discord.channel('news').id);
      const text = JSON.stringify(messages);
      expect(text).toContain('report 3');
      expect(text).not.toContain('report 0'); // old items were indexed, never news
      expect(linkUrls(messages)).toContain(`${web.baseUrl}/news/3`);

      // Once: the next digest has nothing new.
      const again = await discord.sendSlashCommand('digest send', { id }, { user: discord.owner });
      expect(again.reply?.content ?? JSON.stringify(again.followUps)).toMatch(/Nothing new/);
      expect(discord.channelMessages(discord.channel('news').id)).toHaveLength(messages.length);
      bot.child.kill('SIGTERM');
      expect((await bot.exited).code, bot.output()).toBe(0);
    },
  );
});
