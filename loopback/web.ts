/**
 * A real HTTP server on 127.0.0.1 (random port) for tests of the web client and the connectors.
 * Routes map a path (with or without its query) to a handler or a static answer; every request is
 * logged with its method, path, headers and arrival time so tests can assert what was sent and when.
 *
 * Static answers behave like a well-kept web server: they compress when the client asks
 * (br, gzip or deflate), and answer 304 when If-None-Match / If-Modified-Since match their ETag /
 * Last-Modified. Handlers do whatever a test needs (never answer, stream 20 MB, redirect forever).
 *
 * The same port is also opened on ::1 when the machine has IPv6, so `http://localhost:PORT` reaches
 * the same routes whichever address `localhost` resolves to: tests use 127.0.0.1 and localhost as two
 * distinct hosts.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { lookup as systemLookup } from 'node:dns';
import type { AddressInfo, LookupFunction, Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

/** One request as the server saw it. */
export interface RecordedWebRequest {
  readonly method: string;
  /** Path with query, as sent (e.g. `/feed.xml?page=2`). */
  readonly path: string;
  /** The Host header (e.g. `127.0.0.1:4567` or `localhost:4567`): tells the two test hosts apart. */
  readonly host: string;
  readonly headers: IncomingHttpHeaders;
  /** Request body (POST), as UTF-8 text. */
  body: string;
  /** Arrival time, `performance.now()` milliseconds (monotonic: subtract two to measure a gap). */
  readonly at: number;
  /** Arrival time, epoch milliseconds. */
  readonly receivedAt: number;
  /** Status answered (null until the head was written). */
  status: number | null;
  /** Body bytes the server wrote (after compression), updated as a streamed body goes out. */
  bytesSent: number;
  /** True when the client went away before the answer ended. */
  clientAborted: boolean;
}

/** What a handler receives beside the raw request and response. */
export interface RouteContext {
  readonly server: LoopbackWeb;
  readonly record: RecordedWebRequest;
  /** How many times this route (same key) has been requested, this one included (1-based). */
  readonly hit: number;
}

export type WebHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
) => void | Promise<void>;

/** A static answer. */
export interface StaticAnswer {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /**
   * Content-Encoding: `auto` (default) picks br, then gzip, then deflate from Accept-Encoding;
   * `identity` never compresses; a named encoding is used whatever the client asked (to test a
   * client that receives an encoding it did not prefer).
   */
  readonly encoding?: 'auto' | 'identity' | 'gzip' | 'br' | 'deflate';
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

export type WebRoute = WebHandler | StaticAnswer;

export interface BodyOptions {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly encoding?: StaticAnswer['encoding'];
  readonly delayMs?: number;
}

function withBody(contentType: string, body: string, options: BodyOptions = {}): StaticAnswer {
  const headers: Record<string, string> = { 'content-type': contentType, ...options.headers };
  if (options.etag !== undefined) headers.etag = options.etag;
  if (options.lastModified !== undefined) headers['last-modified'] = options.lastModified;
  return {
    status: options.status ?? 200,
    headers,
    body,
    ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
  };
}

/** `text/plain; charset=utf-8`. */
export const text = (body: string, options?: BodyOptions): StaticAnswer =>
  withBody('text/plain; charset=utf-8', body, options);
/** `application/xml` (RSS, Atom, RDF: pass `headers: {'content-type': ...}` to be more specific). */
export const xml = (body: string, options?: BodyOptions): StaticAnswer =>
  withBody('application/xml; charset=utf-8', body, options);
/** `application/json`, the value serialized. */
export const json = (value: unknown, options?: BodyOptions): StaticAnswer =>
  withBody('application/json; charset=utf-8', JSON.stringify(value), options);
/** `text/html; charset=utf-8`. */
export const html = (body: string, options?: BodyOptions): StaticAnswer =>
  withBody('text/html; charset=utf-8', body, options);
/** A robots.txt body (mount it at `/robots.txt`). */
export const robotsTxt = (body: string, options?: BodyOptions): StaticAnswer =>
  withBody('text/plain; charset=utf-8', body, options);

/** A bare status with an optional short body. */
export const status = (code: number, body = '', headers: Record<string, string> = {}): StaticAnswer => ({
  status: code,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  body,
  encoding: 'identity',
});

/** 302 (or another 3xx) to `location` (absolute, or relative to this server). */
export const redirect = (location: string, code = 302): StaticAnswer => ({
  status: code,
  headers: { location },
  body: '',
  encoding: 'identity',
});

/** 429 (or 503) with an optional Retry-After value, sent verbatim (seconds, an HTTP-date, or junk). */
export const rateLimited = (retryAfter?: string, code: 429 | 503 = 429): StaticAnswer =>
  status(code, 'slow down', retryAfter === undefined ? {} : { 'retry-after': retryAfter });

/** Redirects every request to the same path with `?hop=N+1`: a chain that never ends. */
export const endlessRedirects =
  (code = 302): WebHandler =>
  (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const hop = Number(url.searchParams.get('hop') ?? '0') + 1;
    url.searchParams.set('hop', String(hop));
    res.writeHead(code, { location: `${url.pathname}${url.search}` });
    res.end();
  };

/** Never answers: the request stays open until the client gives up or the server closes. */
export const neverAnswers = (): WebHandler => () => {};

/** Sends the head (200) and a first chunk, then never finishes the body. */
export const stallsAfterHeaders =
  (firstChunk = 'partial'): WebHandler =>
  (_req, res, ctx) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.write(firstChunk);
    ctx.record.bytesSent += Buffer.byteLength(firstChunk);
  };

