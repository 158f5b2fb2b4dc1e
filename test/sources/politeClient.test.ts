import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PoliteClient, botUserAgent, decodeBody } from '../../src/sources/politeClient.js';
import type { PoliteClientOptions } from '../../src/sources/politeClient.js';
import { WebError } from '../../src/sources/webClient.js';
import {
  LoopbackWeb,
  delayed,
  endlessRedirects,
  html,
  json,
  largeBody,
  neverAnswers,
  rateLimited,
  redirect,
  robotsTxt,
  stallsAfterHeaders,
  status,
  storm,
  text,
  xml,
  loopbackOnlyLookup,
  LOOPBACK_WEB_NETWORKS,
} from '../../loopback/web.js';

const USER_AGENT = botUserAgent('0.1.0', 'https://example.org/migration-news-bot');
const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>';

let web: LoopbackWeb;
beforeEach(async () => {
  web = await LoopbackWeb.start({ '/robots.txt': robotsTxt('User-agent: *\nDisallow: /private\n') });
});
afterEach(async () => {
  await web.close();
});

const client = (options: Partial<PoliteClientOptions> = {}) =>
  new PoliteClient({
    userAgent: USER_AGENT,
    minGapMs: 0,
    lookup: loopbackOnlyLookup,
    allowNetworks: LOOPBACK_WEB_NETWORKS,
    ...options,
  });

/** The WebError a fetch rejects with (fails the test if it resolves or throws anything else). */
async function failure(promise: Promise<unknown>): Promise<WebError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a WebError, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(WebError);
  const error = outcome.error as WebError;
  expect(error.message).not.toMatch(/[\r\n]/);
  return error;
}

