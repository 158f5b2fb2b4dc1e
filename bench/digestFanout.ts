/**
 * `tsx bench/digestFanout.ts [--json]`: digest fan-out, i.e. subscriptions delivered per second,
 * against the loopback Discord server behind a rate limiter that behaves like Discord's published
 * limits (5 messages per 5 s per channel, 50 requests per second globally, 429 with Retry-After and
 * X-RateLimit-* headers), next to the best rate those limits allow. Real code end to end: store,
 * library, the digest runtime as the bot builds it (createDigestRuntime: DigestService and its
 * bounded queue, the REST poster), @discordjs/rest, HTTP.
 *
 * Used by bench/run.ts (its last stdout line with --json is a flat JSON object of numbers), or on
 * its own. `runDigestFanout()` is exported for other harnesses.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChannelType, REST } from 'discord.js';
import { createLibrary } from '../src/core/library.js';
import { createDigestRuntime } from '../src/digests/runtime.js';
import { createLogger } from '../src/logger.js';
import { Store } from '../src/store/store.js';
import { generatePage } from './syntheticCorpus.js';
import { LoopbackDiscord } from '../loopback/discord.js';

/** Discord's published limits for posting messages. */
export const DISCORD_LIMITS = { perChannel: 5, perChannelWindowMs: 5000, globalPerSecond: 50 } as const;

export interface FanoutScenario {
  readonly name: string;
  readonly channels: number;
  readonly subscriptionsPerChannel: number;
  /** New articles each digest carries (1 to 25: one message). */
  readonly articles: number;
  /** The service's bound on subscriptions posted at once. */
  readonly concurrency: number;
}

export interface FanoutResult {
  readonly scenario: string;
  readonly subscriptions: number;
  readonly messages: number;
  readonly seconds: number;
  readonly deliveriesPerSecond: number;
  /** The highest rate Discord's limits allow for this layout. */
  readonly floorPerSecond: number;
  readonly rateLimited: number;
}

export const SCENARIOS: readonly FanoutScenario[] = [
  { name: 'one channel each', channels: 200, subscriptionsPerChannel: 1, articles: 3, concurrency: 4 },
  {
    name: 'one channel each, concurrency 16',
    channels: 200,
    subscriptionsPerChannel: 1,
    articles: 3,
    concurrency: 16,
  },
  { name: '10 per channel', channels: 10, subscriptionsPerChannel: 10, articles: 3, concurrency: 4 },
];

/**
 * Seconds Discord's limits need at best, counting whole windows as Discord does: 50 requests in each
 * one-second window, 5 messages per channel in each 5-second window (the first batch at once),
 * whichever binds. When everything fits in the first windows, the global rate's average.
 */
export function floorSeconds(messages: number, messagesPerChannel: number): number {
  const globalWindows = Math.ceil(messages / DISCORD_LIMITS.globalPerSecond) - 1;
  const channelWindows = Math.ceil(messagesPerChannel / DISCORD_LIMITS.perChannel) - 1;
  const windows = Math.max(globalWindows, (channelWindows * DISCORD_LIMITS.perChannelWindowMs) / 1000);
  return windows > 0 ? windows : messages / DISCORD_LIMITS.globalPerSecond;
}

/** A message the rate limiter let through and the loopback server stored. */
export interface PassedPost {
  readonly channelId: string;
  /** performance.now() when the server's answer came back. */
  readonly at: number;
}

/** The rate limiter in front of a loopback server, and what it saw. */
export interface RateLimiter {
  /** `http://127.0.0.1:port`: append `/api` for DISCORD_API_BASE or `rest.api`. */
  readonly base: string;
  /** 429s sent, global and per channel together. */
  limited(): number;
  readonly limitedBy: { global(): number; channel(): number };
  /** Messages posted (2xx from the server), in the order their answers came back. */
  posts(): readonly PassedPost[];
  close(): Promise<void>;
}

/**
 * A proxy in front of the loopback server that answers like Discord's rate limiter: 50 requests in
 * each second (wall-clock windows) for the whole bot, 5 messages per 5 s per channel, 429 with
 * Retry-After and X-RateLimit-* headers. Interaction callbacks are exempt from the global limit, as
 * on Discord.
 */
