/**
 * The polite HTTP client behind every connector (see webClient.ts for the contract).
 *
 * Polite: it names itself in User-Agent, honours robots.txt (fetched once per origin and cached),
 * sends one request at a time per host with a minimum gap, asks for compressed bodies and sends
 * validators back so unchanged pages cost a 304. Safe: only http(s), only public addresses unless
 * the operator allowed a network (checked at the address connected to, see addressGuard.ts), at most
 * 5 redirects followed by hand (each hop checked like the first), timeouts on the head and on the
 * body, and a size cap on decompressed bytes (a Content-Length over it is refused unread; a stream
 * crossing it is cut).
 *
 * Built on node:http/https rather than fetch so the client controls decompression (the cap counts
 * decompressed bytes), timeouts and sockets directly. Every failure is a WebError with a one-line
 * message naming the URL and the cause. No global state: each client has its own queues and caches.
 */
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import robotsParserModule from 'robots-parser';
import { createAddressPolicy, type AddressPolicy } from '../core/sources/addressPolicy.js';
import { parseRetryAfter } from '../core/sources/fetchPolicy.js';
import {
  checkingLookup,
  connectedAddressRefusal,
  ForbiddenAddressError,
  literalHostRefusal,
} from './addressGuard.js';
import { WebError } from './webClient.js';
import type { WebClient, WebFailureKind, WebRequest, WebResponse } from './webClient.js';

