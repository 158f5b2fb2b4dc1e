import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLibrary } from '../../src/core/library.js';
import { PoliteClient, botUserAgent } from '../../src/sources/politeClient.js';
import { SourceFetcher } from '../../src/sources/sourceFetcher.js';
import { parseSourcesFile, type SourceConfig } from '../../src/sources/sourcesFile.js';
import { WebError } from '../../src/sources/webClient.js';
import { Store } from '../../src/store/store.js';
import { html, json, LoopbackWeb, loopbackOnlyLookup, redirect, robotsTxt } from '../../loopback/web.js';

const NOT_FETCHED = 'not fetched (FETCH_ALLOW_NETWORKS allows exceptions)';
/** Only the allowed server's address: 127.0.0.2 and ::1 stay forbidden. */
const ALLOWED = ['127.0.0.1/32'];

/** A listener that must never be reached: it counts every TCP connection and answers a secret. */
interface Forbidden {
  readonly server: Server;
  readonly port: number;
  connections: number;
}

async function forbiddenListener(host: string, port = 0): Promise<Forbidden | null> {
  const server = createServer((_req, res) => res.end('SECRET internal page'));
  const listener = { server, port: 0, connections: 0 };
  server.on('connection', () => listener.connections++);
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch {
    return null;
  }
  const address = server.address();
  listener.port = typeof address === 'object' && address !== null ? address.port : 0;
  return listener;
}

const closeListener = (listener: Forbidden | null) =>
  new Promise<void>((resolve) => {
    if (listener === null) return resolve();
    listener.server.closeAllConnections();
    listener.server.close(() => resolve());
  });

let web: LoopbackWeb;
/** 127.0.0.2 at the allowed server's port: a rebinding name finds a server there. */
let v4: Forbidden;
/** ::1, or null where the machine has no IPv6 loopback. */
let v6: Forbidden | null;
/** 127.0.0.1 at its own port, reached only through `0.0.0.0` or `0` (the unspecified address). */
let viaUnspecified: Forbidden;

beforeAll(async () => {
  web = await LoopbackWeb.start({ '/robots.txt': robotsTxt('User-agent: *\nAllow: /\n') });
  const second = await forbiddenListener('127.0.0.2', web.port);
  if (second === null) throw new Error(`127.0.0.2:${web.port} could not be bound`);
  v4 = second;
  v6 = await forbiddenListener('::1');
  const any = await forbiddenListener('127.0.0.1');
  if (any === null) throw new Error('127.0.0.1 could not be bound');
  viaUnspecified = any;
});
afterAll(async () => {
  await Promise.all([web.close(), closeListener(v4), closeListener(v6), closeListener(viaUnspecified)]);
});
beforeEach(() => {
  web.resetLog();
  lookups = [];
});
afterEach(() => {
  // The point of it all: nothing reached a forbidden listener, whatever the test did.
  expect(v4.connections).toBe(0);
  expect(v6?.connections ?? 0).toBe(0);
  expect(viaUnspecified.connections).toBe(0);
});

/** Test names: each resolves as listed, anything else as the loopback-only resolver does. */
const NAMES: Readonly<Record<string, LookupAddress[]>> = {
  'intranet.test': [{ address: '127.0.0.2', family: 4 }],
  'mixed.test': [
    { address: '127.0.0.1', family: 4 },
    { address: '127.0.0.2', family: 4 },
  ],
  'six.test': [{ address: '::1', family: 6 }],
  'allowed.test': [{ address: '127.0.0.1', family: 4 }],
};
let lookups: string[] = [];
let rebindCalls = 0;
const testLookup: LookupFunction = (hostname, options, callback) => {
  lookups.push(hostname);
  // A rebinding DNS server: the allowed address first, the forbidden one at the next question.
  const answer =
    hostname === 'rebind.test'
      ? [{ address: rebindCalls++ % 2 === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 }]
      : NAMES[hostname];
  if (answer === undefined) return loopbackOnlyLookup(hostname, options, callback);
  process.nextTick(() =>
    options.all ? callback(null, answer) : callback(null, answer[0]!.address, answer[0]!.family),
  );
};

