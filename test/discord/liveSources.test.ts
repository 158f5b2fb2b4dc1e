import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ButtonStyle, ComponentType, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { BotHarness, componentsOf } from '../support/botHarness.js';
import { fetchedRecord, storedDocument } from '../support/sourceItems.js';

/** A message's link buttons, flattened. */
function linkButtons(message: APIMessage | undefined): { label?: string; url: string }[] {
  const buttons = componentsOf(message) as unknown as {
    type: ComponentType;
    style?: ButtonStyle;
    label?: string;
    url: string;
  }[];
  return buttons
    .filter((c) => c.type === ComponentType.Button && c.style === ButtonStyle.Link)
    .map(({ label, url }) => ({ label, url }));
}

const dayStamp = (iso: string) => `<t:${Math.floor(Date.parse(iso) / 1000)}:D>`;

/** /article, /search and /sources over fetched documents: the program as main.ts builds it, over a seeded DATA_DIR. */
describe('live sources in Discord (real discord.js client, loopback Discord, real SQLite)', () => {
  let bot: BotHarness;

  const sourcesJson = {
    sources: [
      { id: 'un-news', type: 'feed', url: 'https://news.example.org/feed.xml', name: 'UN News' },
      { id: 'iom', type: 'iom', url: 'https://www.iom.int/news' },
      { id: 'quiet', type: 'feed', url: 'https://quiet.example.org/feed.xml', enabled: false },
    ],
  };
  // Next fetches far ahead: the bot's sources runtime runs, but no request leaves the machine.
  const NEXT_NEWS = '2099-11-29T11:30:00Z';
  const NEXT_IOM = '2099-11-29T12:00:00Z';

  const feed = fetchedRecord({
    sourceId: 'un-news',
    guid: 'feed-1',
    url: 'https://news.example.org/stories/floods-mozambique',
    title: 'Floods displace thousands in Mozambique',
    publishedAt: '2026-11-28T09:30:00Z',
    text: [
      'Maputo - Floods displaced thousands of families in the Zambezi valley this week.',
      'Shelters opened in twelve districts as rivers kept rising.',
      'Publisher paragraph three is the article body Discord must not reproduce.',
    ].join('\n'),
  });
  const iom = fetchedRecord({
    sourceId: 'iom',
    guid: 'iom-1',
    url: 'https://www.iom.int/news/iom-scales-up-floods-response',
    title: 'IOM scales up floods response in Mozambique',
    publishedAt: '2026-11-29T10:00:00Z',
    text: [
      'Maputo - IOM scaled up its floods response on Sunday.',
      'Teams delivered shelter kits to displaced families.',
      'The press release ends with this sentence, which may be shown in full.',
    ].join('\n'),
  });
  const hostile = fetchedRecord({
    sourceId: 'un-news',
    guid: 'feed-2',
    url: 'https://news.example.org/stories/hostile',
    title: '@everyone <@123> **floods** [click](https://evil.example) now',
    publishedAt: '2026-10-01T00:00:00Z',
    text: 'Geneva - Floods @here reached <@&456> the [coast](https://evil.example). Second sentence.',
  });

  /** What earlier fetches left in DATA_DIR: sources.json, the documents and the sources' states. */
  async function seedSources(dataDir: string): Promise<void> {
    await writeFile(path.join(dataDir, 'sources.json'), JSON.stringify(sourcesJson));
    const store = await Store.open(dataDir);
    try {
      for (const record of [feed, iom, hostile]) await store.webDocuments.put(storedDocument(record), []);
      await store.sourceStates.update('un-news', {
        lastStatus: 'ok',
        lastFetchedAt: '2026-11-29T11:00:00Z',
        nextFetchAt: NEXT_NEWS,
      });
      await store.sourceStates.update('iom', {
        lastStatus: 'failed',
        failures: 2,
        lastFetchedAt: '2026-11-29T10:00:00Z',
        nextFetchAt: NEXT_IOM,
        lastError: 'HTTP 503 from <@123> **server** @everyone',
      });
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    // The program loads the fetched documents from its store into the library, as in production.
    bot = await BotHarness.start({ prepareData: seedSources });
  });

  afterAll(async () => {
    await bot?.close();
  });

  describe('/article', () => {
    it('shows a feed article as title, two sentences, date, source and link, never the full text', async () => {
      const session = await bot.server.sendSlashCommand('article', { id: feed.id });
      const embed = session.reply?.embeds[0];
      expect(embed?.title).toBe('Floods displace thousands in Mozambique');
      expect(embed?.url).toBe('https://news.example.org/stories/floods-mozambique');
      expect(embed?.description).toBe(
        [
          `Published ${dayStamp('2026-11-28T09:30:00Z')}`,
          'Floods displaced thousands of families in the Zambezi valley this week. Shelters opened in twelve districts as rivers kept rising.',
          '',
          'Read the full article at the source.',
        ].join('\n'),
      );
      expect(JSON.stringify(session.reply)).not.toContain('Publisher paragraph three');
      expect(embed?.footer?.text).toBe(`Source: UN News · id ${feed.id}`);
      expect(linkButtons(session.reply)).toEqual([
        expect.objectContaining({ label: 'Open the original', url: feed.url }),
      ]);
    });

    it('shows a release of a fullText source (iom) in full, with its source and link', async () => {
      const session = await bot.server.sendSlashCommand('article', { id: iom.id });
      const embed = session.reply?.embeds[0];
      expect(embed?.description).toContain(
        'The press release ends with this sentence, which may be shown in full.',
      );
      expect(embed?.description?.startsWith(`Published ${dayStamp('2026-11-29T10:00:00Z')}\n`)).toBe(true);
      expect(embed?.footer?.text).toBe(`Source: iom · id ${iom.id}`);
      expect(linkButtons(session.reply).map((b) => b.url)).toEqual([iom.url]);
    });

    it('renders a hostile title and text inert', async () => {
      const session = await bot.server.sendSlashCommand('article', { id: hostile.id });
      const embed = session.reply?.embeds[0];
      expect(embed?.title).toBe(
        '\\@everyone \\<@123> \\*\\*floods\\*\\* \\[click](https://evil.example) now',
      );
      expect(embed?.description).toContain(
        'Floods \\@here reached \\<@&456> the \\[coast](https://evil.example).',
      );
      // Deferred (related articles take a moment), then answered by editing the original response.
      const edit = bot.server.requestsTo('PATCH', /\/webhooks\//).at(-1);
      expect(edit?.body).toMatchObject({ allowed_mentions: { parse: [] } });
    });
  });

  describe('/search', () => {
    const titles = (session: { reply?: APIMessage | undefined }) =>
      session.reply?.embeds[0]?.fields?.map((f) => f.name) ?? [];

    it('sorts by publication date with sort: newest and shows each date', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'floods', sort: 'newest' });
      expect(titles(session)).toEqual([
        '1. IOM scales up floods response in Mozambique',
        '2. Floods displace thousands in Mozambique',
        '3. \\@everyone \\<@123> \\*\\*floods\\*\\* \\[click](https://evil.example) now',
      ]);
      expect(session.reply?.embeds[0]?.fields?.[0]?.value).toContain(dayStamp('2026-11-29T10:00:00Z'));
      expect(session.reply?.embeds[0]?.title).toBe('Results for “floods” (newest first)');
    });

    it('keeps what was published since a day', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'floods', since: '2026-11-28' });
      const shown = titles(session).map((t) => t.replace(/^\d+\. /, ''));
      expect(shown.sort()).toEqual([
        'Floods displace thousands in Mozambique',
        'IOM scales up floods response in Mozambique',
      ]);
      expect(session.reply?.embeds[0]?.footer?.text).toBe('Page 1 of 1 · 2 results');
    });

    it('answers a since it cannot read with what it accepts', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'floods', since: 'last week' });
      expect(session.isEphemeral).toBe(true);
      expect(session.reply?.content).toBe(
        '"since" must be a day (YYYY-MM-DD) or a time back such as 24h, 7d or 2w; got "last week".',
      );
    });
  });

  describe('/sources', () => {
    it('lists each source with its health, fetch times, documents and escaped last error, ephemerally', async () => {
      const session = await bot.server.sendSlashCommand('sources');
      expect(session.isEphemeral).toBe(true);
      const embed = session.reply?.embeds[0];
      expect(embed?.title).toBe('Live sources (3)');
      const t = (iso: string) => `<t:${Date.parse(iso) / 1000}:R>`;
      expect(embed?.fields).toEqual([
        {
          name: 'UN News (un-news)',
          value: `🟢 ok · feed · 2 documents\nLast fetch: ${t('2026-11-29T11:00:00Z')} · Next fetch: ${t(NEXT_NEWS)}`,
        },
        {
          name: 'iom (iom)',
          value: [
            '🔴 failing · iom · 1 document',
            `Last fetch: ${t('2026-11-29T10:00:00Z')} · Next fetch: ${t(NEXT_IOM)}`,
            'Last error: HTTP 503 from \\<@123> \\*\\*server\\*\\* \\@everyone',
          ].join('\n'),
        },
        {
          name: 'quiet (quiet)',
          value:
            '⏸️ disabled · feed · 0 documents\nLast fetch: never · Next fetch: —\nLast error: disabled in sources.json',
        },
      ]);
    });
  });
});