export interface PoliteClientOptions {
  /** Names the bot and where to find it: use {@link botUserAgent}. Required. */
  readonly userAgent: string;
  /** The name matched against robots.txt groups; default: the User-Agent's first product token. */
  readonly robotsAgent?: string;
  /**
   * Minimum pause between the end of one request and the start of the next to the same host. A
   * robots.txt Crawl-delay for our agent lengthens it for that host, up to `maxCrawlDelayMs`.
   */
  readonly minGapMs?: number;
  /** Connect plus the response head, per hop. */
  readonly headersTimeoutMs?: number;
  /** The whole body, from the head to the last byte, per hop. */
  readonly bodyTimeoutMs?: number;
  /** Decompressed body bytes at most. */
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
  /** A Crawl-delay longer than this is read as this (a site cannot stall a source forever). */
  readonly maxCrawlDelayMs?: number;
  /** How long a robots.txt (or its 4xx "allow all") is trusted. */
  readonly robotsTtlMs?: number;
  /** How long a robots.txt that failed (5xx, network) keeps its origin closed before a new try. */
  readonly robotsRetryMs?: number;
  /**
   * Resolves host names (default: the system's, `dns.lookup`). Tests pass a resolver that knows only
   * loopback names, so an "unknown host" never sends a DNS query off the machine.
   */
  readonly lookup?: LookupFunction;
  /**
   * Networks (CIDR ranges, as `parseAllowedNetworks` gives them) that may be fetched from besides
   * public addresses. Default none: loopback, private, link-local and every other non-public
   * address is refused (config: FETCH_ALLOW_NETWORKS).
   */
  readonly allowNetworks?: readonly string[] | undefined;
  /** Clock (epoch ms) for the per-host gap, robots.txt expiry and Retry-After dates. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The defaults, in one place (docs/sources.md quotes them). */
export const POLITE_DEFAULTS = {
  minGapMs: 1000,
  headersTimeoutMs: 20_000,
  bodyTimeoutMs: 20_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  maxCrawlDelayMs: 60_000,
  robotsTtlMs: 24 * 60 * 60 * 1000,
  robotsRetryMs: 10 * 60 * 1000,
  /** robots.txt bodies past this are cut here (Google reads the first 500 KiB). */
  maxRobotsBytes: 500 * 1024,
  /** robots.txt verdicts kept at most (the oldest go first; expired ones go whenever one is added). */
  maxRobotsOrigins: 1000,
} as const;

/** `migration-news-bot/0.1.0 (+https://github.com/...)`: who we are and where to read about it. */
export function botUserAgent(version: string, homepage?: string): string {
  return homepage ? `migration-news-bot/${version} (+${homepage})` : `migration-news-bot/${version}`;
}

/** The part of robots-parser 3 we use. */
interface Robots {
  isAllowed(url: string, userAgent?: string): boolean | undefined;
  getCrawlDelay(userAgent?: string): number | undefined;
}

// robots-parser is CommonJS (`module.exports = function`) while its d.ts declares an ES default
// export; under NodeNext the default import is module.exports itself. Accept either shape.
const robotsParser = ((robotsParserModule as unknown as { default?: unknown }).default ??
  robotsParserModule) as unknown as (url: string, contents: string) => Robots;

/** What a robots.txt said for one origin, until `expiresAt`. */
type RobotsVerdict =
  | { readonly kind: 'rules'; readonly robots: Robots; readonly expiresAt: number }
  | { readonly kind: 'allow-all'; readonly expiresAt: number }
  | { readonly kind: 'unavailable'; readonly error: WebError; readonly expiresAt: number };

interface HostLane {
  /** Resolves when the previous request to this host has finished. */
  tail: Promise<void>;
  /** When the previous request ended (clock ms), or -Infinity. */
  lastEnd: number;
  /** The host's robots.txt Crawl-delay, once known. */
  crawlDelayMs: number;
  /** Requests queued or running in this lane: a lane with none, past its gap, is dropped. */
  pending: number;
}

interface Hop {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly body: string | undefined;
}

/** A raw answer, before the client decides what it means. */
interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  /** Decompressed body; empty for statuses whose body is not read. */
  readonly body: Buffer;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NETWORK_CODES: Readonly<Record<string, string>> = {
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** One line, bounded: a hostile URL or cause must not flood a log or an embed. */
function oneLine(text: string, max = 300): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The polite client. `fetch` throws WebError and nothing else. */
export class PoliteClient implements WebClient {
  private readonly userAgent: string;
  private readonly robotsAgent: string;
  private readonly minGapMs: number;
  private readonly headersTimeoutMs: number;
  private readonly bodyTimeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly maxCrawlDelayMs: number;
  private readonly robotsTtlMs: number;
  private readonly robotsRetryMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly lookup: LookupFunction;
  private readonly addressPolicy: AddressPolicy;
  private readonly lanes = new Map<string, HostLane>();
  private readonly robots = new Map<string, RobotsVerdict>();
  private readonly robotsInFlight = new Map<string, Promise<RobotsVerdict>>();

  constructor(options: PoliteClientOptions) {
    if (options.userAgent.trim() === '') throw new Error('PoliteClient: userAgent must name the bot');
    this.userAgent = options.userAgent;
    this.robotsAgent = options.robotsAgent ?? options.userAgent.split('/')[0]?.trim() ?? options.userAgent;
    this.minGapMs = options.minGapMs ?? POLITE_DEFAULTS.minGapMs;
    this.headersTimeoutMs = options.headersTimeoutMs ?? POLITE_DEFAULTS.headersTimeoutMs;
    this.bodyTimeoutMs = options.bodyTimeoutMs ?? POLITE_DEFAULTS.bodyTimeoutMs;
    this.maxBytes = options.maxBytes ?? POLITE_DEFAULTS.maxBytes;
    this.maxRedirects = options.maxRedirects ?? POLITE_DEFAULTS.maxRedirects;
    this.maxCrawlDelayMs = options.maxCrawlDelayMs ?? POLITE_DEFAULTS.maxCrawlDelayMs;
    this.robotsTtlMs = options.robotsTtlMs ?? POLITE_DEFAULTS.robotsTtlMs;
    this.robotsRetryMs = options.robotsRetryMs ?? POLITE_DEFAULTS.robotsRetryMs;
    this.now = options.now ?? Date.now;
    this.addressPolicy = createAddressPolicy(options.allowNetworks);
    this.lookup = checkingLookup(this.addressPolicy, options.lookup);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async fetch(request: WebRequest): Promise<WebResponse> {
    try {
      return await this.fetchFollowing(request);
    } catch (error) {
      if (error instanceof WebError) throw error;
      // A bug of ours must still reach the caller as the contract's error, with its cause in words.
      throw new WebError(
        'network',
        `${oneLine(request.url)}: unexpected failure: ${oneLine(String(error))}`,
        request.url,
      );
    }
  }

  private async fetchFollowing(request: WebRequest): Promise<WebResponse> {
    const first = parseHttpUrl(request.url, request.url, null);
    let hop: Hop = { url: first, method: request.method ?? 'GET', body: request.body };
    for (let redirects = 0; ; redirects++) {
      // Name the hop in messages when it is not the URL asked for.
      const where =
        redirects === 0
          ? oneLine(request.url)
          : `${oneLine(request.url)} (redirected to ${oneLine(hop.url.href)})`;
      // An IP literal is refused before robots.txt, so the message names the address itself.
      this.assertLiteralAllowed(hop.url, request.url, where);
      await this.assertRobotsAllow(hop.url, request.url, where);
      const answer = await this.inHostLane(hop.url.hostname, () =>
        this.send(hop, this.headersFor(request, hop), this.maxBytes, request.url, where),
      );
      if (REDIRECT_STATUSES.has(answer.status)) {
        const location = answer.headers.location;
        if (location === undefined || location === '')
          throw new WebError(
            'http',
            `${where}: HTTP ${answer.status} without a Location`,
            request.url,
            answer.status,
          );
        if (redirects >= this.maxRedirects)
          throw new WebError(
            'too-many-redirects',
            `${where}: more than ${this.maxRedirects} redirects`,
            request.url,
            answer.status,
          );
        const target = parseHttpUrl(location, request.url, hop.url);
        // 303 always, and 301/302 after a POST (as browsers do), continue as a GET without body.
        const keepMethod = answer.status === 307 || answer.status === 308 || hop.method === 'GET';
        hop = keepMethod ? { ...hop, url: target } : { url: target, method: 'GET', body: undefined };
        continue;
      }
      if (answer.status === 304) return { kind: 'not-modified', url: hop.url.href };
      if (answer.status === 429 || answer.status === 503) {
        const retryAfterMs = parseRetryAfter(header(answer.headers['retry-after']), this.now());
        const wait = retryAfterMs === null ? '' : `, retry after ${Math.ceil(retryAfterMs / 1000)} s`;
        throw new WebError(
          'rate-limited',
          `${where}: HTTP ${answer.status} (${answer.status === 429 ? 'too many requests' : 'service unavailable'}${wait})`,
          request.url,
          answer.status,
          retryAfterMs,
        );
      }
      if (answer.status < 200 || answer.status > 299)
        throw new WebError('http', `${where}: HTTP ${answer.status}`, request.url, answer.status);
      const contentType = header(answer.headers['content-type']);
      return {
        kind: 'ok',
        url: hop.url.href,
        status: answer.status,
        contentType,
        body: decodeBody(answer.body, contentType),
        etag: header(answer.headers.etag),
        lastModified: header(answer.headers['last-modified']),
      };
    }
  }

  private headersFor(request: WebRequest, hop: Hop): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = { accept: '*/*', ...request.headers };
    // Ours win over the caller's: the size cap needs to know the encodings, and the bot its name.
    headers['user-agent'] = this.userAgent;
    headers['accept-encoding'] = 'br, gzip, deflate';
    if (request.etag) headers['if-none-match'] = request.etag;
    if (request.lastModified) headers['if-modified-since'] = request.lastModified;
    if (hop.body !== undefined) headers['content-length'] = String(Buffer.byteLength(hop.body));
    return headers;
  }

  /** Runs `task` when no other request to `host` is running and the gap since the last one passed. */
  private async inHostLane<T>(host: string, task: () => Promise<T>): Promise<T> {
    const lane = this.laneFor(host);
    lane.pending++;
    const previous = lane.tail;
    let release!: () => void;
    lane.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      const wait = lane.lastEnd + Math.max(this.minGapMs, lane.crawlDelayMs) - this.now();
      if (wait > 0) await this.sleep(wait);
      return await task();
    } finally {
      lane.lastEnd = this.now();
      lane.pending--;
      release();
    }
  }

  private laneFor(host: string): HostLane {
    const key = host.toLowerCase();
    this.dropIdleLanes();
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = { tail: Promise.resolve(), lastEnd: Number.NEGATIVE_INFINITY, crawlDelayMs: 0, pending: 0 };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /**
   * A lane with nothing queued whose gap has passed would make the next request wait for nothing, so
   * it is forgotten: the map holds only hosts fetched within their gap (a feed of many hosts must
   * not grow it forever). Its Crawl-delay comes back from the cached robots.txt.
   */
  private dropIdleLanes(): void {
    const now = this.now();
    for (const [key, lane] of this.lanes) {
      if (lane.pending === 0 && now - lane.lastEnd >= Math.max(this.minGapMs, lane.crawlDelayMs))
        this.lanes.delete(key);
    }
  }

  /** Hosts with a lane and origins with a robots.txt verdict held now (what pruning bounds). */
  heldHostState(): { readonly lanes: number; readonly robotsVerdicts: number } {
    return { lanes: this.lanes.size, robotsVerdicts: this.robots.size };
  }

  private assertLiteralAllowed(url: URL, requested: string, where: string): void {
    const refusal = literalHostRefusal(this.addressPolicy, url.hostname);
    if (refusal !== null) throw new WebError('forbidden-address', `${where}: ${refusal}`, requested);
  }

  private async assertRobotsAllow(url: URL, requested: string, where: string): Promise<void> {
    const verdict = await this.robotsFor(url.origin);
    if (verdict.kind === 'allow-all') return;
    if (verdict.kind === 'unavailable')
      throw new WebError(
        verdict.error.kind,
        `${where}: ${verdict.error.message}`,
        requested,
        verdict.error.status,
        verdict.error.retryAfterMs,
      );
    const crawlDelay = verdict.robots.getCrawlDelay(this.robotsAgent);
    if (crawlDelay !== undefined && Number.isFinite(crawlDelay) && crawlDelay > 0)
      this.laneFor(url.hostname).crawlDelayMs = Math.min(crawlDelay * 1000, this.maxCrawlDelayMs);
    // robots-parser answers undefined for a URL of another origin, which cannot happen here.
    if (verdict.robots.isAllowed(url.href, this.robotsAgent) === false)
      throw new WebError('robots', `${where}: disallowed by ${url.origin}/robots.txt`, requested);
  }

  private async robotsFor(origin: string): Promise<RobotsVerdict> {
    const cached = this.robots.get(origin);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached;
    let pending = this.robotsInFlight.get(origin);
    if (pending === undefined) {
      pending = this.readRobots(origin).finally(() => this.robotsInFlight.delete(origin));
      this.robotsInFlight.set(origin, pending);
    }
    const verdict = await pending;
    this.dropStaleVerdicts();
    this.robots.set(origin, verdict);
    return verdict;
  }

  /**
   * At each robots.txt read, expired verdicts go, then the oldest past the cap: one verdict per
   * origin ever seen would never end.
   */
  private dropStaleVerdicts(): void {
    const now = this.now();
    for (const [origin, verdict] of this.robots) if (verdict.expiresAt <= now) this.robots.delete(origin);
    for (const origin of this.robots.keys()) {
      if (this.robots.size < POLITE_DEFAULTS.maxRobotsOrigins) break;
      this.robots.delete(origin);
    }
  }

  /**
   * robots.txt as Google reads it: 2xx -> its rules; 4xx -> no rules (allow all); 5xx, 429, a
   * network failure or a timeout -> everything disallowed until a retry. Redirects are followed (up to
   * the same limit) within http(s); the body is cut at 500 KiB.
   */
  private async readRobots(origin: string): Promise<RobotsVerdict> {
    const robotsUrl = `${origin}/robots.txt`;
    let url = new URL(robotsUrl);
    try {
      for (let redirects = 0; ; redirects++) {
        const hop: Hop = { url, method: 'GET', body: undefined };
        const headers: OutgoingHttpHeaders = {
          accept: 'text/plain, */*;q=0.5',
          'user-agent': this.userAgent,
          'accept-encoding': 'br, gzip, deflate',
        };
        const answer = await this.inHostLane(url.hostname, () =>
          this.send(hop, headers, POLITE_DEFAULTS.maxRobotsBytes, robotsUrl, 'reading robots.txt', true),
        );
        const location = answer.headers.location;
        if (REDIRECT_STATUSES.has(answer.status) && location && redirects < this.maxRedirects) {
          url = parseHttpUrl(location, robotsUrl, url);
          continue;
        }
        const expiresAt = this.now() + this.robotsTtlMs;
        if (answer.status >= 200 && answer.status <= 299)
          return { kind: 'rules', robots: robotsParser(robotsUrl, answer.body.toString('utf8')), expiresAt };
        if (answer.status >= 400 && answer.status <= 499 && answer.status !== 429)
          return { kind: 'allow-all', expiresAt };
        const retryAfterMs =
          answer.status === 429 || answer.status === 503
            ? parseRetryAfter(header(answer.headers['retry-after']), this.now())
            : null;
        throw new WebError(
          answer.status === 429 || answer.status === 503 ? 'rate-limited' : 'http',
          `robots.txt answered HTTP ${answer.status}, so the site is treated as closed for now`,
          robotsUrl,
          answer.status,
          retryAfterMs,
        );
      }
    } catch (error) {
      const webError =
        error instanceof WebError
          ? error
          : new WebError('network', `reading robots.txt: ${oneLine(String(error))}`, robotsUrl);
      return { kind: 'unavailable', error: webError, expiresAt: this.now() + this.robotsRetryMs };
    }
  }

  /**
   * One HTTP exchange. Redirects, 304 and error statuses come back without their body (the socket
   * is closed); a 2xx body is read, decompressed and capped at `maxBytes` (`truncate`: cut there
   * instead of failing, for robots.txt).
   */
  private send(
    hop: Hop,
    headers: OutgoingHttpHeaders,
    maxBytes: number,
    requested: string,
    where: string,
    truncate = false,
  ): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const fail = (kind: WebFailureKind, cause: string, status: number | null = null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(new WebError(kind, `${where}: ${oneLine(cause)}`, requested, status));
      };
      const succeed = (answer: RawAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      };

      const send = hop.url.protocol === 'https:' ? httpsRequest : httpRequest;
      let req: ReturnType<typeof httpRequest>;
      try {
        // Every hop of every request passes here (robots.txt, redirects): node calls no lookup for
        // an IP literal, so that is checked now, and a name in `this.lookup`.
        this.assertLiteralAllowed(hop.url, requested, where);
        // agent: false: a fresh connection per request, so no socket outlives a fetch and two
        // clients share nothing.
        req = send(hop.url, { method: hop.method, headers, agent: false, lookup: this.lookup });
      } catch (error) {
        if (error instanceof WebError) {
          reject(error);
          return;
        }
        // e.g. a header value with a newline, refused by node before anything is sent.
        reject(new WebError('bad-url', `${where}: invalid request: ${oneLine(String(error))}`, requested));
        return;
      }
      timer = setTimeout(
        () =>
          // Never connected: the host is unreachable (or DNS hangs), a network problem; connected
          // but silent: the server is slow, a timeout.
          isConnected
            ? fail('timeout', `no response within ${this.headersTimeoutMs} ms`)
            : fail('network', `could not connect within ${this.headersTimeoutMs} ms`),
        this.headersTimeoutMs,
      );
      let isConnected = false;
      req.on('socket', (socket) => {
        const connected = () => {
          isConnected = true;
          // Belt and braces: the address connected to passed the lookup's check; should anything
          // have connected elsewhere, nothing is sent or read.
          const refusal = connectedAddressRefusal(this.addressPolicy, socket.remoteAddress);
          if (refusal !== null) fail('forbidden-address', refusal);
        };
        if (!socket.connecting) connected();
        else socket.prependOnceListener('connect', connected);
      });
      req.on('error', (error: NodeJS.ErrnoException) =>
        error instanceof ForbiddenAddressError
          ? fail('forbidden-address', error.message)
          : fail('network', describeNetworkError(error)),
      );
      req.on('response', (res) => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        const answer = { status, headers: res.headers };
        if (status < 200 || status > 299) {
          res.destroy();
          succeed({ ...answer, body: Buffer.alloc(0) });
          return;
        }
        const declared = Number(header(res.headers['content-length']) ?? NaN);
        if (!truncate && Number.isFinite(declared) && declared > maxBytes) {
          fail(
            'too-large',
            `body of ${declared} bytes is over the ${maxBytes}-byte cap (refused unread)`,
            status,
          );
          return;
        }
        timer = setTimeout(
          () => fail('timeout', `body not complete within ${this.bodyTimeoutMs} ms`, status),
          this.bodyTimeoutMs,
        );
        let stream: Readable;
        try {
          stream = decompressor(res, header(res.headers['content-encoding']));
        } catch (error) {
          fail('http', error instanceof Error ? error.message : String(error), status);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (size > maxBytes) {
            if (truncate) {
              chunks.push(chunk.subarray(0, chunk.length - (size - maxBytes)));
              stream.destroy();
              res.destroy();
              succeed({ ...answer, body: Buffer.concat(chunks) });
              return;
            }
            stream.destroy();
            res.destroy();
            fail('too-large', `body passed the ${maxBytes}-byte cap (download stopped)`, status);
            return;
          }
          chunks.push(chunk);
        });
        stream.on('end', () => succeed({ ...answer, body: Buffer.concat(chunks) }));
        stream.on('error', (error: NodeJS.ErrnoException) =>
          fail(
            error.code?.startsWith('Z_') || error.code?.startsWith('ERR_') ? 'http' : 'network',
            `body could not be read: ${describeNetworkError(error)}`,
            status,
          ),
        );
        res.on('close', () => {
          if (!res.complete) fail('network', 'connection closed before the body ended', status);
        });
        res.on('error', (error: NodeJS.ErrnoException) =>
          fail('network', describeNetworkError(error), status),
        );
      });
      req.end(hop.body);
    });
  }
}

