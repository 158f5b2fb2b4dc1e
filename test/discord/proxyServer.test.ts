import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelType, DiscordAPIError, REST, RESTEvents, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoopbackDiscord } from '../../loopback/discord.js';
import {
  GLOBAL_PER_SECOND,
  MAX_QUEUED_REQUESTS,
  MAX_REQUEST_BODY_BYTES,
  slidingWindow,
  startProxyServer,
  type ProxyServer,
} from '../../src/discord/proxyServer.js';
import { createLogger } from '../../src/logger.js';

/** A bot process's REST client, as discord.js builds it from DISCORD_API_BASE, and what it saw. */
function botRest(apiBase: string, token: string) {
  const rest = new REST({ api: apiBase, version: '10' }).setToken(token);
  const statuses: number[] = [];
  rest.on(RESTEvents.Response, (_request, response) => statuses.push(response.status));
  return { rest, statuses };
}

/**
 * A plain HTTP server on 127.0.0.1 standing in for Discord where the loopback Discord cannot: it
 * records every request (path and body size), answers interaction callbacks 204 and the rest 200,
 * drops the connection for paths ending in /fail, and holds channel requests while `holding`.
 */
async function startUpstream() {
  const requests: { method: string; path: string; bytes: number }[] = [];
  const held: (() => void)[] = [];
  let holding = false;
  const answer = (req: IncomingMessage, res: ServerResponse, bytes: number) => {
    const path = req.url ?? '';
    requests.push({ method: req.method ?? '', path, bytes });
    if (path.endsWith('/fail')) return void req.socket.destroy();
    if (path.endsWith('/callback')) return void res.writeHead(204).end();
    const respond = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');
    if (holding && path.includes('/channels/')) held.push(respond);
    else respond();
  };
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => answer(req, res, bytes));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    apiBase: `http://127.0.0.1:${port}/api`,
    requests,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      for (const respond of held.splice(0)) respond();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The shipped logger, writing into an array. */
function capturedLogs() {
  const lines: string[] = [];
  const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Sends a body with node:http (`declared`: with a Content-Length that large, else chunked),
 * writing `chunks` until the proxy answers, and resolves with the answer: a refusal may come
 * before the body is written, and the writes after it may fail.
 */
async function sendBody(
  url: string,
  chunks: readonly Buffer[],
  declared?: number,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        authorization: 'Bot t',
        ...(declared === undefined ? {} : { 'content-length': String(declared) }),
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        req.destroy();
      });
    });
    // The proxy closes the connection after a refusal; writes still under way then fail.
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
    for (const chunk of chunks) req.write(chunk);
    if (declared === undefined || chunks.reduce((n, c) => n + c.length, 0) === declared) req.end();
  });
}

