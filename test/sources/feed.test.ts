import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeedItems, readArticlePage } from '../../src/sources/connectors/feed.js';
import { PoliteClient } from '../../src/sources/politeClient.js';
import {
  LoopbackWeb,
  LOOPBACK_WEB_NETWORKS,
  endlessRedirects,
  largeBody,
  loopbackOnlyLookup,
  neverAnswers,
  rateLimited,
  robotsTxt,
  status,
  type WebRoute,
} from '../../loopback/web.js';
import {
  parseReliefWebAnswer,
  PDF_ONLY_LINE,
  reliefwebFailure,
  reliefwebRequest,
} from '../../src/sources/connectors/reliefweb.js';
import { extractArticle } from '../../src/sources/connectors/articlePage.js';
import { itemToRecord } from '../../src/core/sources/itemRecord.js';
import { WebError } from '../../src/sources/webClient.js';
import { RELIEFWEB_FIELDS_ASKED, webFixture } from './webFixtures.js';

const read = (name: string, url: string) => {
  const r = parseFeedItems(webFixture(name), 'test', url);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('feed connector', () => {
  describe('parseFeedItems', () => {
    it('reads RSS 2.0: guid, absolute link, dates, content over summary, no script text', () => {
      const items = read('rss2.xml', 'https://news.example.org/feed.xml');
      expect(items).toHaveLength(4);
      expect(items[0]).toMatchObject({
        guid: 'news-1001',
        url: 'https://news.example.org/story/boats-lampedusa?utm_source=rss&utm_medium=feed',
        title: 'Boats reach Lampedusa as arrivals rise',
        publishedAt: '2025-06-10T08:00:00.000Z',
        summary: 'Some 300 migrants reached Lampedusa on Tuesday.',
        text: 'Italy – Some 300 migrants reached the island of Lampedusa on Tuesday.\nVolunteers handed out water.',
      });
      expect(items[2]?.publishedAt).toBeNull();
      expect(items[3]?.publishedAt).toBe('2100-01-01T00:00:00.000Z');
    });

    it('keeps hostile titles inert text: no zero-width or bidi characters, no script, markdown left as written', () => {
      const hostile = read('rss2.xml', 'https://news.example.org/feed.xml')[1];
      expect(hostile?.url).toBe('https://news.example.org/story/hostile');
      expect(hostile?.title).toBe(
        '@everyone <@123456789012345678> **FREE** [click](http://evil.example) president',
      );
      expect(hostile?.text).toBe('Hostile body with zerowidth and bidi txet');
    });

    it('reads Atom (alternate link, published, html title), RDF and JSON Feed', () => {
      const atom = read('atom.xml', 'https://atom.example.org/feed');
      expect(atom[0]).toMatchObject({
        guid: 'urn:uuid:entry-1',
        url: 'https://atom.example.org/en/post/1',
        title: 'Rescue off Libya',
        publishedAt: '2025-06-11T05:30:00.000Z',
      });
      expect(atom[1]?.publishedAt).toBe('2025-06-10T12:00:00.000Z');
      expect(read('rdf.xml', 'https://rdf.example.org/')[0]).toMatchObject({
        url: 'https://rdf.example.org/item/1',
        publishedAt: '2025-05-01T12:00:00.000Z',
        text: 'First RDF item.',
      });
      const json = read('jsonfeed.json', 'https://json.example.org/feed.json');
      expect(json.map((i) => i.url)).toEqual(['https://json.example.org/a', 'https://json.example.org/b']);
      expect(json[0]?.text).toBe('Greece - First line.\nSecond <b>line</b>.');
      const record = itemToRecord({ ...json[0]!, sourceId: 'json-test' });
      expect(record.ok && record.value.country).toBe('Greece');
    });

    it('reads the declared language: the item’s dc:language, else the channel’s <language>; Atom xml:lang; JSON Feed language', () => {
      const rss = `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
        <title>T</title><link>https://x.org/</link><description>d</description><language>fr-FR</language>
        <item><title>a</title><link>https://x.org/a</link></item>
        <item><title>b</title><link>https://x.org/b</link><dc:language>es</dc:language></item>
        </channel></rss>`;
      const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar"><title>T</title><id>x</id>
        <updated>2026-01-01T00:00:00Z</updated>
        <entry><title>a</title><id>1</id><updated>2026-01-01T00:00:00Z</updated><link href="https://x.org/1"/></entry>
        <entry xml:lang="fa-AF"><title>b</title><id>2</id><updated>2026-01-01T00:00:00Z</updated><link href="https://x.org/2"/></entry>
        </feed>`;
      const json = JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'T',
        language: 'ps',
        items: [{ id: '1', url: 'https://x.org/1', title: 'a', content_text: 'x' }],
      });
      const languages = (text: string) => {
        const parsed = parseFeedItems(text, 's', 'https://x.org/feed');
        return parsed.ok ? parsed.value.map((i) => i.language) : parsed.error;
      };
      expect(languages(rss)).toEqual(['fr-FR', 'es']);
      expect(languages(atom)).toEqual(['ar', 'fa-AF']);
      expect(languages(json)).toEqual(['ps']);
    });

    it('reports malformed XML and non-feeds as a clear error, never a crash', () => {
      const bad = parseFeedItems(webFixture('malformed.xml'), 'test', 'https://x.org/');
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error).toMatch(/^not a readable RSS, Atom, RDF or JSON feed/);
      expect(parseFeedItems('<html><body>hi</body></html>', 'test', 'https://x.org/').ok).toBe(false);
    });

    it('stops at maxItems', () => {
      expect(parseFeedItems(webFixture('rss2.xml'), 't', 'https://x.org/', 2)).toMatchObject({
        ok: true,
        value: { length: 2 },
      });
    });
  });
});

describe('readArticlePage', () => {
  let web: LoopbackWeb;
  beforeAll(async () => {
    web = await LoopbackWeb.start();
    web.route('/robots.txt', robotsTxt('User-agent: *\nDisallow: /private\n'));
  });
  afterAll(() => web.close());

  // Retried later: what may heal. Settled (the item keeps the feed's text for good): what will not.
  it.each<[string, WebRoute | null, boolean]>([
    ['refused by robots.txt', null, false],
    ['HTTP 404', status(404), false],
    ['HTTP 410', status(410), false],
    ['a body over the cap', largeBody(64 * 1024), false],
    ['a redirect loop', endlessRedirects(), false],
    ['HTTP 500', status(500), true],
    ['HTTP 408', status(408), true],
    ['HTTP 429', rateLimited('120'), true],
    ['a server that never answers', neverAnswers(), true],
  ])('%s: retried later = %s', async (name, route, retried) => {
    const path = route === null ? '/private/page' : `/page/${encodeURIComponent(name)}`;
    if (route !== null) web.route(path, route);
    const client = new PoliteClient({
      userAgent: 'test-bot/1.0',
      minGapMs: 1,
      headersTimeoutMs: 300,
      bodyTimeoutMs: 300,
      maxBytes: 16 * 1024,
      lookup: loopbackOnlyLookup,
      allowNetworks: LOOPBACK_WEB_NETWORKS,
    });
    const item = {
      sourceId: 'news',
      guid: null,
      url: `${web.baseUrl}${path}`,
      alternateUrls: [],
      title: 'T',
      publishedAt: null,
      updatedAt: null,
      summary: 'The feed says so.',
      text: 'The feed says so.',
      tag: null,
      country: null,
    };
    const attempt = await readArticlePage(client, item);
    expect(attempt.item).toEqual(item);
    expect(attempt.problem).toMatch(/; kept the feed's summary$/);
    expect(attempt.retryError !== null).toBe(retried);
  });
});

describe('articlePage', () => {
  it('reads the language an article page declares: <html lang>, else og:locale', () => {
    const body = `<article><h1>T</h1><p>${'Texte de l’article en français. '.repeat(20)}</p></article>`;
    const withLang = extractArticle(
      `<html lang="fr"><head><title>T</title></head><body>${body}</body></html>`,
      'https://x.org/a',
    );
    const withLocale = extractArticle(
      `<html><head><meta property="og:locale" content="fr_FR"><title>T</title></head><body>${body}</body></html>`,
      'https://x.org/a',
    );
    const without = extractArticle(
      `<html><head><title>T</title></head><body>${body}</body></html>`,
      'https://x.org/a',
    );
    expect([withLang?.language, withLocale?.language, without?.language]).toEqual(['fr', 'fr_FR', null]);
  });

  it('extracts the article and its contact block, without script, style, iframe or template text', () => {
    const html = webFixture('iom-press-release.html');
    const article = extractArticle(html, 'https://example.org/a');
    expect(article?.contacts).toEqual([
      {
        name: 'Pär Liljert',
        office: 'IOM Beijing',
        phones: ['+86 10 597 996 95'],
        email: 'pliljert@iom.int',
      },
    ]);
    for (const marker of ['SCRIPT', 'STYLE', 'NOSCRIPT-TEXT', 'IFRAME-TEXT', 'TEMPLATE-TEXT'])
      expect(article?.text).not.toContain(marker);
  });
});

describe('reliefweb connector', () => {
  const source = {
    id: 'rw',
    type: 'reliefweb',
    url: 'https://api.reliefweb.int/v2/reports',
    appname: 'my app',
    name: 'rw',
    enabled: true,
    everyMinutes: 30,
    maxItems: 50,
    maxAgeDays: 7,
    fullText: true,
    limit: 20,
    filter: { 'source.shortname': 'IOM' },
  } as const;

  it('reads a report’s language field (the first listed)', () => {
    const answer = JSON.stringify({
      data: [
        {
          id: 1,
          fields: { title: 'Rapport', body: 'Texte', language: [{ id: 268, name: 'French', code: 'fr' }] },
        },
        { id: 2, fields: { title: 'Report', body: 'Text' } },
      ],
    });
    const parsed = parseReliefWebAnswer(answer, 'rw');
    expect(parsed.ok && parsed.value.items.map((i) => i.language)).toEqual(['fr', null]);
  });

  it('builds the POST: appname in the query, filter, fields, sort, limit, offset', () => {
    const request = reliefwebRequest(source, 20, '2025-06-01T00:00:00.000Z');
    expect(request.url).toBe('https://api.reliefweb.int/v2/reports?appname=my+app');
    expect(request.method).toBe('POST');
    expect(JSON.parse(request.body ?? '')).toEqual({
      filter: {
        operator: 'AND',
        conditions: [
          { field: 'source.shortname', value: 'IOM' },
          { field: 'date.original', value: { from: '2025-06-01T00:00:00.000Z' } },
        ],
      },
      fields: { include: RELIEFWEB_FIELDS_ASKED },
      sort: ['date.original:desc'],
      limit: 20,
      offset: 20,
    });
  });

  it('reads reports; a PDF-only report keeps its title and a line saying so', () => {
    const answer = parseReliefWebAnswer(webFixture('reliefweb-page1.json'), 'rw');
    if (!answer.ok) throw new Error(answer.error);
    expect(answer.value.totalCount).toBe(2);
    expect(answer.value.items[1]).toMatchObject({
      guid: 'reliefweb:4105678',
      text: PDF_ONLY_LINE,
      country: 'Yemen',
      publishedAt: '2025-06-01T00:00:00.000Z',
    });
    const record = itemToRecord(answer.value.items[1]!);
    expect(record.ok && record.value.paragraphs).toEqual([PDF_ONLY_LINE]);
    expect(record.ok && record.value.country).toBe('Yemen');
  });

  it('reports an error body and an empty answer plainly', () => {
    expect(parseReliefWebAnswer(webFixture('reliefweb-error.json'), 'rw')).toEqual({
      ok: false,
      error: 'ReliefWeb: Invalid filter field: sorce.shortname',
    });
    expect(parseReliefWebAnswer(webFixture('reliefweb-empty.json'), 'rw')).toEqual({
      ok: true,
      value: { totalCount: 0, items: [] },
    });
  });

  it('explains 403 (appname not approved) and 410 (v1 retired)', () => {
    expect(reliefwebFailure(new WebError('http', 'HTTP 403', source.url, 403), source)).toMatch(
      /^ReliefWeb refused appname "my app": since 1 November 2025 an appname must be pre-approved, see https:/,
    );
    expect(reliefwebFailure(new WebError('http', 'HTTP 410', source.url, 410), source)).toMatch(
      /API v1 is retired/,
    );
  });
});
