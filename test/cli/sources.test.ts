import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { html, json, LOOPBACK_WEB_ALLOW, LoopbackWeb } from '../../loopback/web.js';
import { cliOverShippedPages } from './harness.js';

const HOUR = 60 * 60 * 1000;

/** A JSON Feed of `items` news items, the first published an hour ago, the rest days ago. */
function feed(base: string, items: number) {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Loopback migration news',
    items: Array.from({ length: items }, (_, k) => ({
      id: `item-${k}`,
      url: `${base}/news/${k}?utm_source=feed`,
      title: `Border crossing report number ${k}`,
      date_published: new Date(Date.now() - (k === 0 ? 1 : 72) * HOUR).toISOString(),
      content_text: `Geneva - Report ${k} on migrants crossing the border.`,
    })),
  };
}

const page = (k: number) =>
  html(
    `<html><head><title>Report ${k}</title><script>alert("x")</script></head><body><article>` +
      `<h1>Border crossing report number ${k}</h1>` +
      `<p>Geneva - Migrants crossing the border in report ${k} were counted by field teams over several weeks of work.</p>` +
      `<p>The teams recorded arrivals, departures and the needs of families waiting at the crossing point in report ${k}.</p>` +
      `</article></body></html>`,
  );

describe('cli sources', () => {
  const { data, cli } = cliOverShippedPages({ env: { FETCH_ALLOW_NETWORKS: LOOPBACK_WEB_ALLOW } });
  let web: LoopbackWeb;
  /** 127.0.0.2, which FETCH_ALLOW_NETWORKS does not list: it must never see a connection. */
  let internal: Server;
  let internalConnections = 0;
  const writeSources = (sources: unknown) =>
    writeFileSync(path.join(data.dir, 'sources.json'), JSON.stringify({ sources }));

  beforeAll(async () => {
    // A source that cannot be reached, without any request leaving the machine: a closed loopback port.
    const closed = await LoopbackWeb.start({});
    const deadUrl = closed.url('/feed.xml');
    await closed.close();
    web = await LoopbackWeb.start({ '/news/0': page(0), '/news/1': page(1) });
    web.route('/feed.json', json(feed(web.baseUrl, 2), { etag: '"v1"' }));
    internal = createServer((socket) => {
      internalConnections++;
      socket.destroy();
    });
    internal.listen(0, '127.0.0.2');
    await once(internal, 'listening');
    const internalPort = (internal.address() as { port: number }).port;
    writeSources([
      { id: 'loopback-news', type: 'feed', url: `${web.baseUrl}/feed.json` },
      { id: 'gone', type: 'feed', url: deadUrl },
      { id: 'internal', type: 'feed', url: `http://127.0.0.2:${internalPort}/feed.json` },
    ]);
  });
  afterAll(async () => {
    internal.close();
    await web.close();
  });
  const internalRefusal = () =>
    `http://127.0.0.2:${(internal.address() as { port: number }).port}/feed.json: ` +
    '127.0.0.2 is a loopback address; not fetched (FETCH_ALLOW_NETWORKS allows exceptions)';

  it(
    'fetches every enabled source now, reports each, and exits 1 when one failed',
    { timeout: 60_000 },
    async () => {
      const { code, stdout } = await cli('sources', 'fetch', '--json');
      expect(code).toBe(1);
      const { sources } = JSON.parse(stdout) as { sources: Record<string, unknown>[] };
      expect(sources).toEqual([
        { id: 'loopback-news', status: 'ok', new: 2, updated: 0, unchanged: 0, rejected: 0, error: null },
        expect.objectContaining({
          id: 'gone',
          status: 'failed',
          new: 0,
          error: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/feed\.xml: .*refused/) as unknown,
        }),
        {
          id: 'internal',
          status: 'failed',
          new: 0,
          updated: 0,
          unchanged: 0,
          rejected: 0,
          error: internalRefusal(),
        },
      ]);
      expect(internalConnections).toBe(0);
      // First fetch: only the item of the last 24 hours is news.
      const store = await Store.open(data.dir);
      try {
        const logged = (await store.log.entries(0)).filter((e) => e.docId.startsWith('loopback-news_'));
        expect(logged.map((e) => e.news).sort()).toEqual([false, true]);
      } finally {
        await store.close();
      }
    },
  );

  it(
    'sends the validators back and reports not-modified on the next fetch of one source',
    { timeout: 60_000 },
    async () => {
      const { code, stdout } = await cli('sources', 'fetch', '--source', 'loopback-news', '--json');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({
        sources: [
          {
            id: 'loopback-news',
            status: 'not-modified',
            new: 0,
            updated: 0,
            unchanged: 0,
            rejected: 0,
            error: null,
          },
        ],
      });
      expect(web.requestsTo('/feed.json').at(-1)?.headers['if-none-match']).toBe('"v1"');
    },
  );

  it('lists each source with its status, failures, last error and documents', async () => {
    const { code, stdout } = await cli('sources', 'list', '--json');
    expect(code).toBe(0);
    const { sources } = JSON.parse(stdout) as { sources: Record<string, unknown>[] };
    expect(Object.keys(sources[0] ?? {})).toEqual([
      'id',
      'type',
      'url',
      'enabled',
      'status',
      'lastFetchedAt',
      'nextFetchAt',
      'failures',
      'lastError',
      'documents',
    ]);
    expect(sources[0]).toMatchObject({
      id: 'loopback-news',
      status: 'not-modified',
      documents: 2,
      failures: 0,
    });
    expect(sources[1]).toMatchObject({ id: 'gone', status: 'failing', documents: 0, failures: 1 });
    expect(sources[2]).toMatchObject({
      id: 'internal',
      status: 'failing',
      failures: 1,
      lastError: internalRefusal(),
    });
    const { stdout: text } = await cli('sources', 'list');
    expect(text).toContain(`\n  ${internalRefusal()}\n`);
  });

  it('finds fetched documents with their url, publication date and source', async () => {
    const { code, stdout } = await cli('search', 'border crossing report', '--json');
    expect(code).toBe(0);
    const { results } = JSON.parse(stdout) as { results: Record<string, unknown>[] };
    const fetched = results.filter((r) => r.sourceId === 'loopback-news');
    expect(fetched).toHaveLength(2);
    expect(fetched.map((r) => r.url).sort()).toEqual([`${web.baseUrl}/news/0`, `${web.baseUrl}/news/1`]);
    for (const r of fetched) expect(r.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('disables and enables a source by id', async () => {
    expect((await cli('sources', 'disable', 'gone')).code).toBe(0);
    let listed = JSON.parse((await cli('sources', 'list', '--json')).stdout) as {
      sources: { status: string }[];
    };
    expect(listed.sources[1]?.status).toBe('disabled');
    const fetched = JSON.parse((await cli('sources', 'fetch', '--source', 'gone', '--json')).stdout) as {
      sources: { status: string }[];
    };
    expect(fetched.sources[0]?.status).toBe('disabled');
    expect((await cli('sources', 'enable', 'gone')).code).toBe(0);
    listed = JSON.parse((await cli('sources', 'list', '--json')).stdout) as { sources: { status: string }[] };
    expect(listed.sources[1]?.status).toBe('failing');
  });

  it.each([
    [
      ['sources', 'enable', 'nope'],
      /no source "nope" in sources.json \(known: loopback-news, gone, internal\)/,
    ],
    [['sources', 'frobnicate'], /unknown action "frobnicate"/],
    [['sources'], /say what to do/],
  ])('exits 2 for wrong usage: %j', async (argv, message) => {
    const { code, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exits 2 naming every problem of an invalid sources file, and leaves the store alone', async () => {
    writeSources([{ id: 'Bad Id', type: 'feed', url: 'ftp://x' }, { type: 'rss' }]);
    const { code, stderr } = await cli('sources', 'list');
    expect(code).toBe(2);
    expect(stderr).toContain('sources[0] "Bad Id": id must be lowercase letters, digits and dashes');
    expect(stderr).toContain('sources[0] "Bad Id": url must be an http or https URL');
    expect(stderr).toMatch(/sources\[1\]: type must be "feed", "iom" or "reliefweb"/);
    const store = await Store.open(data.dir);
    try {
      expect((await store.webDocuments.countBySource()).get('loopback-news')).toBe(2);
    } finally {
      await store.close();
    }
  });
});
