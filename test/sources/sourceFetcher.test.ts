import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLibrary, type Library } from '../../src/core/library.js';
import { canonicalUrl } from '../../src/core/sources/canonicalUrl.js';
import type { DocumentRecord } from '../../src/core/record.js';
import { PDF_ONLY_LINE } from '../../src/sources/connectors/reliefweb.js';
import { PoliteClient, botUserAgent } from '../../src/sources/politeClient.js';
import { SourceFetcher } from '../../src/sources/sourceFetcher.js';
import { parseSourcesFile, type SourceConfig } from '../../src/sources/sourcesFile.js';
import { Store } from '../../src/store/store.js';
import {
  LoopbackWeb,
  endlessRedirects,
  html,
  json,
  largeBody,
  neverAnswers,
  rateLimited,
  robotsTxt,
  status,
  storm,
  xml,
  loopbackOnlyLookup,
  LOOPBACK_WEB_NETWORKS,
} from '../../loopback/web.js';
import { RELIEFWEB_FIELDS_ASKED, webFixture } from './webFixtures.js';

const USER_AGENT = botUserAgent('0.1.0', 'https://example.org/migration-news-bot');
/** The fixed clock: 10 June 2025, noon UTC (the RSS fixture's first item is 4 hours old). */
const NOON = Date.parse('2025-06-10T12:00:00Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const LISTING_PATH = '/search?type=press_release';
const RELEASE_PATH = '/news/director-general-discusses-migration-governance-china';
const ZERO_WIDTH = /[\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/;

let web: LoopbackWeb;
let dataDir: string;
let store: Store;
let library: Library;
let clock: number;
let fetcher: SourceFetcher;

/** A fetcher over the real store, the real polite client and the real library, as main.ts wires them. */
function newFetcher(timeoutMs = 400): SourceFetcher {
  const client = new PoliteClient({
    userAgent: USER_AGENT,
    minGapMs: 1,
    headersTimeoutMs: timeoutMs,
    bodyTimeoutMs: timeoutMs,
    lookup: loopbackOnlyLookup,
    allowNetworks: LOOPBACK_WEB_NETWORKS,
  });
  return new SourceFetcher({ store, client, library, now: () => new Date(clock) });
}

/** A "restart": the store closed and opened again over the same directory, a new fetcher. */
async function restart(): Promise<void> {
  await store.close();
  store = await Store.open(dataDir);
  fetcher = newFetcher();
}

beforeEach(async () => {
  web = await LoopbackWeb.start();
  dataDir = mkdtempSync(path.join(tmpdir(), 'source-fetcher-'));
  store = await Store.open(dataDir);
  library = createLibrary([]);
  clock = NOON;
  fetcher = newFetcher();
});
afterEach(async () => {
  await store.close();
  await web.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Sources as sources.json declares them (defaults applied by the real parser). */
function sources(...raw: Record<string, unknown>[]): SourceConfig[] {
  return [...parseSourcesFile({ sources: raw }, { reliefwebAppname: 'test-app' }).sources];
}
function source(raw: Record<string, unknown>): SourceConfig {
  const [one] = sources(raw);
  if (!one) throw new Error('no source');
  return one;
}
const feedSource = (urlPath: string, extra: Record<string, unknown> = {}) =>
  source({ id: 'news', type: 'feed', url: web.baseUrl + urlPath, fetchArticles: false, ...extra });
const iomSource = (extra: Record<string, unknown> = {}) =>
  source({ id: 'iom', type: 'iom', url: web.baseUrl + LISTING_PATH, ...extra });
const reliefwebSource = (extra: Record<string, unknown> = {}) =>
  source({
    id: 'reliefweb',
    type: 'reliefweb',
    url: `${web.baseUrl}/v2/reports`,
    filter: { 'source.shortname': 'IOM' },
    ...extra,
  });

/** A fixture with its example hosts pointed at the loopback server. */
const local = (name: string) =>
  webFixture(name)
    .replaceAll('https://news.example.org', web.baseUrl)
    .replaceAll('https://www.iom.int', web.baseUrl);

/** A press release page in iom.int's structure. */
function pressRelease(title: string, paragraphs: readonly string[]): string {
  return `<!doctype html><html><head><title>${title} | International Organization for Migration</title></head>
<body><main><h1>${title}</h1><div class="narrow-content"><div class="field--type-text-with-summary">
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
</div></div></main></body></html>`;
}
/** A news article page readability can read (long enough to be an article). */
function articlePage(title: string, paragraphs: readonly string[]): string {
  return `<!doctype html><html><head><title>${title}</title></head><body><nav><a href="/">Home</a></nav>
<article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article><footer>© News</footer></body></html>`;
}
const WORDS = (
  'migrants families border shelter rescue coast asylum camp water food health doctors children ' +
  'volunteers ministry funding returnees transit corridor registration winter tents boats island ' +
  'villages drought floods labour visas smugglers survey census school clinic convoy harbour'
).split(' ');
/** Distinct paragraphs for a topic: each topic draws its own word order (a seeded shuffle). */
function sentences(topic: string, n = 4): string[] {
  let seed = [...topic].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const pick = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return WORDS[seed % WORDS.length] ?? 'news';
  };
  return Array.from(
    { length: n },
    (_, i) => `${i === 0 ? `About ${topic}: ` : ''}${Array.from({ length: 24 }, pick).join(' ')}.`,
  );
}

/** Routes for the IOM listing (3 pages), its five pages and the empty third page. */
function routeIom(): void {
  web.route(LISTING_PATH, html(local('iom-listing-page0.html'), { etag: '"listing-v1"' }));
  web.route(`${LISTING_PATH}&page=1`, html(local('iom-listing-page1.html')));
  web.route(`${LISTING_PATH}&page=2`, html(local('iom-listing-page2.html')));
  web.route(RELEASE_PATH, html(webFixture('iom-press-release.html')));
  web.route(
    '/news/iom-supports-returnees-yemen',
    html(pressRelease('IOM Supports Returnees in Yemen', sentences('returnees in Yemen'))),
  );
  web.route('/project/capacity-building-migration-management-china', html(webFixture('iom-project.html')));
  web.route(
    '/news/border-seminar-langfang',
    html(pressRelease('Border Management Seminar Opens in Langfang', sentences('a seminar in Langfang'))),
  );
  web.route(
    '/news/no-date-release',
    html(pressRelease('A Release Without a Date', sentences('an undated release'))),
  );
}

/** Requests for exactly this path and query. */
const requested = (pathWithQuery: string) => web.requests.filter((r) => r.path === pathWithQuery);
const logEntries = () => store.log.entries(0);
const docs = () => store.webDocuments.records();
const docByTitle = async (title: string): Promise<DocumentRecord> => {
  const all = await docs();
  const found = all.find((d) => d.title === title);
  if (!found) throw new Error(`no document titled ${title}: ${all.map((d) => d.title).join(' | ')}`);
  return found;
};

describe('SourceFetcher', () => {
  describe('fetch (feeds)', () => {
    it('indexes every item of a first fetch, and only the last 24 hours are news', async () => {
      web.route('/feed.xml', xml(local('rss2.xml'), { etag: '"v1"' }));
      const report = await fetcher.fetch(feedSource('/feed.xml'));
      expect(report).toMatchObject({ id: 'news', status: 'ok', new: 4, updated: 0, error: null });
      const news = Object.fromEntries(
        await Promise.all(
          (await logEntries()).map(async (e): Promise<[string, boolean]> => [
            (await store.webDocuments.get(e.docId))?.record.title ?? '?',
            e.news,
          ]),
        ),
      );
      expect(news).toEqual({
        'Boats reach Lampedusa as arrivals rise': true, // 4 hours old
        'An item from the future': true, // counts as now
        'An item without a date': false, // undated on a first fetch: nothing says it is recent
        '@everyone <@123456789012345678> **FREE** [click](http://evil.example) president': false,
      });
      expect((await logEntries()).every((e) => e.event === 'new')).toBe(true);
      // The library follows: a fetched document is searchable at once.
      const id = (await docByTitle('Boats reach Lampedusa as arrivals rise')).id;
      // The link keeps the scheme the feed used (an http-only site must still open); keys are canonical.
      expect(library.getDocument(id).url).toBe(`http://127.0.0.1:${web.port}/story/boats-lampedusa`);
      expect(library.getDocument(id).urls).toContain(`https://127.0.0.1:${web.port}/story/boats-lampedusa`);
      expect(await store.sourceStates.get('news')).toMatchObject({
        etag: '"v1"',
        lastStatus: 'ok',
        failures: 0,
      });
    });

    it('sends the validators back and logs nothing when the second fetch is answered 304', async () => {
      web.route(
        '/feed.xml',
        xml(local('rss2.xml'), { etag: '"v1"', lastModified: 'Tue, 10 Jun 2025 09:00:00 GMT' }),
      );
      const feed = feedSource('/feed.xml');
      await fetcher.fetch(feed);
      const logged = (await logEntries()).length;
      clock += 30 * MINUTE;
      const second = await fetcher.fetch(feed);
      expect(second).toMatchObject({ status: 'not-modified', new: 0, updated: 0, error: null });
      expect(await logEntries()).toHaveLength(logged);
      const [, again] = web.requestsTo('/feed.xml');
      expect(again?.headers['if-none-match']).toBe('"v1"');
      expect(again?.headers['if-modified-since']).toBe('Tue, 10 Jun 2025 09:00:00 GMT');
      expect(again?.status).toBe(304);
      expect(await store.sourceStates.get('news')).toMatchObject({
        lastStatus: 'not-modified',
        nextFetchAt: new Date(clock + 30 * MINUTE).toISOString(),
      });
    });

    it('logs a new item as news, an edited item as updated (never new twice), and an unchanged one not at all', async () => {
      const feed = feedSource('/feed.xml');
      const rss = (items: string) =>
        `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${items}</channel></rss>`;
      const item = (guid: string, title: string, body: string, date: string) =>
        `<item><guid isPermaLink="false">${guid}</guid><title>${title}</title><link>${web.baseUrl}/s/${guid}</link><pubDate>${date}</pubDate><description>${body}</description></item>`;
      const first = item('a', 'Arrivals in Malta', 'Boats reached Malta.', 'Tue, 10 Jun 2025 06:00:00 GMT');
      web.route('/feed.xml', xml(rss(first), { etag: '"1"' }));
      await fetcher.fetch(feed);

      clock += 2 * 60 * MINUTE;
      const fresh = item('b', 'Camp opens in Chad', 'A new camp opened.', 'Tue, 10 Jun 2025 13:30:00 GMT');
      web.route('/feed.xml', xml(rss(fresh + first), { etag: '"2"' }));
      expect(await fetcher.fetch(feed)).toMatchObject({ status: 'ok', new: 1, updated: 0 });

      clock += 2 * 60 * MINUTE;
      const edited = item(
        'a',
        'Arrivals in Malta',
        'Boats reached Malta; 40 people were rescued.',
        'Tue, 10 Jun 2025 06:00:00 GMT',
      );
      web.route('/feed.xml', xml(rss(fresh + edited), { etag: '"3"' }));
      expect(await fetcher.fetch(feed)).toMatchObject({ status: 'ok', new: 0, updated: 1 });

      const entries = await Promise.all(
        (await logEntries()).map(async (e) => ({
          title: (await store.webDocuments.get(e.docId))?.record.title,
          event: e.event,
          news: e.news,
        })),
      );
      expect(entries).toEqual([
        { title: 'Arrivals in Malta', event: 'new', news: true },
        { title: 'Camp opens in Chad', event: 'new', news: true },
        { title: 'Arrivals in Malta', event: 'updated', news: false },
      ]);
      expect((await docByTitle('Arrivals in Malta')).paragraphs.join(' ')).toContain(
        '40 people were rescued',
      );
      expect(library.getDocument((await docByTitle('Arrivals in Malta')).id).paragraphs.join(' ')).toContain(
        '40 people',
      );
    });

    it('keeps one document with both URLs when an item moves to another URL under the same guid', async () => {
      const feed = feedSource('/feed.xml');
      const rss = (link: string) =>
        `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid isPermaLink="false">g-7</guid><title>Moved story</title><link>${web.baseUrl}${link}</link><pubDate>Tue, 10 Jun 2025 06:00:00 GMT</pubDate><description>Same text.</description></item></channel></rss>`;
      web.route('/feed.xml', xml(rss('/old/moved-story')));
      await fetcher.fetch(feed);
      web.route('/feed.xml', xml(rss('/new/moved-story')));
      const report = await fetcher.fetch(feed);
      expect(report.new).toBe(0);
      expect(await docs()).toHaveLength(1);
      const base = `https://127.0.0.1:${web.port}`;
      expect((await docs())[0]?.urls).toEqual([`${base}/old/moved-story`, `${base}/new/moved-story`]);
      expect((await logEntries()).filter((e) => e.event === 'new')).toHaveLength(1);
    });

    it('reads one story linked with tracking parameters, over http and https, with a trailing slash, as one document', async () => {
      const story = articlePage('Shelter opens in Calais', sentences('a shelter in Calais', 5));
      web.route('/story/calais', html(story));
      web.route('/story/calais/', html(story));
      const rss = (link: string, guid: string) =>
        `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid isPermaLink="false">${guid}</guid><title>Shelter opens in Calais</title><link>${link}</link><pubDate>Tue, 10 Jun 2025 06:00:00 GMT</pubDate></item></channel></rss>`;
      web.route('/a.xml', xml(rss(`${web.baseUrl}/story/calais?utm_source=rss&utm_medium=feed`, 'a-1')));
      web.route('/b.xml', xml(rss(`${web.baseUrl}/story/calais/?fbclid=xyz`, 'b-1')));
      const [a, b] = sources(
        { id: 'feed-a', type: 'feed', url: `${web.baseUrl}/a.xml`, fetchArticles: false },
        { id: 'feed-b', type: 'feed', url: `${web.baseUrl}/b.xml`, fetchArticles: false },
      );
      if (!a || !b) throw new Error('sources');
      expect(await fetcher.fetch(a)).toMatchObject({ new: 1 });
      expect(await fetcher.fetch(b)).toMatchObject({ new: 0, unchanged: 1 });
      expect(await docs()).toHaveLength(1);
      expect((await docs())[0]?.urls).toEqual([`https://127.0.0.1:${web.port}/story/calais`]);
    });

    it('extracts each item page with readability when fetchArticles is on', async () => {
      web.route('/feed.xml', xml(local('rss2.xml')));
      web.route(
        '/story/boats-lampedusa',
        html(articlePage('Boats reach Lampedusa as arrivals rise', sentences('Lampedusa', 5))),
      );
      const report = await fetcher.fetch(feedSource('/feed.xml', { fetchArticles: true }));
      expect(report.status).toBe('ok');
      expect((await docByTitle('Boats reach Lampedusa as arrivals rise')).paragraphs.join(' ')).toContain(
        'About Lampedusa',
      );
      // Pages that do not exist keep the feed's text and say why, without failing the source.
      expect(report.problems).toEqual(
        ['/story/hostile', '/story/undated/', '/story/future'].map(
          (p) => `${web.baseUrl}${p}: HTTP 404; kept the feed's summary`,
        ),
      );
      expect(web.requestsTo('/story/boats-lampedusa')[0]?.headers['user-agent']).toBe(USER_AGENT);
    });
  });

  describe('fetch (validators and page retries)', () => {
    /** A feed of one item linking to `pagePath`, with an ETag, as a well-kept server sends it. */
    const oneItemFeed = (pagePath: string) =>
      xml(
        `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid isPermaLink="false">s-1</guid><title>Shelter opens in Calais</title><link>${web.baseUrl}${pagePath}</link><pubDate>Tue, 10 Jun 2025 09:00:00 GMT</pubDate><description>A shelter opened in Calais.</description></item></channel></rss>`,
        { etag: '"feed-1"' },
      );
    const feedRequests = () =>
      web.requestsTo('/feed.xml').map((r) => [r.headers['if-none-match'] ?? null, r.status]);

    it('keeps the validators when robots.txt refuses the page: the next fetch is a 304 and the page is never asked', async () => {
      web.route('/robots.txt', robotsTxt('User-agent: *\nDisallow: /private\n'));
      web.route('/feed.xml', oneItemFeed('/private/calais'));
      web.route('/private/calais', html(articlePage('Shelter opens in Calais', sentences('Calais', 5))));
      const feed = feedSource('/feed.xml', { fetchArticles: true });
      const first = await fetcher.fetch(feed);
      expect(first).toMatchObject({ status: 'ok', new: 1 });
      expect(first.problems).toEqual([
        expect.stringMatching(/private\/calais: disallowed by .*robots\.txt; kept the feed's summary$/),
      ]);
      expect(await store.sourceStates.get('news')).toMatchObject({ etag: '"feed-1"', pageRetries: [] });
      expect((await docByTitle('Shelter opens in Calais')).paragraphs).toEqual([
        'A shelter opened in Calais.',
      ]);

      clock += 30 * MINUTE;
      expect(await fetcher.fetch(feed)).toMatchObject({ status: 'not-modified', new: 0, updated: 0 });
      expect(feedRequests()).toEqual([
        [null, 200],
        ['"feed-1"', 304],
      ]);
      expect(web.requestsTo('/private/calais')).toEqual([]);
    });

    it('remembers a page that failed, keeps the validators, and reads the page at the next fetch though the feed answers 304', async () => {
      web.route('/feed.xml', oneItemFeed('/story/calais'));
      web.route(
        '/story/calais',
        storm(1, html(articlePage('Shelter opens in Calais', sentences('Calais', 5)))),
      );
      const feed = feedSource('/feed.xml', { fetchArticles: true });
      const first = await fetcher.fetch(feed);
      expect(first).toMatchObject({ status: 'ok', new: 1 });
      expect(first.problems).toEqual([`${web.baseUrl}/story/calais: HTTP 500; kept the feed's summary`]);
      const state = await store.sourceStates.get('news');
      expect(state.etag).toBe('"feed-1"');
      expect(state.pageRetries).toEqual([
        expect.objectContaining({
          url: `${web.baseUrl}/story/calais`,
          attempts: 1,
          lastError: `${web.baseUrl}/story/calais: HTTP 500`,
          nextRetryAt: new Date(clock + 5 * MINUTE).toISOString(),
        }),
      ]);

      // Not before its time, even across a restart.
      await restart();
      clock += 2 * MINUTE;
      expect(await fetcher.fetch(feed)).toMatchObject({ status: 'not-modified', updated: 0 });
      expect(web.requestsTo('/story/calais')).toHaveLength(1);

      clock += 30 * MINUTE;
      const third = await fetcher.fetch(feed);
      expect(third).toMatchObject({ status: 'not-modified', new: 0, updated: 1, problems: [] });
      expect(feedRequests()).toEqual([
        [null, 200],
        ['"feed-1"', 304],
        ['"feed-1"', 304],
      ]);
      expect(web.requestsTo('/story/calais').map((r) => r.status)).toEqual([500, 200]);
      expect((await docByTitle('Shelter opens in Calais')).paragraphs.join(' ')).toContain('About Calais');
      expect(await store.sourceStates.get('news')).toMatchObject({ etag: '"feed-1"', pageRetries: [] });
      // The page's text is an edit of the stored item, never news twice.
      expect((await logEntries()).map((e) => [e.event, e.news])).toEqual([
        ['new', true],
        ['updated', false],
      ]);
    });

    it('gives a page up after five failures and keeps the feed text', async () => {
      web.route('/feed.xml', oneItemFeed('/story/calais'));
      web.route('/story/calais', storm(99));
      const feed = feedSource('/feed.xml', { fetchArticles: true });
      const reports = [];
      for (let i = 0; i < 5; i++) {
        reports.push(await fetcher.fetch(feed));
        clock += DAY;
      }
      expect(web.requestsTo('/story/calais')).toHaveLength(5);
      expect(reports.at(-1)?.problems.at(-1)).toBe(
        `${web.baseUrl}/story/calais: gave up after 5 attempts; kept the feed's summary`,
      );
      expect(await store.sourceStates.get('news')).toMatchObject({ etag: '"feed-1"', pageRetries: [] });
      expect(await fetcher.fetch(feed)).toMatchObject({ status: 'not-modified', problems: [] });
      expect(web.requestsTo('/story/calais')).toHaveLength(5);
    });
  });

  describe('fetch (hostile input)', () => {
    it('stores no script, style or iframe content and no zero-width characters', async () => {
      web.route('/feed.xml', xml(local('rss2.xml')));
      routeIom();
      await fetcher.fetch(feedSource('/feed.xml'));
      await fetcher.fetch(iomSource());
      const hostile = (await docs()).find((d) => d.title.startsWith('@everyone'));
      expect(hostile?.title).toBe(
        '@everyone <@123456789012345678> **FREE** [click](http://evil.example) president',
      );
      for (const record of await docs()) {
        const text = [record.title, ...record.paragraphs, JSON.stringify(record.contacts)].join('\n');
        expect(text).not.toMatch(ZERO_WIDTH);
        expect(text).not.toMatch(
          /steal\(|alert\(|p\{\}|SCRIPT-IN|STYLE|NOSCRIPT-TEXT|IFRAME-TEXT|TEMPLATE-TEXT|color: red/,
        );
      }
      expect(hostile?.paragraphs.join(' ')).toContain('Hostile body with zerowidth and bidi txet');
    });
  });

  describe('fetch (failures)', () => {
    it('fails a source whose feed is malformed XML with a clear error and keeps what was stored', async () => {
      web.route('/feed.xml', xml(local('rss2.xml')));
      const feed = feedSource('/feed.xml');
      await fetcher.fetch(feed);
      const before = { docs: await docs(), log: await logEntries() };
      web.route('/feed.xml', xml(webFixture('malformed.xml')));
      const report = await fetcher.fetch(feed);
      expect(report.status).toBe('failed');
      expect(report.error).toMatch(
        /^news: http:\/\/127\.0\.0\.1:\d+\/feed\.xml: not a readable RSS, Atom, RDF or JSON feed/,
      );
      expect(await docs()).toEqual(before.docs);
      expect(await logEntries()).toEqual(before.log);
      expect(await store.sourceStates.get('news')).toMatchObject({ failures: 1, lastStatus: 'failed' });
    });

    it.each([
      ['a 20 MB body', () => largeBody(20 * 1024 * 1024, { contentLength: true }), /10485760|cap|too large/i],
      ['a redirect loop', () => endlessRedirects(), /more than 5 redirects/],
      ['a server that never answers', () => neverAnswers(), /no response within 400 ms/],
    ])('fails on %s, clearly and quickly', async (_name, route, message) => {
      web.route('/feed.xml', route());
      const started = performance.now();
      const report = await fetcher.fetch(feedSource('/feed.xml'));
      expect(report.status).toBe('failed');
      expect(report.error).toMatch(message);
      expect(performance.now() - started).toBeLessThan(5000);
      expect(await docs()).toEqual([]);
    });

    it('refuses a 20 MB body without reading it', async () => {
      web.route('/feed.xml', largeBody(20 * 1024 * 1024, { contentLength: false }));
      const report = await fetcher.fetch(feedSource('/feed.xml'));
      expect(report.status).toBe('failed');
      const [request] = web.requestsTo('/feed.xml');
      expect(request?.bytesSent ?? 0).toBeLessThan(15 * 1024 * 1024);
    });

    it('does not fetch a path robots.txt disallows', async () => {
      web.route('/robots.txt', robotsTxt('User-agent: *\nDisallow: /private\n'));
      web.route('/private/feed.xml', xml(local('rss2.xml')));
      const report = await fetcher.fetch(feedSource('/private/feed.xml'));
      expect(report.status).toBe('failed');
      expect(report.error).toMatch(/disallowed by .*robots\.txt/);
      expect(web.requestsTo('/private/feed.xml')).toEqual([]);
    });

    it('fails fast and clearly for an unknown host', async () => {
      const started = performance.now();
      const report = await fetcher.fetch(
        source({ id: 'gone', type: 'feed', url: 'http://nonexistent.invalid/feed.xml' }),
      );
      expect(report.status).toBe('failed');
      expect(report.error).toMatch(/nonexistent\.invalid.*(unknown host|DNS)/);
      expect(performance.now() - started).toBeLessThan(5000);
    });

    it('honours Retry-After on 429: the source is not due again before it', async () => {
      web.route('/feed.xml', rateLimited('3600'));
      const feed = feedSource('/feed.xml');
      const report = await fetcher.fetch(feed);
      expect(report).toMatchObject({ status: 'failed' });
      expect(report.error).toMatch(/429/);
      const state = await store.sourceStates.get('news');
      expect(state.nextFetchAt).toBe(new Date(NOON + 3600_000).toISOString());
      expect(await fetcher.due([feed], new Date(NOON + 59 * MINUTE))).toEqual([]);
      expect(await fetcher.due([feed], new Date(NOON + 60 * MINUTE))).toEqual([feed]);
    });

    it('backs off longer after each 500 and disables the source with its reason after 3 days of failures', async () => {
      web.route('/feed.xml', storm(1000));
      const feed = feedSource('/feed.xml');
      const waits: number[] = [];
      let report = await fetcher.fetch(feed);
      for (let i = 0; i < 40 && report.status === 'failed'; i++) {
        const state = await store.sourceStates.get('news');
        const next = Date.parse(state.nextFetchAt ?? '');
        waits.push(next - clock);
        expect(await fetcher.due([feed], new Date(next - 1))).toEqual([]);
        clock = next;
        expect(await fetcher.due([feed], new Date(clock))).toEqual([feed]);
        report = await fetcher.fetch(feed);
      }
      expect(report.status).toBe('disabled');
      expect(waits.slice(0, 4)).toEqual([5, 10, 20, 40].map((m) => m * MINUTE));
      for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1] ?? 0);
      expect(Math.max(...waits)).toBe(DAY);
      const state = await store.sourceStates.get('news');
      expect(clock - NOON).toBeGreaterThanOrEqual(3 * DAY);
      expect(state.failures).toBeGreaterThanOrEqual(10);
      expect(state.disabledReason).toMatch(/HTTP 500/);
      // Disabled: no more requests, and not due.
      const requests = web.requestsTo('/feed.xml').length;
      clock += 2 * DAY;
      expect(await fetcher.fetch(feed)).toMatchObject({ status: 'disabled', error: state.disabledReason });
      expect(web.requestsTo('/feed.xml')).toHaveLength(requests);
      expect(await fetcher.due([feed], new Date(clock))).toEqual([]);
    });
  });

  describe('fetch (iom)', () => {
    it('pages through the listing on a first fetch and stops at known cards on the next', async () => {
      routeIom();
      const iom = iomSource();
      const first = await fetcher.fetch(iom);
      expect(first).toMatchObject({ status: 'ok', new: 5, rejected: 0, problems: [] });
      expect(requested(`${LISTING_PATH}&page=2`)).toHaveLength(1);
      const release = await docByTitle('Director General Discusses Migration Governance in China');
      expect(release).toMatchObject({ kind: 'article', country: 'China', sourceId: 'iom' });
      expect(release.contacts.map((c) => c.name)).toContain('Pär Liljert');
      expect((await docByTitle('Capacity Building for Migration Management in China')).kind).toBe('project');
      expect((await logEntries()).every((e) => !e.news)).toBe(true); // 2013-2014: too old to be news

      // A new release on top of page 0.
      clock += DAY;
      const newCard = `<div class="views-row"><a href="/news/fresh-release">x</a><div class="article-detail"><div class="tag">Press Release</div><h5 class="title">A Fresh Release</h5><div class="date">11 June 2025</div></div></div>`;
      web.route(
        LISTING_PATH,
        html(
          local('iom-listing-page0.html').replace(
            '<div class="views-row">',
            `${newCard}<div class="views-row">`,
          ),
          {
            etag: '"listing-v2"',
          },
        ),
      );
      web.route('/news/fresh-release', html(pressRelease('A Fresh Release', sentences('a fresh release'))));
      const pagesBefore = web.requests.length;
      const second = await fetcher.fetch(iom);
      expect(second).toMatchObject({ status: 'ok', new: 1 });
      const paths = web.requests.slice(pagesBefore).map((r) => r.path);
      // Page 1 holds only known cards: paging stops there, page 2 is not asked for again.
      expect(paths).toEqual([LISTING_PATH, `${LISTING_PATH}&page=1`, '/news/fresh-release']);
      expect((await logEntries()).at(-1)).toMatchObject({ event: 'new', news: true });
    });

    it('loses and duplicates nothing when a page fails mid-fetch and the bot restarts', async () => {
      routeIom();
      web.route('/project/capacity-building-migration-management-china', neverAnswers());
      const iom = iomSource();
      const first = await fetcher.fetch(iom);
      expect(first).toMatchObject({ status: 'ok', new: 4 });
      expect(first.problems).toEqual([
        `${web.baseUrl}/project/capacity-building-migration-management-china: no response within 400 ms`,
      ]);

      // The page that failed is retried next time: no validators kept, so no 304 hides it.
      expect((await store.sourceStates.get('iom')).etag).toBeNull();

      await restart();
      web.route(
        '/project/capacity-building-migration-management-china',
        html(webFixture('iom-project.html')),
      );
      clock += 30 * MINUTE;
      const second = await fetcher.fetch(iom);
      expect(second).toMatchObject({ status: 'ok', new: 1 });
      expect(await docs()).toHaveLength(5);
      const newEntries = (await logEntries()).filter((e) => e.event === 'new');
      expect(newEntries).toHaveLength(5);
      expect(new Set(newEntries.map((e) => e.docId)).size).toBe(5);
    });
  });

  describe('fetch (reliefweb)', () => {
    it('POSTs the v2 query, keeps a PDF-only report, and merges the copy of an IOM release', async () => {
      routeIom();
      web.route('/v2/reports?appname=test-app', json(JSON.parse(webFixture('reliefweb-page1.json'))));
      await fetcher.fetch(iomSource());
      const report = await fetcher.fetch(reliefwebSource());
      expect(report).toMatchObject({ status: 'ok', new: 1, unchanged: 1 });
      const [post] = requested('/v2/reports?appname=test-app');
      expect(post?.method).toBe('POST');
      expect(post?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(post?.body ?? '')).toEqual({
        filter: { operator: 'AND', conditions: [{ field: 'source.shortname', value: 'IOM' }] },
        fields: { include: RELIEFWEB_FIELDS_ASKED },
        sort: ['date.original:desc'],
        limit: 20,
        offset: 0,
      });
      const release = await docByTitle('Director General Discusses Migration Governance in China');
      expect(release.urls).toEqual([
        `https://127.0.0.1:${web.port}${RELEASE_PATH}`,
        'https://reliefweb.int/report/china/director-general-discusses-migration-governance-china',
      ]);
      const pdf = await docByTitle('Yemen: Displacement Tracking Matrix, Round 12 (PDF)');
      expect(pdf.paragraphs).toEqual([PDF_ONLY_LINE]);
      expect(pdf.country).toBe('Yemen');
    });

    it('says plainly that a 403 means the appname is not approved', async () => {
      web.route('/v2/reports?appname=test-app', status(403, '{"error":{"message":"Forbidden"}}'));
      const report = await fetcher.fetch(reliefwebSource());
      expect(report.status).toBe('failed');
      expect(report.error).toBe(
        'reliefweb: ReliefWeb refused appname "test-app": since 1 November 2025 an appname must be pre-approved, see https://apidoc.reliefweb.int/parameters#appname',
      );
    });
  });

  describe('merging (measured on the fixtures)', () => {
    it('keeps every distinct alert of two real GDACS feeds apart, however alike their template makes them', async () => {
      // Two real feeds (test/fixtures/web/gdacs/README.md): every orange alert 2012-2016, and India's.
      web.route('/gdacs/orange.xml', xml(webFixture('gdacs/orange-alerts-2012-2016.xml')));
      web.route('/gdacs/india.xml', xml(webFixture('gdacs/india-orange-alerts-2012-2016.xml')));
      const feeds = sources(
        { id: 'gdacs-orange', type: 'feed', url: `${web.baseUrl}/gdacs/orange.xml`, maxItems: 200 },
        { id: 'gdacs-india', type: 'feed', url: `${web.baseUrl}/gdacs/india.xml`, maxItems: 200 },
      ).map((one) => ({ ...one, fetchArticles: false }));
      // Ingesting 123 items keeps a loaded machine busy: 400 ms is too short a wait here.
      fetcher = newFetcher(5000);
      for (const one of feeds) expect(await fetcher.fetch(one)).toMatchObject({ status: 'ok', error: null });

      // The truth: GDACS's own link names the event (its guid says the same: EQ1077755, TC41483 ...).
      const all = await docs();
      const events = new Set(all.flatMap((d) => d.urls ?? []));
      const mixed = all
        .filter((d) => new Set(d.urls).size > 1)
        .map((d) => `${d.title}: ${d.urls?.join(' ')}`);
      console.log(
        `GDACS: ${events.size} events by link, ${all.length} documents, ${mixed.length} merged across events`,
      );
      expect(mixed).toEqual([]);
      expect(all).toHaveLength(109);
      for (const name of ['PHAILIN', 'MAHASEN', 'LEHAR']) {
        const hits = library.matchIds(name);
        expect(hits.map((id) => library.getDocument(id).title).join(' | ')).toContain(`${name}-13`);
      }
    });

    it('makes one document per story across every source: no false merges, no missed merges', async () => {
      routeIom();
      web.route('/v2/reports?appname=test-app', json(JSON.parse(webFixture('reliefweb-page1.json'))));
      web.route('/rss.xml', xml(local('rss2.xml')));
      web.route('/atom.xml', xml(webFixture('atom.xml')));
      web.route('/feed.json', json(JSON.parse(webFixture('jsonfeed.json'))));
      web.route('/rdf.xml', xml(webFixture('rdf.xml')));
      const yemen = sentences('returnees in Yemen');
      const trap = [...yemen.slice(0, 1), ...sentences('a convoy to Aden', 3)];
      const copyItem = (guid: string, title: string, link: string, paragraphs: readonly string[]) =>
        `<item><guid isPermaLink="false">${guid}</guid><title>${title}</title><link>${link}</link><pubDate>Tue, 10 Jun 2025 09:00:00 GMT</pubDate><content:encoded><![CDATA[${paragraphs.map((p) => `<p>${p}</p>`).join('')}]]></content:encoded></item>`;
      // Copies live on another site (another publisher); localhost reaches the same server.
      const elsewhere = `http://localhost:${web.port}`;
      const copies = `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Copies</title>
${copyItem('b-1', 'Boats reach Lampedusa', `${web.baseUrl}/story/boats-lampedusa/?utm_campaign=x`, ['Arrivals rose.'])}
${copyItem('b-2', 'Yemen: IOM helps returnees', `${elsewhere}/copies/yemen-returnees`, [...yemen, 'Read more on iom.int.'])}
${copyItem('b-3', 'Convoy reaches Aden', `${elsewhere}/copies/aden-convoy`, trap)}
</channel></rss>`;
      web.route('/copies.xml', xml(copies));
      const all = sources(
        { id: 'iom', type: 'iom', url: web.baseUrl + LISTING_PATH },
        { id: 'reliefweb', type: 'reliefweb', url: `${web.baseUrl}/v2/reports` },
        { id: 'rss', type: 'feed', url: `${web.baseUrl}/rss.xml`, fetchArticles: false },
        { id: 'atom', type: 'feed', url: `${web.baseUrl}/atom.xml`, fetchArticles: false },
        { id: 'json', type: 'feed', url: `${web.baseUrl}/feed.json`, fetchArticles: false },
        { id: 'rdf', type: 'feed', url: `${web.baseUrl}/rdf.xml`, fetchArticles: false },
        { id: 'copies', type: 'feed', url: `${web.baseUrl}/copies.xml`, fetchArticles: false },
      );
      for (const one of all) expect((await fetcher.fetch(one)).status).toBe('ok');

      // The truth: which story each address is (every item's link, canonical).
      const at = (p: string) => `${web.baseUrl}${p}`;
      const story: Record<string, string> = {
        [at(RELEASE_PATH)]: 'dg-china',
        'https://reliefweb.int/report/china/director-general-discusses-migration-governance-china':
          'dg-china',
        [at('/news/iom-supports-returnees-yemen')]: 'yemen',
        [`${elsewhere}/copies/yemen-returnees`]: 'yemen',
        [`${elsewhere}/copies/aden-convoy`]: 'aden',
        [at('/project/capacity-building-migration-management-china')]: 'project',
        [at('/news/border-seminar-langfang')]: 'langfang',
        [at('/news/no-date-release')]: 'undated-release',
        'https://reliefweb.int/report/yemen/dtm-round-12': 'dtm',
        [at('/story/boats-lampedusa')]: 'lampedusa',
        [at('/story/hostile')]: 'hostile',
        [at('/story/undated')]: 'undated-story',
        [at('/story/future')]: 'future',
        'https://atom.example.org/en/post/1': 'atom-1',
        'https://atom.example.org/en/post/2': 'atom-2',
        'https://json.example.org/a': 'json-a',
        'https://json.example.org/b': 'json-b',
        'https://rdf.example.org/item/1': 'rdf-1',
      };
      const truth = new Map(Object.entries(story).map(([url, label]) => [canonicalUrl(url), label]));
      const stories = new Set(truth.values());
      const labelsPerDocument = (await docs()).map(
        (d) => new Set((d.urls ?? []).map((u) => truth.get(u) ?? `unexpected ${u}`)),
      );
      const falseMerges = labelsPerDocument.reduce((n, labels) => n + labels.size - 1, 0);
      const missedMerges = [...stories].reduce(
        (n, label) => n + Math.max(0, labelsPerDocument.filter((l) => l.has(label)).length - 1),
        0,
      );
      console.log(
        `merge measurement: ${truth.size} addresses, ${stories.size} stories, ${(await docs()).length} documents; ` +
          `false merges ${falseMerges}, missed merges ${missedMerges}`,
      );
      expect(labelsPerDocument.flatMap((l) => [...l]).filter((l) => l.startsWith('unexpected'))).toEqual([]);
      expect({ documents: (await docs()).length, falseMerges, missedMerges }).toEqual({
        documents: stories.size,
        falseMerges: 0,
        missedMerges: 0,
      });
    });
  });
});
