import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIPv6, type AddressInfo } from 'node:net';
import { populateErrorResponse, populateSuccessfulResponse } from '@discordjs/proxy';
// @discordjs/rest itself, not discord.js's re-export: discord.js loads its CommonJS build, and the
// proxy's error mapping checks `instanceof` against the ES module build's error classes.
import { DefaultRestOptions, REST, RESTEvents, type RequestMethod, type RouteLike } from '@discordjs/rest';
import { RESTJSONErrorCodes } from 'discord.js';
import type { Logger } from '../logger.js';
import { redactDiscordPath } from '../util/tokenRedaction.js';

export interface ProxyServerOptions {
  /** Where requests go: Discord's REST base (`https://discord.com/api`) or a loopback server's. */
  readonly apiBase: string;
  /** 0 picks a free port. */
  readonly port: number;
  /**
   * The address to listen on; default 127.0.0.1. Whoever reaches the proxy can send requests as
   * the bot (the proxy forwards any token it is given), so it is opened only on purpose (compose:
   * 0.0.0.0 inside its own network).
   */
  readonly host?: string;
  readonly logger: Logger;
}

export interface ProxyServer {
  /** `http://host:port/api`: what the bots take as DISCORD_API_BASE. */
  readonly apiBase: string;
  /** The address it listens on, as the socket reports it. */
  readonly address: string;
  readonly port: number;
  /** Requests under the global limit waiting in the proxy (or out to Discord) right now. */
  readonly queued: number;
  /** Stops accepting requests, lets those in flight finish, and stops the REST client's timers. */
  close(): Promise<void>;
}

/**
 * Discord's REST API behind one process, so that every bot process shares one view of its rate
 * limits: each request (with the bot's own Authorization header) goes through a single
 * @discordjs/rest client, which queues per route bucket and for the global limit, and waits out a
 * 429 instead of handing it back. Bots point DISCORD_API_BASE at {@link ProxyServer.apiBase}.
 * Bounded: a body over {@link MAX_REQUEST_BODY_BYTES} gets 413, and past
 * {@link MAX_QUEUED_REQUESTS} waiting a request gets 503 with Retry-After; neither is forwarded.
 */
export async function startProxyServer(options: ProxyServerOptions): Promise<ProxyServer> {
  const { logger } = options;
  // The proxy forwards the bot's token with each request; it holds none itself.
  const global = slidingWindow(GLOBAL_PER_SECOND, 1000);
  const rest = new REST({
    api: options.apiBase,
    version: '10',
    // @discordjs/rest counts the global limit in one-second windows of its own, which Discord's
    // need not match: two of its windows' worth can land in one of Discord's seconds and draw a
    // global 429 that stalls every bot. Each request leaving the proxy waits its turn in a sliding
    // second as well; interactions' answers are not under the global limit and pass straight on.
    makeRequest: async (url, init) => {
      if (!isExemptFromGlobalLimit(new URL(url).pathname)) await global();
      return DefaultRestOptions.makeRequest(url, init);
    },
  });
  rest.on(RESTEvents.RateLimited, (info) =>
    logger.info(
      {
        route: redactDiscordPath(info.route),
        global: info.global,
        retryAfterMs: info.retryAfter,
        scope: info.scope,
      },
      'rate limited: queueing',
    ),
  );
  const queue = admission(logger);
  const server = createServer((req, res) => void handle(rest, queue, req, res, logger));
  await listen(server, options.port, options.host ?? '127.0.0.1');
  const { address, port } = server.address() as AddressInfo;
  const apiBase = `http://${reachableHost(address)}:${port}/api`;
  logger.info({ address, port, apiBase, target: options.apiBase }, 'REST proxy listening');
  return {
    apiBase,
    address,
    port,
    get queued() {
      return queue.waiting;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
  };
}

async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Where a client on this host reaches an address listened on (every interface: loopback). */
function reachableHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return isIPv6(address) ? `[${address}]` : address;
}

/**
 * The largest request body forwarded: Discord's own limit, "The maximum request size when sending
 * a message is 25 MiB" (Create Message, discord.com/developers/docs/resources/message). A bot's
 * default upload limit per file is lower (10 MiB); the request limit is what Discord itself refuses
 * with 413, so nothing Discord would take is refused here.
 */
export const MAX_REQUEST_BODY_BYTES = 25 * 1024 * 1024;

/**
 * How many requests under the global limit may wait in the proxy at once: five seconds' worth at
 * {@link GLOBAL_PER_SECOND}. Past it a request gets 503 at once rather than joining a queue that
 * one flooding client could grow without end, delaying every other bot's requests behind its own;
 * the wait for a turn at the gate also stays well under @discordjs/rest's 15 s request timeout.
 */
export const MAX_QUEUED_REQUESTS = 240;

/**
 * Discord's global limit is 50 requests per second for one bot, interactions' answers excepted. The
 * gate lets 48 through: a request's trip from here to Discord varies by milliseconds, and a few
 * delayed ones could otherwise fall into the next second with its full 50.
 */
export const GLOBAL_PER_SECOND = 48;
const INTERACTION_ROUTE = /\/(interactions|webhooks)\//;

/**
 * Interactions' answers and webhooks (interactions' follow-ups) are not under the bot's global
 * limit: they skip the gate and the queue's bound, so an answer due within Discord's 3 s is never
 * held behind a digest's fan-out.
 */