/** Resolves true on 'drain', false when the response closes first; leaves no listener behind. */
function drainedOrClosed(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (drained: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(drained);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/**
 * Streams `bytes` bytes of 'x' in 64 KiB chunks, respecting back-pressure, and stops as soon as the
 * client goes away. With `contentLength: false` the body is chunked (no Content-Length), so only a
 * client that counts can stop it.
 */
export const largeBody =
  (bytes: number, options: { contentLength?: boolean; contentType?: string } = {}): WebHandler =>
  async (_req, res, ctx) => {
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'text/plain' };
    if (options.contentLength ?? true) headers['content-length'] = String(bytes);
    res.writeHead(200, headers);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let left = bytes;
    while (left > 0 && !res.destroyed && !ctx.record.clientAborted) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      ctx.record.bytesSent += piece.length;
      if (!res.write(piece) && !(await drainedOrClosed(res))) return;
    }
    if (!res.destroyed) res.end();
  };

/** Answers the routes in order, one per request, repeating the last one (e.g. five 500s then 200). */
export const sequence =
  (...routes: readonly WebRoute[]): WebHandler =>
  (req, res, ctx) => {
    const route = routes[Math.min(ctx.hit, routes.length) - 1];
    if (route === undefined) throw new Error('sequence() needs at least one route');
    return answer(route, req, res, ctx);
  };

/** `n` answers of `code` (default 500) then `then` (default: keep failing). */
export const storm = (n: number, then?: WebRoute, code = 500): WebHandler =>
  sequence(
    ...Array.from({ length: n }, () => status(code, 'server error')),
    then ?? status(code, 'server error'),
  );

/** Delays any route by `ms`. */
export const delayed =
  (ms: number, route: WebRoute): WebHandler =>
  async (req, res, ctx) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (!ctx.record.clientAborted) await answer(route, req, res, ctx);
  };

function pickEncoding(
  accept: string | undefined,
  wanted: StaticAnswer['encoding'],
): 'br' | 'gzip' | 'deflate' | null {
  if (wanted === 'identity') return null;
  if (wanted === 'br' || wanted === 'gzip' || wanted === 'deflate') return wanted;
  const offered = new Set(
    (accept ?? '')
      .split(',')
      .map((part) => part.trim().split(';')[0]?.trim().toLowerCase() ?? '')
      .filter(Boolean),
  );
  for (const encoding of ['br', 'gzip', 'deflate'] as const) if (offered.has(encoding)) return encoding;
  return null;
}

function isNotModified(req: IncomingMessage, headers: Readonly<Record<string, string>>): boolean {
  const etag = headers.etag ?? headers.ETag;
  const lastModified = headers['last-modified'] ?? headers['Last-Modified'];
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined && etag !== undefined) {
    // A weak comparison, as RFC 9110 asks for If-None-Match.
    const strip = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch === '*' || ifNoneMatch.split(',').some((tag) => strip(tag) === strip(etag));
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince !== undefined && lastModified !== undefined) {
    const since = Date.parse(ifModifiedSince);
    const modified = Date.parse(lastModified);
    return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
  }
  return false;
}

async function answer(
  route: WebRoute,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  if (typeof route === 'function') {
    await route(req, res, ctx);
    return;
  }
  if (route.delayMs !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, route.delayMs));
    if (ctx.record.clientAborted) return;
  }
  const headers: Record<string, string> = { ...route.headers };
  const code = route.status ?? 200;
  if (code === 200 && isNotModified(req, headers)) {
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers))
      if (/^(etag|last-modified|cache-control)$/i.test(name)) kept[name] = value;
    res.writeHead(304, kept);
    res.end();
    return;
  }
  let body = typeof route.body === 'string' ? Buffer.from(route.body) : (route.body ?? Buffer.alloc(0));
  const encoding = body.length > 0 ? pickEncoding(req.headers['accept-encoding'], route.encoding) : null;
  if (encoding !== null) {
    body =
      encoding === 'br' ? brotliCompressSync(body) : encoding === 'gzip' ? gzipSync(body) : deflateSync(body);
    headers['content-encoding'] = encoding;
    headers.vary = 'Accept-Encoding';
  }
  headers['content-length'] = String(body.length);
  res.writeHead(code, headers);
  ctx.record.bytesSent += req.method === 'HEAD' ? 0 : body.length;
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * The networks the loopback web answers on (127.0.0.1, and ::1 when the machine has it), which a
 * client under test must allow: the fetcher refuses loopback addresses unless allowed.
 */