describe('proxyServer', () => {
  describe('startProxyServer', () => {
    let discord: LoopbackDiscord;
    let proxy: ProxyServer;

    beforeEach(async () => {
      discord = await LoopbackDiscord.start();
      proxy = await startProxyServer({
        apiBase: discord.apiBase,
        port: 0,
        host: '127.0.0.1',
        logger: createLogger('silent'),
      });
    });

    afterEach(async () => {
      await proxy.close();
      await discord.close();
    });

    it('forwards a bot’s message, with its token, to Discord and hands back Discord’s answer', async () => {
      const channelId = discord.channel('general').id;
      const { rest } = botRest(proxy.apiBase, discord.token);

      const message = (await rest.post(Routes.channelMessages(channelId), {
        body: { content: 'through the proxy' },
      })) as { id: string; content: string };

      expect(message.content).toBe('through the proxy');
      expect(discord.channelMessages(channelId).map((m) => m.id)).toContain(message.id);
      const [request] = discord.requestsTo('POST', `/channels/${channelId}/messages`);
      expect(request?.headers.authorization).toBe(`Bot ${discord.token}`);
    });

    it('hands back Discord’s errors as they are (a wrong token: 401)', async () => {
      const { rest } = botRest(proxy.apiBase, 'not-the-token');

      const error = await rest.get(Routes.gatewayBot()).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DiscordAPIError);
      expect((error as DiscordAPIError).status).toBe(401);
    });

    it('queues every process’s requests while one of them waits out a global 429: no bot sees a 429', async () => {
      const general = discord.channel('general').id;
      const announcements = discord.channel('announcements').id;
      discord.inject({
        method: 'POST',
        path: `/channels/${general}/messages`,
        fault: { kind: 'rateLimit', retryAfter: 1, global: true },
      });
      const first = botRest(proxy.apiBase, discord.token);
      const second = botRest(proxy.apiBase, discord.token);

      // The first process hits the global limit...
      const firstPost = first.rest.post(Routes.channelMessages(general), { body: { content: 'first' } });
      const limited = await discord.waitFor(() => discord.requests.find((r) => r.status === 429));
      // ...then the second posts elsewhere (another route, another bucket) while the proxy waits.
      const secondPosts = [1, 2, 3].map((n) =>
        second.rest.post(Routes.channelMessages(announcements), { body: { content: `second ${n}` } }),
      );
      await Promise.all([firstPost, ...secondPosts]);

      expect(discord.requests.filter((r) => r.status === 429)).toHaveLength(1);
      expect([...first.statuses, ...second.statuses].every((status) => status === 200)).toBe(true);
      const afterwards = discord.requests.filter((r) => r.method === 'POST' && r !== limited);
      expect(afterwards).toHaveLength(4);
      for (const request of afterwards) {
        // Retry-After: 1 s, counted by the proxy from when it read the 429 (a little after it was sent).
        expect(request.receivedAt - limited.receivedAt).toBeGreaterThanOrEqual(950);
      }
      expect(discord.channelMessages(announcements).map((m) => m.content)).toEqual(
        expect.arrayContaining(['second 1', 'second 2', 'second 3']),
      );
      expect(discord.channelMessages(general).map((m) => m.content)).toContain('first');
    });

    it('spaces every bot’s requests to the global limit, leaving a margin, without a 429 to learn it from', async () => {
      // Three bot processes post 130 messages over 26 channels at once (5 each, under the per-channel
      // limit). The loopback enforces no global limit, so only the proxy's gate can spread them.
      const guild = discord.addGuild({
        channels: Array.from({ length: 26 }, (_, k) => ({ name: `c${k}`, type: ChannelType.GuildText })),
      });
      const channels = guild.channels.map((c) => c.id);
      const bots = [1, 2, 3].map(() => botRest(proxy.apiBase, discord.token));
      await Promise.all(
        Array.from({ length: 130 }, (_, n) =>
          bots[n % 3]!.rest.post(Routes.channelMessages(channels[n % 26]!), { body: { content: `m${n}` } }),
        ),
      );
      const times = discord.requests
        .filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))
        .map((r) => r.receivedAt)
        .sort((a, b) => a - b);
      expect(times).toHaveLength(130);
      expect(bots.every((b) => b.statuses.every((status) => status === 200))).toBe(true);
      // 48 a second: the first 48 at once, the next 48 a second later, the last 34 a second after.
      expect(times[47]! - times[0]!).toBeLessThan(900);
      expect(times[48]! - times[0]!).toBeGreaterThanOrEqual(900);
      expect(times[96]! - times[0]!).toBeGreaterThanOrEqual(1900);
      expect(times.at(-1)! - times[0]!).toBeLessThan(3500);
    });
  });

  describe('startProxyServer, bounded and quiet about tokens', () => {
    let upstream: Awaited<ReturnType<typeof startUpstream>>;
    let logs: ReturnType<typeof capturedLogs>;
    let proxy: ProxyServer;

    beforeEach(async () => {
      upstream = await startUpstream();
      logs = capturedLogs();
      // No host: the default.
      proxy = await startProxyServer({ apiBase: upstream.apiBase, port: 0, logger: logs.logger });
    });

    afterEach(async () => {
      upstream.release();
      await proxy.close();
      await upstream.close();
    });

    it('listens on 127.0.0.1 unless told otherwise, and logs the address the socket is bound to', () => {
      expect(proxy.address).toBe('127.0.0.1');
      expect(proxy.apiBase).toBe(`http://127.0.0.1:${proxy.port}/api`);
      const listening = logs.entries().find((e) => e.msg === 'REST proxy listening');
      expect(listening).toMatchObject({ address: '127.0.0.1', port: proxy.port, apiBase: proxy.apiBase });
    });

    it('forwards interaction callbacks and webhook requests with their tokens, and logs neither token', async () => {
      const interactionToken = randomBytes(24).toString('base64url');
      const webhookToken = randomBytes(24).toString('base64url');
      const post = (path: string, body: unknown) =>
        fetch(`${proxy.apiBase}/v10${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });

      const callback = await post(`/interactions/1234/${interactionToken}/callback`, { type: 4 });
      const webhook = await post(`/webhooks/5678/${webhookToken}?wait=true`, { content: 'hi' });
      // Discord unreachable for this one: the proxy answers 502 and logs the failure.
      const failed = await post(`/webhooks/5678/${webhookToken}/fail`, { content: 'lost' });

      expect([callback.status, webhook.status, failed.status]).toEqual([204, 200, 502]);
      expect(upstream.requests.map((r) => r.path)).toEqual(
        expect.arrayContaining([
          `/api/v10/interactions/1234/${interactionToken}/callback`,
          `/api/v10/webhooks/5678/${webhookToken}?wait=true`,
          `/api/v10/webhooks/5678/${webhookToken}/fail`,
        ]),
      );
      const text = logs.lines.join('');
      expect(text).not.toContain(interactionToken);
      expect(text).not.toContain(webhookToken);
      // The requests were logged, without their tokens.
      const proxied = logs.entries().filter((e) => e.msg === 'proxied');
      expect(proxied.map((e) => [e.url, e.status])).toEqual([
        ['/api/v10/interactions/1234/:token/callback', 204],
        ['/api/v10/webhooks/5678/:token', 200],
        ['/api/v10/webhooks/5678/:token/fail', 502],
      ]);
      expect(logs.entries().find((e) => e.msg === 'proxying a request failed')).toMatchObject({
        url: '/api/v10/webhooks/5678/:token/fail',
      });
    });

    it('refuses a body declared larger than Discord’s limit with 413 before reading it, forwarding nothing', async () => {
      const answer = await sendBody(
        `${proxy.apiBase}/v10/channels/1/messages`,
        [Buffer.alloc(64 * 1024)],
        MAX_REQUEST_BODY_BYTES + 1,
      );

      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({
        message: `Request entity too large: the limit is ${MAX_REQUEST_BODY_BYTES} bytes`,
        code: 40005,
      });
      expect(upstream.requests).toHaveLength(0);
    });

    it('refuses a chunked body with 413 once it grows past the limit, forwarding nothing', async () => {
      const mebibyte = Buffer.alloc(1024 * 1024, 'x');
      const chunks = Array.from({ length: MAX_REQUEST_BODY_BYTES / mebibyte.length + 1 }, () => mebibyte);

      const answer = await sendBody(`${proxy.apiBase}/v10/channels/1/messages`, chunks);

      expect(answer.status).toBe(413);
      expect(upstream.requests).toHaveLength(0);
      // The proxy still serves the next request.
      const next = await fetch(`${proxy.apiBase}/v10/channels/1/messages`, {
        method: 'POST',
        headers: { authorization: 'Bot t', 'content-type': 'application/json' },
        body: '{"content":"small"}',
      });
      expect(next.status).toBe(200);
    });

    it('survives a client that hangs up halfway through its body, forwarding nothing', async () => {
      const req = request(`${proxy.apiBase}/v10/channels/1/messages`, {
        method: 'POST',
        headers: { authorization: 'Bot t', 'content-length': '1000' },
      });
      req.on('error', () => undefined);
      req.write(Buffer.alloc(10));
      // Admitted, its body being read.
      await waitUntil(() => proxy.queued === 1, 'the proxy to take the request');
      req.destroy();
      await waitUntil(
        () => logs.entries().some((e) => e.msg === 'reading a request failed'),
        'the failure logged',
      );

      const next = await fetch(`${proxy.apiBase}/v10/channels/1/messages`, {
        method: 'POST',
        headers: { authorization: 'Bot t', 'content-type': 'application/json' },
        body: '{"content":"next"}',
      });
      expect(next.status).toBe(200);
      expect(upstream.requests).toHaveLength(1);
      expect(proxy.queued).toBe(0);
    });

    it('forwards a body of exactly the limit whole', async () => {
      const answer = await sendBody(
        `${proxy.apiBase}/v10/channels/1/messages`,
        [Buffer.alloc(MAX_REQUEST_BODY_BYTES, 'x')],
        MAX_REQUEST_BODY_BYTES,
      );

      expect(answer.status).toBe(200);
      expect(upstream.requests.map((r) => r.bytes)).toEqual([MAX_REQUEST_BODY_BYTES]);
    });

    it('answers 503 with Retry-After once the queue is full, still passes interactions’ answers, and serves again once it drains', async () => {
      upstream.hold();
      const send = () =>
        fetch(`${proxy.apiBase}/v10/channels/1/messages`, {
          method: 'POST',
          headers: { authorization: 'Bot t', 'content-type': 'application/json' },
          body: '{"content":"fan-out"}',
        });
      const queued = Array.from({ length: MAX_QUEUED_REQUESTS }, send);
      await waitUntil(() => proxy.queued === MAX_QUEUED_REQUESTS, 'the queue to fill');

      const refused = await send();
      const callback = await fetch(`${proxy.apiBase}/v10/interactions/1/tok/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"type":4}',
      });

      expect(refused.status).toBe(503);
      // Five seconds: the queue's 240 at 48 a second.
      expect(refused.headers.get('retry-after')).toBe(String(MAX_QUEUED_REQUESTS / GLOBAL_PER_SECOND));
      expect(((await refused.json()) as { message: string }).message).toBe(
        'REST proxy queue full: retry after 5 s',
      );
      expect(callback.status).toBe(204);
      // One channel route: @discordjs/rest sends one at a time, and that one is held upstream.
      expect(upstream.requests.filter((r) => r.path.includes('/channels/'))).toHaveLength(1);
      expect(logs.entries().filter((e) => e.msg === 'REST proxy queue full: answering 503')).toHaveLength(1);

      upstream.release();
      const answers = await Promise.all(queued);
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(proxy.queued).toBe(0);
      expect((await send()).status).toBe(200);
      expect(upstream.requests.filter((r) => r.path.includes('/channels/'))).toHaveLength(
        MAX_QUEUED_REQUESTS + 1,
      );
    }, 30_000);
  });

  describe('slidingWindow', () => {
    it('lets `limit` callers through at once, then each as the oldest leaves the window, in order', async () => {
      const gate = slidingWindow(3, 200);
      const started = Date.now();
      const passed: number[] = [];
      const passedAt: number[] = [];
      await Promise.all(
        Array.from({ length: 7 }, (_, n) =>
          gate().then(() => {
            passed.push(n);
            passedAt[n] = Date.now() - started;
          }),
        ),
      );
      expect(passed).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(passedAt.slice(0, 3).every((ms) => ms < 100)).toBe(true);
      expect(passedAt.slice(3, 6).every((ms) => ms >= 195 && ms < 350)).toBe(true);
      expect(passedAt[6]).toBeGreaterThanOrEqual(395);
    });
  });
});