function isExemptFromGlobalLimit(pathname: string): boolean {
  return INTERACTION_ROUTE.test(pathname);
}

/**
 * A gate that lets at most `limit` callers through in any `windowMs`, in the order they came: each
 * resolves when its turn is free.
 */
export function slidingWindow(limit: number, windowMs: number): () => Promise<void> {
  const passed: number[] = [];
  let queue = Promise.resolve();
  return () => {
    const turn = queue.then(async () => {
      for (;;) {
        const now = Date.now();
        while (passed.length > 0 && (passed[0] ?? 0) <= now - windowMs) passed.shift();
        if (passed.length < limit) {
          passed.push(now);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, (passed[0] ?? now) + windowMs - now));
      }
    });
    queue = turn;
    return turn;
  };
}

/** Counts the requests under the global limit in the proxy, and refuses one past the bound. */
interface Admission {
  readonly waiting: number;
  /** Counts the request in, or says how long to wait (seconds) when the queue is full. */
  enter(): { admitted: true; leave: () => void } | { admitted: false; retryAfterSeconds: number };
}

function admission(logger: Logger): Admission {
  let waiting = 0;
  let refusing = false;
  return {
    get waiting() {
      return waiting;
    },
    enter() {
      if (waiting >= MAX_QUEUED_REQUESTS) {
        // Logged once as the queue fills, not once per refused request of a flood.
        if (!refusing) logger.warn({ queued: waiting }, 'REST proxy queue full: answering 503');
        refusing = true;
        return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(waiting / GLOBAL_PER_SECOND)) };
      }
      waiting += 1;
      let left = false;
      return {
        admitted: true,
        leave: () => {
          if (left) return;
          left = true;
          waiting -= 1;
          if (refusing && waiting < MAX_QUEUED_REQUESTS) refusing = false;
        },
      };
    },
  };
}

/**
 * One request: refused when its declared body is too large or the queue is full (nothing read,
 * nothing forwarded), else read (refused if it grows too large) and forwarded.
 */
async function handle(
  rest: REST,
  queue: Admission,
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
): Promise<void> {
  const started = Date.now();
  const logged = { method: req.method, url: redactDiscordPath((req.url ?? '/').split('?')[0] ?? '/') };
  try {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BODY_BYTES) {
      return tooLarge(res, logged, logger);
    }
    const turn = isExemptFromGlobalLimit(url.pathname) ? undefined : queue.enter();
    if (turn && !turn.admitted) {
      res.writeHead(503, {
        'content-type': 'application/json',
        'retry-after': String(turn.retryAfterSeconds),
      });
      res.end(
        JSON.stringify({
          message: `REST proxy queue full: retry after ${turn.retryAfterSeconds} s`,
          code: 0,
        }),
      );
      return;
    }
    try {
      const body = await readBody(req, MAX_REQUEST_BODY_BYTES);
      if (body === 'too large') return tooLarge(res, logged, logger);
      await forward(rest, url, req, body, res, logger, logged);
    } finally {
      turn?.leave();
    }
  } catch (error) {
    // The client hung up while sending its body (or sent a URL that is none): nothing to forward,
    // and no one to answer. Caught here, as the server calls this without awaiting it.
    logger.warn({ ...logged, err: error }, 'reading a request failed');
    res.destroy();
  } finally {
    logger.debug({ ...logged, status: res.statusCode, ms: Date.now() - started }, 'proxied');
  }
}

/** 413 with Discord's own error code for it, and the connection closed (the rest is not read). */
function tooLarge(res: ServerResponse, logged: object, logger: Logger): void {
  logger.warn({ ...logged, maxBytes: MAX_REQUEST_BODY_BYTES }, 'request body too large: refused');
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  res.end(
    JSON.stringify({
      message: `Request entity too large: the limit is ${MAX_REQUEST_BODY_BYTES} bytes`,
      code: RESTJSONErrorCodes.RequestEntityTooLarge,
    }),
  );
}

/**
 * The whole body, or `'too large'` as soon as more than `limit` bytes arrived (a chunked body
 * declares no length); reading then stops.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      req.pause();
      resolve('too large');
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * @discordjs/proxy's `proxyRequests`, except that the body is read whole before it is queued: it
 * hands the request stream on as the body, so a request retried after a 429 or a 5xx went out
 * again empty (a message posted without its content). Responses are written by @discordjs/proxy's
 * own helpers.
 */
async function forward(
  rest: REST,
  url: URL,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  logger: Logger,
  logged: object,
): Promise<void> {
  try {
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization', 'x-audit-log-reason']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const response = await rest.queueRequest({
      fullRoute: url.pathname.replace(/^\/api(\/v\d+)?/, '') as RouteLike,
      // Discord answers an unknown method itself (405).
      method: (req.method ?? 'GET') as RequestMethod,
      body: body.length > 0 ? body : undefined,
      passThroughBody: true,
      // The bot's Authorization header is forwarded as it came.
      auth: false,
      query: url.searchParams,
      headers,
    });
    await populateSuccessfulResponse(res, response);
  } catch (error) {
    // Discord's own errors and rate limits are handed back as Discord gave them; anything else
    // (Discord unreachable, a broken pipe) is a 502.
    if (!populateErrorResponse(res, error)) {
      logger.error({ ...logged, err: error }, 'proxying a request failed');
      if (!res.headersSent) res.statusCode = 502;
    }
  } finally {
    res.end();
  }
}