describe('politeClient', () => {
  describe('PoliteClient.fetch', () => {
    it('fetches a page with its validators, after reading robots.txt, naming the bot', async () => {
      web.route('/feed.xml', xml(RSS, { etag: '"v1"', lastModified: 'Tue, 03 Jun 2025 10:00:00 GMT' }));
      const page = await client().fetch({ url: web.url('/feed.xml') });
      expect(page).toEqual({
        kind: 'ok',
        url: web.url('/feed.xml'),
        status: 200,
        contentType: 'application/xml; charset=utf-8',
        body: RSS,
        etag: '"v1"',
        lastModified: 'Tue, 03 Jun 2025 10:00:00 GMT',
      });
      expect(web.requests.map((r) => r.path)).toEqual(['/robots.txt', '/feed.xml']);
      for (const request of web.requests) {
        expect(request.headers['user-agent']).toBe(
          'migration-news-bot/0.1.0 (+https://example.org/migration-news-bot)',
        );
        expect(request.headers['accept-encoding']).toBe('br, gzip, deflate');
      }
    });

    it('sends the validators back and reports a 304 as not-modified', async () => {
      web.route('/feed.xml', xml(RSS, { etag: '"v1"', lastModified: 'Tue, 03 Jun 2025 10:00:00 GMT' }));
      const polite = client();
      const first = await polite.fetch({ url: web.url('/feed.xml') });
      if (first.kind !== 'ok') throw new Error('expected a page');
      const second = await polite.fetch({
        url: web.url('/feed.xml'),
        etag: first.etag,
        lastModified: first.lastModified,
      });
      expect(second).toEqual({ kind: 'not-modified', url: web.url('/feed.xml') });
      const sent = web.requestsTo('/feed.xml')[1]!;
      expect(sent.headers['if-none-match']).toBe('"v1"');
      expect(sent.headers['if-modified-since']).toBe('Tue, 03 Jun 2025 10:00:00 GMT');
      expect(sent.status).toBe(304);
      // Last-Modified alone is enough too.
      const third = await polite.fetch({ url: web.url('/feed.xml'), lastModified: first.lastModified });
      expect(third.kind).toBe('not-modified');
      // robots.txt was read once for the three fetches.
      expect(web.requestsTo('/robots.txt')).toHaveLength(1);
    });

    it.each(['gzip', 'br', 'deflate'] as const)('decompresses a %s body', async (encoding) => {
      const body = 'Migrants rescued off the coast. '.repeat(500);
      web.route('/news', html(body, { encoding }));
      const page = await client().fetch({ url: web.url('/news') });
      expect(page.kind === 'ok' && page.body).toBe(body);
      expect(web.requestsTo('/news')[0]!.bytesSent).toBeLessThan(body.length / 10);
    });

    it('decodes the charset the server declares', async () => {
      web.route('/latin1', {
        headers: { 'content-type': 'text/plain; charset=ISO-8859-1' },
        body: Buffer.from([0x53, 0xe3, 0x6f, 0x20, 0x50, 0x61, 0x75, 0x6c, 0x6f]),
      });
      const page = await client().fetch({ url: web.url('/latin1') });
      expect(page.kind === 'ok' && page.body).toBe('São Paulo');
    });

    it('posts a JSON body and follows a 303 with a GET', async () => {
      web.route('/api', redirect('/api/result', 303)).route('/api/result', json({ count: 1 }));
      const page = await client().fetch({
        url: web.url('/api'),
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"limit":1}',
      });
      expect(page.kind === 'ok' && JSON.parse(page.body)).toEqual({ count: 1 });
      const [post, get] = [web.requestsTo('/api')[0]!, web.requestsTo('/api/result')[0]!];
      expect([post.method, post.body, post.headers['content-type']]).toEqual([
        'POST',
        '{"limit":1}',
        'application/json',
      ]);
      expect([get.method, get.body]).toEqual(['GET', '']);
    });
  });

  describe('robots.txt', () => {
    it('refuses a disallowed path without requesting it', async () => {
      web.route('/private/report', text('secret'));
      const error = await failure(client().fetch({ url: web.url('/private/report') }));
      expect(error.kind).toBe('robots');
      expect(error.message).toBe(`${web.url('/private/report')}: disallowed by ${web.baseUrl}/robots.txt`);
      expect(web.requestsTo('/private/report')).toHaveLength(0);
    });

    it('checks every redirect hop: a redirect into a disallowed path stops before it', async () => {
      web.route('/moved', redirect('/private/report')).route('/private/report', text('secret'));
      const error = await failure(client().fetch({ url: web.url('/moved') }));
      expect(error.kind).toBe('robots');
      expect(error.url).toBe(web.url('/moved'));
      expect(error.message).toBe(
        `${web.url('/moved')} (redirected to ${web.url('/private/report')}): disallowed by ${web.baseUrl}/robots.txt`,
      );
      expect(web.requests.map((r) => r.path)).toEqual(['/robots.txt', '/moved']);
    });

    it('obeys the group for its own name over the * group', async () => {
      web.route(
        '/robots.txt',
        robotsTxt('User-agent: migration-news-bot\nDisallow: /\n\nUser-agent: *\nAllow: /\n'),
      );
      web.route('/page', text('hi'));
      expect((await failure(client().fetch({ url: web.url('/page') }))).kind).toBe('robots');
      const other = client({ userAgent: 'other-bot/1.0' });
      expect((await other.fetch({ url: web.url('/page') })).kind).toBe('ok');
    });

    it('reads robots.txt again once its time to live has passed', async () => {
      let clock = 1_000_000;
      const polite = client({ now: () => clock, robotsTtlMs: 60_000 });
      web.route('/page', text('hi'));
      await polite.fetch({ url: web.url('/page') });
      clock += 59_000;
      await polite.fetch({ url: web.url('/page') });
      expect(web.requestsTo('/robots.txt')).toHaveLength(1);
      web.route('/robots.txt', robotsTxt('User-agent: *\nDisallow: /page\n'));
      clock += 2_000;
      expect((await failure(polite.fetch({ url: web.url('/page') }))).kind).toBe('robots');
      expect(web.requestsTo('/robots.txt')).toHaveLength(2);
    });

    it('allows everything when robots.txt is missing (4xx)', async () => {
      web.route('/robots.txt', status(404)).route('/private/x', text('fine'));
      expect((await client().fetch({ url: web.url('/private/x') })).kind).toBe('ok');
    });

    it('treats the site as closed while robots.txt fails (5xx), and tries again later', async () => {
      let clock = 5_000_000;
      const polite = client({ now: () => clock, robotsRetryMs: 60_000 });
      web.route('/robots.txt', status(500)).route('/page', text('hi'));
      const error = await failure(polite.fetch({ url: web.url('/page') }));
      expect(error.kind).toBe('http');
      expect(error.message).toBe(
        `${web.url('/page')}: robots.txt answered HTTP 500, so the site is treated as closed for now`,
      );
      await failure(polite.fetch({ url: web.url('/page') }));
      expect(web.requestsTo('/robots.txt')).toHaveLength(1);
      expect(web.requestsTo('/page')).toHaveLength(0);
      web.route('/robots.txt', robotsTxt(''));
      clock += 61_000;
      expect((await polite.fetch({ url: web.url('/page') })).kind).toBe('ok');
    });
  });

  describe('per-host pacing', () => {
    it('sends one request at a time per host with the minimum gap, different hosts in parallel', async () => {
      const gapMs = 200;
      const workMs = 40;
      for (const n of [1, 2, 3]) web.route(`/slow/${n}`, delayed(workMs, text(`page ${n}`)));
      const polite = client({ minGapMs: gapMs });
      const started = performance.now();
      const urls = [1, 2, 3].flatMap((n) => [web.url(`/slow/${n}`), web.url(`/slow/${n}`, 'localhost')]);
      const pages = await Promise.all(urls.map((url) => polite.fetch({ url })));
      const elapsed = performance.now() - started;
      expect(pages.every((page) => page.kind === 'ok')).toBe(true);

      for (const host of ['127.0.0.1', 'localhost']) {
        const arrivals = web.requests.filter((r) => r.host.startsWith(`${host}:`)).map((r) => r.at);
        expect(arrivals).toHaveLength(4); // robots.txt + 3 pages
        for (let i = 1; i < arrivals.length; i++) {
          // The previous request took its time, then the gap: never two at once, never closer.
          expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(gapMs - 5);
        }
      }
      // One lane for both hosts would take 7 gaps + 6 work; the hosts overlapped instead (3 + 3).
      expect(elapsed).toBeLessThan(7 * gapMs + 6 * workMs);
      const firstLocalhost = web.requests.findIndex((r) => r.host.startsWith('localhost:'));
      expect(firstLocalhost).toBeLessThan(2);
    });

    it('keeps two clients independent (their own lanes and robots caches)', async () => {
      web.route('/page', text('hi'));
      const gapMs = 400;
      const [a, b] = [client({ minGapMs: gapMs }), client({ minGapMs: gapMs })];
      const started = performance.now();
      await Promise.all([a.fetch({ url: web.url('/page') }), b.fetch({ url: web.url('/page') })]);
      const elapsed = performance.now() - started;
      // Each client: robots.txt, one gap, the page. One shared lane would need three gaps.
      expect(elapsed).toBeGreaterThanOrEqual(gapMs - 5);
      expect(elapsed).toBeLessThan(2 * gapMs);
      expect(web.requestsTo('/robots.txt')).toHaveLength(2);
    });

    it('lengthens the gap to the Crawl-delay robots.txt asks of us, up to the cap', async () => {
      const sleep = (clock: { now: number }, slept: number[]) => (ms: number) => {
        slept.push(ms);
        clock.now += ms;
        return Promise.resolve();
      };
      web.route('/page', text('hi'));
      web.route('/robots.txt', robotsTxt('User-agent: migration-news-bot\nCrawl-delay: 5\n'));
      const clock = { now: 0 };
      const slept: number[] = [];
      const polite = client({ minGapMs: 1_000, now: () => clock.now, sleep: sleep(clock, slept) });
      await polite.fetch({ url: web.url('/page') });
      await polite.fetch({ url: web.url('/page') });
      // robots.txt, then 5 s, the page, then 5 s, the page again.
      expect(slept).toEqual([5_000, 5_000]);

      web.route('/robots.txt', robotsTxt('User-agent: *\nCrawl-delay: 86400\n'));
      const capped: number[] = [];
      const other = client({
        minGapMs: 1_000,
        maxCrawlDelayMs: 3_000,
        now: () => clock.now,
        sleep: sleep(clock, capped),
      });
      await other.fetch({ url: web.url('/page') });
      await other.fetch({ url: web.url('/page') });
      expect(capped).toEqual([3_000, 3_000]);
    });

    it('waits through the injected sleep', async () => {
      const slept: number[] = [];
      let clock = 0;
      const polite = client({
        minGapMs: 1_000,
        now: () => clock,
        sleep: (ms) => {
          slept.push(ms);
          clock += ms;
          return Promise.resolve();
        },
      });
      web.route('/page', text('hi'));
      await polite.fetch({ url: web.url('/page') });
      clock += 300;
      await polite.fetch({ url: web.url('/page') });
      // robots.txt then the page back to back (1000), then 300 ms had passed before the second page (700).
      expect(slept).toEqual([1_000, 700]);
    });
  });

  describe('failures', () => {
    it.each([
      ['seconds', '120', 120_000],
      ['an HTTP-date', 'Thu, 01 Jan 2026 00:01:30 GMT', 90_000],
      ['a malformed value', 'soon, maybe', null],
      ['nothing', undefined, null],
    ])('turns 429 with Retry-After as %s into rate-limited', async (_, retryAfter, expected) => {
      const now = Date.parse('2026-01-01T00:00:00Z');
      web.route('/busy', rateLimited(retryAfter));
      const error = await failure(client({ now: () => now }).fetch({ url: web.url('/busy') }));
      expect([error.kind, error.status, error.retryAfterMs]).toEqual(['rate-limited', 429, expected]);
      expect(error.message).toBe(
        `${web.url('/busy')}: HTTP 429 (too many requests${expected === null ? '' : `, retry after ${expected / 1000} s`})`,
      );
    });

    it('treats 503 as rate-limited too', async () => {
      web.route('/down', rateLimited('30', 503));
      const error = await failure(client().fetch({ url: web.url('/down') }));
      expect([error.kind, error.status, error.retryAfterMs]).toEqual(['rate-limited', 503, 30_000]);
    });

    it('reports each of a storm of 500s as an http failure, then recovers', async () => {
      web.route('/flaky', storm(5, text('back')));
      const polite = client();
      for (let i = 0; i < 5; i++) {
        const error = await failure(polite.fetch({ url: web.url('/flaky') }));
        expect([error.kind, error.status, error.message]).toEqual([
          'http',
          500,
          `${web.url('/flaky')}: HTTP 500`,
        ]);
      }
      expect((await polite.fetch({ url: web.url('/flaky') })).kind).toBe('ok');
    });

    it('times out a server that never answers', async () => {
      web.route('/hang', neverAnswers());
      const started = performance.now();
      const error = await failure(client({ headersTimeoutMs: 200 }).fetch({ url: web.url('/hang') }));
      expect(performance.now() - started).toBeLessThan(2_000);
      expect([error.kind, error.message]).toEqual([
        'timeout',
        `${web.url('/hang')}: no response within 200 ms`,
      ]);
    });

    it('times out a body that never ends', async () => {
      web.route('/stall', stallsAfterHeaders());
      const error = await failure(client({ bodyTimeoutMs: 200 }).fetch({ url: web.url('/stall') }));
      expect([error.kind, error.status, error.message]).toEqual([
        'timeout',
        200,
        `${web.url('/stall')}: body not complete within 200 ms`,
      ]);
    });

    it('stops a redirect loop after 5 redirects', async () => {
      web.route('/loop', endlessRedirects());
      const error = await failure(client().fetch({ url: web.url('/loop') }));
      expect(error.kind).toBe('too-many-redirects');
      expect(error.message).toBe(
        `${web.url('/loop')} (redirected to ${web.url('/loop?hop=5')}): more than 5 redirects`,
      );
      expect(web.requestsTo('/loop')).toHaveLength(6);
    });

    it('follows up to 5 redirects', async () => {
      for (let i = 0; i < 5; i++) web.route(`/r${i}`, redirect(i === 4 ? '/end' : `/r${i + 1}`, 301));
      web.route('/end', text('arrived'));
      const page = await client().fetch({ url: web.url('/r0') });
      expect(page.kind === 'ok' && [page.url, page.body]).toEqual([web.url('/end'), 'arrived']);
    });

    it.each([
      ['file:///etc/passwd', 'only http and https are fetched, not file:'],
      ['ftp://127.0.0.1/feed.xml', 'only http and https are fetched, not ftp:'],
      ['javascript:alert(1)', 'only http and https are fetched, not javascript:'],
      ['data:text/html,<script>x</script>', 'only http and https are fetched, not data:'],
      ['not a url', 'not a valid URL'],
    ])('refuses %s', async (url, cause) => {
      const error = await failure(client().fetch({ url }));
      expect([error.kind, error.message, error.url]).toEqual(['bad-url', `${url}: ${cause}`, url]);
      expect(web.requests).toHaveLength(0);
    });

    it('refuses a redirect to a non-http URL', async () => {
      web.route('/evil', redirect('file:///etc/passwd'));
      const error = await failure(client().fetch({ url: web.url('/evil') }));
      expect([error.kind, error.message]).toEqual([
        'bad-url',
        `${web.url('/evil')} (redirected to file:///etc/passwd): only http and https are fetched, not file:`,
      ]);
    });

    it('reports an unknown host as a network failure, quickly', async () => {
      const started = performance.now();
      const error = await failure(
        client({ headersTimeoutMs: 3_000 }).fetch({ url: 'http://nonexistent.invalid/' }),
      );
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(error.kind).toBe('network');
      expect(error.message).toMatch(/^http:\/\/nonexistent\.invalid\/: reading robots\.txt: /);
    });

    it.each([
      [
        'a corrupt gzip body',
        { headers: { 'content-encoding': 'gzip' }, body: 'not gzip at all', encoding: 'identity' as const },
        'body could not be read: incorrect header check (Z_DATA_ERROR)',
      ],
      [
        'an unknown encoding',
        { headers: { 'content-encoding': 'compress' }, body: 'xyz', encoding: 'identity' as const },
        'unsupported Content-Encoding "compress"',
      ],
    ])('reports %s as an http failure', async (_, route, cause) => {
      web.route('/odd', route);
      const error = await failure(client().fetch({ url: web.url('/odd') }));
      expect([error.kind, error.status, error.message]).toEqual([
        'http',
        200,
        `${web.url('/odd')}: ${cause}`,
      ]);
    });

    it('refuses a header value that would split the request', async () => {
      const error = await failure(
        client().fetch({ url: web.url('/x'), headers: { accept: 'a\r\nX-Evil: 1' } }),
      );
      expect(error.kind).toBe('bad-url');
      expect(web.requestsTo('/x')).toHaveLength(0);
    });

    it('reports a refused connection as a network failure', async () => {
      const closed = await LoopbackWeb.start();
      const url = closed.url('/feed.xml');
      await closed.close();
      const error = await failure(client().fetch({ url }));
      expect(error.kind).toBe('network');
      expect(error.message).toContain('connection refused');
    });
  });

  describe('size cap', () => {
    const MB = 1024 * 1024;

    it.each([
      [
        'with a Content-Length, refused unread',
        true,
        'body of 20971520 bytes is over the 10485760-byte cap (refused unread)',
      ],
      ['chunked, cut at the cap', false, 'body passed the 10485760-byte cap (download stopped)'],
    ])('refuses a 20 MB body %s, in bounded memory', async (_, contentLength, cause) => {
      web.route('/huge', largeBody(20 * MB, { contentLength }));
      const before = process.memoryUsage();
      const error = await failure(client().fetch({ url: web.url('/huge') }));
      const after = process.memoryUsage();
      expect([error.kind, error.status, error.message]).toEqual([
        'too-large',
        200,
        `${web.url('/huge')}: ${cause}`,
      ]);
      await web.close(); // lets the server notice the client went away
      const sent = web.requestsTo('/huge')[0]!;
      expect(sent.bytesSent).toBeLessThan(contentLength ? 4 * MB : 14 * MB);
      expect(after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)).toBeLessThan(
        40 * MB,
      );
    });

    it('counts decompressed bytes: a small gzip that inflates past the cap is cut', async () => {
      web.route('/bomb', text('x'.repeat(20 * MB), { encoding: 'gzip' }));
      const error = await failure(client().fetch({ url: web.url('/bomb') }));
      expect(web.requestsTo('/bomb')[0]!.bytesSent).toBeLessThan(MB);
      expect([error.kind, error.message]).toEqual([
        'too-large',
        `${web.url('/bomb')}: body passed the 10485760-byte cap (download stopped)`,
      ]);
    });

    it('takes a body exactly at the cap', async () => {
      web.route('/edge', text('y'.repeat(1000), { encoding: 'identity' }));
      const page = await client({ maxBytes: 1000 }).fetch({ url: web.url('/edge') });
      expect(page.kind === 'ok' && page.body.length).toBe(1000);
      web.route('/edge', text('y'.repeat(1001), { encoding: 'identity' }));
      expect((await failure(client({ maxBytes: 1000 }).fetch({ url: web.url('/edge') }))).kind).toBe(
        'too-large',
      );
    });
  });

  describe('per-host state', () => {
    it('forgets a host once idle past its gap and a robots.txt verdict once expired', async () => {
      web.route('/page', html('<p>page</p>'));
      let clock = 1_000_000;
      const polite = client({
        minGapMs: 1_000,
        robotsTtlMs: 60_000,
        now: () => clock,
        sleep: (ms) => {
          clock += ms;
          return Promise.resolve();
        },
      });
      await polite.fetch({ url: web.url('/page') });
      await polite.fetch({ url: web.url('/page', 'localhost') });
      expect(polite.heldHostState()).toEqual({ lanes: 2, robotsVerdicts: 2 });
      // A minute later both verdicts have expired; localhost's robots.txt is read again.
      clock += 61_000;
      await polite.fetch({ url: web.url('/page', 'localhost') });
      expect(polite.heldHostState()).toEqual({ lanes: 1, robotsVerdicts: 1 });
      expect(web.requestsTo('/robots.txt')).toHaveLength(3);
    });
  });

  describe('decodeBody', () => {
    it.each([
      ['a header charset', Buffer.from([0xe9]), 'text/plain; charset=iso-8859-1', 'é'],
      [
        'a meta charset',
        Buffer.from('<meta charset="windows-1252">\x93', 'latin1'),
        'text/html',
        '<meta charset="windows-1252">“',
      ],
      [
        'an XML declaration',
        Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\xe9', 'latin1'),
        null,
        '<?xml version="1.0" encoding="ISO-8859-1"?>é',
      ],
      [
        'a latin1 label (read as windows-1252, as browsers do)',
        Buffer.from([0x93, 0x61, 0x94, 0xe9]),
        'text/html; charset=latin1',
        '“a”é',
      ],
      ['a UTF-8 BOM', Buffer.from('\ufeffhé'), null, 'hé'],
      ['an unknown label', Buffer.from('hé'), 'text/plain; charset=x-klingon', 'hé'],
      ['nothing (UTF-8)', Buffer.from('hé'), null, 'hé'],
    ])('decodes by %s', (_, body, contentType, expected) => {
      expect(decodeBody(body, contentType)).toBe(expected);
    });
  });
});
