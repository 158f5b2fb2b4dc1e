import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { populateErrorResponse, populateSuccessfulResponse } from '@discordjs/proxy';
// @discordjs/rest itself, not discord.js's re-export: discord.js loads its CommonJS build, and the
// proxy's error mapping checks `instanceof` against the ES module build's error classes.
import { DefaultRestOptions, REST, RESTEvents, type RequestMethod, type RouteLike } from '@discordjs/rest';
import type { Logger } from '../logger.js';

export interface ProxyServerOptions {
  /** Where requests go: Discord's REST base (`https://discord.com/api`) or a loopback server's. */
  readonly apiBase: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Defaults to every interface (a container's port); tests pass 127.0.0.1. */
  readonly host?: string;
  readonly logger: Logger;
}

export interface ProxyServer {
  /** `http://host:port/api`: what the bots take as DISCORD_API_BASE. */
  readonly apiBase: string;
  readonly port: number;
  /** Stops accepting requests, lets those in flight finish, and stops the REST client's timers. */
  close(): Promise<void>;
}

/**
 * Discord's REST API behind one process, so that every bot process shares one view of its rate
 * limits: each request (with the bot's own Authorization header) goes through a single
 * @discordjs/rest client, which queues per route bucket and for the global limit, and waits out a
 * 429 instead of handing it back. Bots point DISCORD_API_BASE at {@link ProxyServer.apiBase}.
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
      if (!INTERACTION_ROUTE.test(new URL(url).pathname)) await global();
      return DefaultRestOptions.makeRequest(url, init);
    },
  });
  rest.on(RESTEvents.RateLimited, (info) =>
    logger.info(
      { route: info.route, global: info.global, retryAfterMs: info.retryAfter, scope: info.scope },
      'rate limited: queueing',
    ),
  );
  const server = createServer((req, res) => void forward(rest, req, res, logger));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port, target: options.apiBase }, 'REST proxy listening');
  return {
    apiBase: `http://${options.host ?? '127.0.0.1'}:${port}/api`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
  };
}

/**
 * Discord's global limit is 50 requests per second for one bot, interactions' answers excepted. The
 * gate lets 48 through: a request's trip from here to Discord varies by milliseconds, and a few
 * delayed ones could otherwise fall into the next second with its full 50.
 */
const GLOBAL_PER_SECOND = 48;
const INTERACTION_ROUTE = /\/(interactions|webhooks)\//;

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

/**
 * @discordjs/proxy's `proxyRequests`, except that the body is read whole before it is queued: it
 * hands the request stream on as the body, so a request retried after a 429 or a 5xx went out
 * again empty (a message posted without its content). Responses are written by @discordjs/proxy's
 * own helpers.
 */
async function forward(rest: REST, req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization', 'x-audit-log-reason']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const response = await rest.queueRequest({
      fullRoute: url.pathname.replace(/^\/api(\/v\d+)?/, '') as RouteLike,
      // Discord answers an unknown method itself (405).
      method: (req.method ?? 'GET') as RequestMethod,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
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
      logger.error({ err: error, method: req.method, url: req.url }, 'proxying a request failed');
      if (!res.headersSent) res.statusCode = 502;
    }
  } finally {
    res.end();
  }
}