export const LOOPBACK_WEB_NETWORKS: readonly string[] = ['127.0.0.1/32', '::1/128'];
/** The same as FETCH_ALLOW_NETWORKS, for a bot or CLI built from its config. */
export const LOOPBACK_WEB_ALLOW = LOOPBACK_WEB_NETWORKS.join(',');

/** Names this machine answers for itself; nothing else is ever looked up. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * A resolver for clients under test: loopback names resolve as the system resolves them (from
 * /etc/hosts, no query leaves the machine); any other name fails at once with ENOTFOUND, as it does
 * on a machine without DNS, so tests of an unknown host never send a DNS query out.
 */
export const loopbackOnlyLookup: LookupFunction = (hostname, options, callback) => {
  if (LOOPBACK_NAMES.has(hostname)) {
    systemLookup(hostname, options, callback);
    return;
  }
  const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  error.code = 'ENOTFOUND';
  process.nextTick(() => callback(error, '', 0));
};

/** The loopback web server. Start with `LoopbackWeb.start(routes)`, end with `close()`. */
export class LoopbackWeb {
  /** Every request received, in arrival order. */
  readonly requests: RecordedWebRequest[] = [];
  private readonly routes = new Map<string, WebRoute>();
  private readonly hits = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly servers: Server[] = [];
  private portNumber = 0;

  private constructor(routes: Readonly<Record<string, WebRoute>>) {
    for (const [path, route] of Object.entries(routes)) this.routes.set(path, route);
  }

  /** Starts on 127.0.0.1 with a random port (and on ::1 at the same port when possible). */
  static async start(routes: Readonly<Record<string, WebRoute>> = {}): Promise<LoopbackWeb> {
    const web = new LoopbackWeb(routes);
    const v4 = web.createServer();
    v4.listen(0, '127.0.0.1');
    await once(v4, 'listening');
    web.portNumber = (v4.address() as AddressInfo).port;
    const v6 = web.createServer();
    try {
      v6.listen(web.portNumber, '::1');
      await once(v6, 'listening');
    } catch {
      // No IPv6 loopback here, or the port is taken on ::1: localhost then resolves to 127.0.0.1.
      web.servers.pop();
    }
    return web;
  }

  get port(): number {
    return this.portNumber;
  }

  /** `http://127.0.0.1:PORT` (no trailing slash). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  /** The same server under another host name, e.g. `localhost`, to act as a second host. */
  baseUrlFor(host: string): string {
    return `http://${host}:${this.portNumber}`;
  }

  /** `baseUrl + path` (path starts with '/'). */
  url(path: string, host = '127.0.0.1'): string {
    return `${this.baseUrlFor(host)}${path}`;
  }

  /** Adds or replaces a route. The key is a path (`/feed.xml`) or a path with query (`/search?page=2`). */
  route(path: string, route: WebRoute): this {
    this.routes.set(path, route);
    return this;
  }

  /** Requests whose path (without query) equals `path`, or matches a RegExp against the full path. */
  requestsTo(path: string | RegExp): RecordedWebRequest[] {
    return this.requests.filter((r) =>
      typeof path === 'string' ? r.path.split('?')[0] === path : path.test(r.path),
    );
  }

  /** Forgets the request log and the per-route hit counts. */
  resetLog(): void {
    this.requests.length = 0;
    this.hits.clear();
  }

  /** Closes the listeners and every open connection (including those a `neverAnswers` route holds). */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  }

  private createServer(): Server {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.servers.push(server);
    return server;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    const record: RecordedWebRequest = {
      method: req.method ?? 'GET',
      path,
      host: req.headers.host ?? '',
      headers: req.headers,
      body: '',
      at: performance.now(),
      receivedAt: Date.now(),
      status: null,
      bytesSent: 0,
      clientAborted: false,
    };
    this.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.clientAborted = true;
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    await once(req, 'end').catch(() => undefined);
    record.body = Buffer.concat(chunks).toString('utf8');

    const key = this.routes.has(path) ? path : (path.split('?')[0] ?? path);
    const route = this.routes.get(key);
    const hit = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, hit);
    const originalWriteHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = (...args: unknown[]) => {
      record.status = args[0] as number;
      return originalWriteHead(...args);
    };
    try {
      await answer(route ?? status(404, 'not found'), req, res, { server: this, record, hit });
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`loopbackWeb handler failed: ${String(error)}`);
      } else res.destroy();
    }
  }
}