export async function startRateLimiter(target: string): Promise<RateLimiter> {
  const buckets = new Map<string, { resetAt: number; remaining: number }>();
  let globalWindow = 0;
  let globalCount = 0;
  let limitedGlobal = 0;
  let limitedChannel = 0;
  const posts: PassedPost[] = [];
  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const now = Date.now();
    const second = Math.floor(now / 1000);
    if (second !== globalWindow) {
      globalWindow = second;
      globalCount = 0;
    }
    const headers: Record<string, string> = {};
    const isInteractionCallback = /^\/api(\/v\d+)?\/interactions\//.test(req.url ?? '');
    if (!isInteractionCallback && ++globalCount > DISCORD_LIMITS.globalPerSecond) {
      limitedGlobal++;
      const retry = ((second + 1) * 1000 - now) / 1000;
      send(
        res,
        429,
        {
          'retry-after': String(Math.ceil(retry)),
          'x-ratelimit-global': 'true',
          'x-ratelimit-scope': 'global',
        },
        JSON.stringify({ message: 'You are being rate limited.', retry_after: retry, global: true }),
      );
      return;
    }
    const channel = /\/channels\/(\d+)\/messages$/.exec(req.url ?? '')?.[1];
    if (channel && req.method === 'POST') {
      let bucket = buckets.get(channel);
      if (!bucket || now >= bucket.resetAt) {
        bucket = { resetAt: now + DISCORD_LIMITS.perChannelWindowMs, remaining: DISCORD_LIMITS.perChannel };
        buckets.set(channel, bucket);
      }
      const resetAfter = (bucket.resetAt - now) / 1000;
      Object.assign(headers, {
        'x-ratelimit-bucket': `messages-${channel}`,
        'x-ratelimit-limit': String(DISCORD_LIMITS.perChannel),
        'x-ratelimit-reset-after': resetAfter.toFixed(3),
        'x-ratelimit-reset': (bucket.resetAt / 1000).toFixed(3),
      });
      if (bucket.remaining === 0) {
        limitedChannel++;
        send(
          res,
          429,
          {
            ...headers,
            'x-ratelimit-remaining': '0',
            'retry-after': String(Math.ceil(resetAfter)),
            'x-ratelimit-scope': 'user',
          },
          JSON.stringify({ message: 'You are being rate limited.', retry_after: resetAfter, global: false }),
        );
        return;
      }
      bucket.remaining--;
      headers['x-ratelimit-remaining'] = String(bucket.remaining);
    }
    const forwarded = await fetch(`${target}${req.url ?? ''}`, {
      method: req.method ?? 'GET',
      headers: {
        'content-type': req.headers['content-type'] ?? 'application/json',
        authorization: req.headers.authorization ?? '',
      },
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = await forwarded.text();
    if (channel && req.method === 'POST' && forwarded.ok)
      posts.push({ channelId: channel, at: performance.now() });
    send(res, forwarded.status, headers, body);
  };
  const server = createServer((req, res) => void handle(req, res).catch(() => send(res, 502, {}, '{}')));
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    limited: () => limitedGlobal + limitedChannel,
    limitedBy: { global: () => limitedGlobal, channel: () => limitedChannel },
    posts: () => posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs one scenario: subscriptions are all due at once; time until every digest is delivered. */
export async function runScenario(scenario: FanoutScenario): Promise<FanoutResult> {
  const channelNames = Array.from({ length: scenario.channels }, (_, k) => `digest-${k}`);
  const discord = await LoopbackDiscord.start({
    guilds: [{ channels: channelNames.map((name) => ({ name, type: ChannelType.GuildText })) }],
  });
  const limiter = await startRateLimiter(discord.apiBase.replace(/\/api$/, ''));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mnb-fanout-'));
  const raw = path.join(dataDir, 'raw');
  // The digest machinery as the bot builds it (the factory main.ts and the tests use).
  const rest = new REST({ api: `${limiter.base}/api`, timeout: 30_000 }).setToken(discord.token);
  const opened = await Store.open(dataDir);
  const runtime = createDigestRuntime({
    dataDir,
    store: opened,
    rescanIntervalSeconds: 0,
    library: createLibrary([]),
    logger: createLogger('silent', 'stderr'),
    rest,
    tuning: { concurrency: scenario.concurrency },
  });
  const { store, ingester, service } = runtime;
  try {
    // Created two days ago: their 09:00 slot has passed, so the scheduler's run (`due`) composes.
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    for (const name of channelNames) {
      for (let k = 0; k < scenario.subscriptionsPerChannel; k++) {
        await store.subscriptions.create(
          {
            guildId: discord.guild.id,
            channelId: discord.channel(name).id,
            cron: '0 9 * * *',
            timezone: 'UTC',
            query: null,
            backfill: 0,
          },
          twoDaysAgo,
        );
      }
    }
    mkdirSync(raw, { recursive: true });
    // Articles only (projectShare 0), written as the site serves them, from the benchmark's own generator.
    for (let n = 0; n < scenario.articles; n++) {
      const page = generatePage(n, { count: scenario.articles, projectShare: 0 });
      writeFileSync(path.join(raw, page.fileName), page.text);
    }
    await ingester.sync();

    const subscriptions = await store.subscriptions.list();
    const target = await store.log.latestSeq();
    const started = performance.now();
    const outcomes = await Promise.all(subscriptions.map((s) => service.due(s.id)));
    const seconds = (performance.now() - started) / 1000;
    const undelivered = outcomes.filter((o) => o.kind !== 'delivered').length;
    if (undelivered > 0 || (await store.subscriptions.list()).some((s) => s.cursorSeq < target)) {
      throw new Error(`fan-out: ${undelivered} subscriptions were not delivered`);
    }
    const messages = subscriptions.length; // one message each (≤ 25 articles)
    const floor = floorSeconds(messages, scenario.subscriptionsPerChannel);
    return {
      scenario: scenario.name,
      subscriptions: subscriptions.length,
      messages,
      seconds: round(seconds),
      deliveriesPerSecond: round(subscriptions.length / seconds),
      floorPerSecond: round(subscriptions.length / floor),
      rateLimited: limiter.limited(),
    };
  } finally {
    await runtime.stop();
    await opened.close();
    await limiter.close();
    await discord.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Every scenario in turn. */
export async function runDigestFanout(
  scenarios: readonly FanoutScenario[] = SCENARIOS,
): Promise<FanoutResult[]> {
  const results: FanoutResult[] = [];
  for (const scenario of scenarios) results.push(await runScenario(scenario));
  return results;
}

const isMain =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const results = await runDigestFanout();
  const lines = [
    'Digest fan-out (loopback Discord behind 5 msg/5 s per channel and 50 req/s global limits)',
    `${'scenario'.padEnd(34)} ${'subs'.padStart(5)} ${'seconds'.padStart(8)} ${'subs/s'.padStart(8)} ${'limit/s'.padStart(8)} ${'429s'.padStart(5)}`,
    ...results.map(
      (r) =>
        `${r.scenario.padEnd(34)} ${String(r.subscriptions).padStart(5)} ${r.seconds.toFixed(2).padStart(8)} ${r.deliveriesPerSecond.toFixed(1).padStart(8)} ${r.floorPerSecond.toFixed(1).padStart(8)} ${String(r.rateLimited).padStart(5)}`,
    ),
    'limit/s: the most subscriptions per second Discord’s published limits allow for that layout.',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  if (process.argv.includes('--json')) {
    const flat: Record<string, number> = {};
    results.forEach((r, k) => {
      const key = ['oneChannelEach', 'oneChannelEachConcurrency16', 'tenPerChannel'][k] ?? `scenario${k}`;
      flat[`${key}Subscriptions`] = r.subscriptions;
      flat[`${key}DeliveriesPerSecond`] = r.deliveriesPerSecond;
      flat[`${key}FloorPerSecond`] = r.floorPerSecond;
      flat[`${key}RateLimited`] = r.rateLimited;
    });
    process.stdout.write(`${JSON.stringify(flat)}\n`);
  } else {
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