function header(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

function parseHttpUrl(raw: string, requested: string, base: URL | null): URL {
  let url: URL;
  try {
    url = base === null ? new URL(raw) : new URL(raw, base);
  } catch {
    throw new WebError('bad-url', `${oneLine(raw)}: not a valid URL`, requested);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const what = base === null ? oneLine(raw) : `${oneLine(requested)} (redirected to ${oneLine(url.href)})`;
    throw new WebError('bad-url', `${what}: only http and https are fetched, not ${url.protocol}`, requested);
  }
  return url;
}

function describeNetworkError(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  const words = NETWORK_CODES[code];
  if (words !== undefined) {
    const host = (error as { hostname?: string }).hostname;
    return host === undefined ? `${words} (${code})` : `${words}: ${host} (${code})`;
  }
  if (/CERT|SSL|TLS/i.test(code)) return `TLS certificate problem (${code})`;
  return code === '' ? error.message : `${error.message} (${code})`;
}

function decompressor(res: IncomingMessage, encoding: string | null): Readable {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return res;
  if (name === 'gzip' || name === 'x-gzip') return res.pipe(createGunzip());
  if (name === 'br') return res.pipe(createBrotliDecompress());
  // RFC 9110's deflate is zlib-wrapped; the rare server sending raw deflate fails with a clear error.
  if (name === 'deflate') return res.pipe(createInflate());
  throw new Error(`unsupported Content-Encoding "${oneLine(name, 40)}"`);
}

/**
 * Decodes a body: the charset of Content-Type, else a BOM, else a `<meta charset>` or XML
 * `encoding=` in the first 1024 bytes, else UTF-8. An unknown label falls back to UTF-8.
 */
export function decodeBody(body: Buffer, contentType: string | null): string {
  const declared = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  const head = body.subarray(0, 1024).toString('latin1');
  const sniffed = /^\xEF\xBB\xBF/.test(head)
    ? 'utf-8'
    : /^\xFE\xFF/.test(head)
      ? 'utf-16be'
      : /^\xFF\xFE/.test(head)
        ? 'utf-16le'
        : (/<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ??
          /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head)?.[1]);
  const label = declared ?? sniffed ?? 'utf-8';
  if (WINDOWS_1252_LABELS.has(label.toLowerCase())) return decodeWindows1252(body);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(body);
}

/** Labels the Encoding Standard maps to windows-1252 (what browsers do with "latin1" pages). */
const WINDOWS_1252_LABELS = new Set([
  'windows-1252',
  'cp1252',
  'x-cp1252',
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'latin1',
  'l1',
  'us-ascii',
  'ascii',
  'iso-ir-100',
  'csisolatin1',
  'cp819',
  'ibm819',
  'iso88591',
  'iso_8859-1:1987',
]);
/** windows-1252's 0x80-0x9F (0 marks the five unassigned bytes, kept as their C1 code point). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];

/**
 * Node 20's TextDecoder decodes windows-1252 as ISO-8859-1 (curly quotes and dashes come out as C1
 * control characters), so the one table that differs is applied here.
 */
function decodeWindows1252(body: Buffer): string {
  let text = '';
  for (let start = 0; start < body.length; start += 8192) {
    const codes = Array.from(body.subarray(start, start + 8192), (byte) =>
      byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] || byte : byte,
    );
    text += String.fromCharCode(...codes);
  }
  return text;
}