const client = () =>
  new PoliteClient({
    userAgent: botUserAgent('0.1.0'),
    minGapMs: 0,
    headersTimeoutMs: 2_000,
    bodyTimeoutMs: 2_000,
    lookup: testLookup,
    allowNetworks: ALLOWED,
  });

async function refusal(url: string): Promise<WebError> {
  const outcome = await client()
    .fetch({ url })
    .then(
      () => null,
      (error: unknown) => error,
    );
  expect(outcome).toBeInstanceOf(WebError);
  expect((outcome as WebError).kind).toBe('forbidden-address');
  return outcome as WebError;
}

describe('addressGuard (through PoliteClient)', () => {
  it('fetches from an allowed address, as before', async () => {
    const page = await client().fetch({ url: web.url('/robots.txt') });
    expect(page.kind).toBe('ok');
    const named = await client().fetch({ url: `http://allowed.test:${web.port}/robots.txt` });
    expect(named.kind).toBe('ok');
  });

  it('has forbidden listeners that do count (a client without the policy reaches them)', async () => {
    for (const listener of [v4, viaUnspecified]) {
      expect(
        await fetch(`http://127.0.0.${listener === v4 ? 2 : 1}:${listener.port}/`).then((r) => r.text()),
      ).toBe('SECRET internal page');
      expect(listener.connections).toBe(1);
      listener.connections = 0;
    }
  });

  it('refuses every spelling of a forbidden IPv4 address before connecting', async () => {
    const port = v4.port;
    const loopback = `127.0.0.2 is a loopback address; ${NOT_FETCHED}`;
    const mapped = `::ffff:7f00:2 (IPv4 127.0.0.2) is a loopback address; ${NOT_FETCHED}`;
    const unspecified = `0.0.0.0 is an unspecified address; ${NOT_FETCHED}`;
    for (const [url, message] of [
      [`http://127.0.0.2:${port}/secret`, loopback],
      [`http://0x7f000002:${port}/secret`, loopback],
      [`http://2130706434:${port}/secret`, loopback],
      [`http://0177.0.0.2:${port}/secret`, loopback],
      [`http://127.2:${port}/secret`, loopback],
      [`http://[::ffff:127.0.0.2]:${port}/secret`, mapped],
      [`http://[::ffff:7f00:2]:${port}/secret`, mapped],
      [
        `http://[64:ff9b::127.0.0.2]:${port}/secret`,
        `64:ff9b::7f00:2 (IPv4 127.0.0.2) is a loopback address; ${NOT_FETCHED}`,
      ],
      [`http://0.0.0.0:${viaUnspecified.port}/secret`, unspecified],
      [`http://0:${viaUnspecified.port}/secret`, unspecified],
      [`https://0x7f000002:${port}/secret`, loopback],
    ] as const) {
      expect((await refusal(url)).message).toBe(`${url}: ${message}`);
    }
    expect(lookups).toEqual([]); // literals: refused without a lookup
  });

  it('refuses [::1] and [::] by their literal address', async () => {
    const port = v6?.port ?? 9;
    expect((await refusal(`http://[::1]:${port}/secret`)).message).toBe(
      `http://[::1]:${port}/secret: ::1 is a loopback address; ${NOT_FETCHED}`,
    );
    expect((await refusal(`http://[::]:${port}/secret`)).message).toBe(
      `http://[::]:${port}/secret: :: is an unspecified address; ${NOT_FETCHED}`,
    );
  });

  it('lets no connection reach the [::1] listener', async (ctx) => {
    if (v6 === null) ctx.skip('::1 cannot be bound on this machine (no IPv6 loopback): no listener to count');
    for (const url of [
      `http://[::1]:${v6!.port}/`,
      `http://six.test:${v6!.port}/`,
      `http://[::]:${v6!.port}/`,
    ])
      await refusal(url);
    expect(v6!.connections).toBe(0);
    // The listener does count: a plain client reaches it.
    const reached = await fetch(`http://[::1]:${v6!.port}/`).then((r) => r.text());
    expect(reached).toBe('SECRET internal page');
    expect(v6!.connections).toBe(1);
    v6!.connections = 0;
  });

  it('refuses a name resolving to a forbidden address, or to several of which one is forbidden', async () => {
    for (const [host, port, address] of [
      ['intranet.test', v4.port, '127.0.0.2'],
      ['mixed.test', v4.port, '127.0.0.2'],
      ['six.test', v6?.port ?? 9, '::1'],
    ] as const) {
      const error = await refusal(`http://${host}:${port}/secret`);
      expect(error.message).toContain(`${host} resolves to ${address}, a loopback address; ${NOT_FETCHED}`);
    }
  });

  it('refuses a redirect from the allowed server to a forbidden one, in any spelling', async () => {
    const targets = [
      `http://127.0.0.2:${v4.port}/secret`,
      `http://0x7f000002:${v4.port}/secret`,
      `http://[::ffff:127.0.0.2]:${v4.port}/secret`,
      `http://intranet.test:${v4.port}/secret`,
    ];
    for (const [k, target] of targets.entries()) web.route(`/hop/${k}`, redirect(target, 301));
    for (const k of targets.keys()) {
      const error = await refusal(web.url(`/hop/${k}`));
      expect(error.message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hop\/\d \(redirected to http:\/\/.+\): /);
      expect(error.message).toMatch(/127\.0\.0\.2.*a loopback address; not fetched/);
    }
    expect(web.requestsTo(/^\/hop\//)).toHaveLength(targets.length);
  });

  it('refuses a robots.txt that redirects to a forbidden address', async () => {
    web.route('/robots.txt', redirect(`http://127.0.0.2:${v4.port}/robots.txt`));
    try {
      const error = await refusal(web.url('/page'));
      expect(error.message).toBe(
        `${web.url('/page')}: reading robots.txt: 127.0.0.2 is a loopback address; ${NOT_FETCHED}`,
      );
      expect(web.requestsTo('/page')).toHaveLength(0);
    } finally {
      web.route('/robots.txt', robotsTxt('User-agent: *\nAllow: /\n'));
    }
  });

  it('connects to the address it checked: a rebinding name never reaches the forbidden one', async () => {
    rebindCalls = 0;
    const polite = client();
    const outcomes: string[] = [];
    for (let k = 0; k < 6; k++) {
      outcomes.push(
        await polite.fetch({ url: `http://rebind.test:${web.port}/robots.txt` }).then(
          (page) => page.kind,
          (error: unknown) => (error as WebError).kind,
        ),
      );
    }
    // Each connection asked once and was answered alternately: the forbidden answers were refused.
    expect(outcomes).toContain('forbidden-address');
    expect(outcomes).toContain('ok');
    expect(lookups.filter((h) => h === 'rebind.test')).toHaveLength(rebindCalls);
  });
});

describe('addressGuard (through SourceFetcher: feed and IOM links)', () => {
  let dataDir: string;
  let store: Store;
  let fetcher: SourceFetcher;

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'address-guard-'));
    store = await Store.open(dataDir);
    fetcher = new SourceFetcher({ store, client: client(), library: createLibrary([]) });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const source = (raw: Record<string, unknown>): SourceConfig => {
    const [one] = parseSourcesFile({ sources: [raw] }).sources;
    if (!one) throw new Error('no source');
    return one;
  };
  const article = (title: string) =>
    html(
      `<html><head><title>${title}</title></head><body><article><h1>${title}</h1>` +
        `<p>Geneva - Field teams counted arrivals at the border crossing over several weeks of careful work.</p>` +
        `<p>The teams recorded the needs of families waiting at the crossing point and the shelter available.</p>` +
        `</article></body></html>`,
    );

  it('fails a source whose own URL is forbidden, with the reason as its error', async () => {
    const url = `http://127.0.0.2:${v4.port}/feed.xml`;
    const report = await fetcher.fetch(source({ id: 'internal', type: 'feed', url }));
    const expected = `${url}: 127.0.0.2 is a loopback address; ${NOT_FETCHED}`;
    expect(report).toMatchObject({ status: 'failed', error: expected, new: 0 });
    expect(await store.sourceStates.get('internal')).toMatchObject({
      lastStatus: 'failed',
      lastError: expected,
    });
  });

  it('keeps the feed text of an item whose page link is forbidden and stores nothing from it', async () => {
    const secretLink = `http://0x7f000002:${v4.port}/news/secret`;
    web.route('/news/open', article('Open border report'));
    web.route(
      '/feed.json',
      json({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Feed',
        items: [
          {
            id: 'open',
            url: web.url('/news/open'),
            title: 'Open border report',
            content_text: 'Feed text of the open item.',
          },
          {
            id: 'internal',
            url: secretLink,
            title: 'Internal report',
            content_text: 'Feed text of the internal item.',
          },
        ],
      }),
    );
    const report = await fetcher.fetch(
      source({ id: 'news', type: 'feed', url: web.url('/feed.json'), fetchArticles: true }),
    );
    expect(report).toMatchObject({ status: 'ok', new: 2 });
    expect(report.problems).toEqual([
      `http://127.0.0.2:${v4.port}/news/secret: 127.0.0.2 is a loopback address; ${NOT_FETCHED}; kept the feed's summary`,
    ]);
    const records = await store.webDocuments.records();
    const internal = records.find((r) => r.title === 'Internal report');
    expect(internal?.paragraphs).toEqual(['Feed text of the internal item.']);
    expect(records.find((r) => r.title === 'Open border report')?.paragraphs.join(' ')).toContain(
      'Field teams',
    );
    expect(JSON.stringify(records)).not.toContain('SECRET');
  });

  it('skips an IOM card whose link is forbidden, on any host, and reads the others', async () => {
    const card = (href: string, title: string) =>
      `<div class="views-row"><a href="${href}">x</a><div class="article-detail"><div class="tag">Press Release</div>` +
      `<h5 class="title">${title}</h5><div class="date">11 June 2025</div></div></div>`;
    web.route(
      '/search?type=press_release',
      html(
        `<html><body>${card('/news/open-release', 'Open release')}` +
          `${card(`http://[::ffff:127.0.0.2]:${v4.port}/news/secret`, 'Internal release')}` +
          `${card(`http://intranet.test:${v4.port}/news/secret`, 'Named internal release')}</body></html>`,
      ),
    );
    web.route(
      '/news/open-release',
      html(
        `<html><head><title>Open release | International Organization for Migration</title></head><body><h1>Open release</h1>` +
          `<div class="narrow-content"><div class="field--type-text-with-summary"><p>Geneva - IOM opened a centre.</p></div></div></body></html>`,
      ),
    );
    const report = await fetcher.fetch(
      source({ id: 'iom', type: 'iom', url: web.url('/search?type=press_release'), maxPages: 1 }),
    );
    expect(report).toMatchObject({ status: 'ok', new: 1 });
    expect(report.problems).toHaveLength(2);
    expect(report.problems[0]).toBe(
      `http://[::ffff:7f00:2]:${v4.port}/news/secret: ::ffff:7f00:2 (IPv4 127.0.0.2) is a loopback address; ${NOT_FETCHED}`,
    );
    expect(report.problems[1]).toContain(
      `intranet.test resolves to 127.0.0.2, a loopback address; ${NOT_FETCHED}`,
    );
    expect((await store.webDocuments.records()).map((r) => r.title)).toEqual(['Open release']);
  });
});
