/**
 * The web panel's page weights and time to first byte, over the bench corpus of N documents.
 *
 * `npx tsx bench/panelPages.ts [--size 1000] [--seed 1] [--multilingual-share 0.2] [--rounds 30]
 * [--new-pages 200] [--json]` (or `npm run bench -- --only panel --sizes 1000`).
 *
 * The program as main.ts builds it (createApp: the SQLite store, the library over the cached corpus
 * of bench/corpusCache.ts, digests, the discord.js client, the panel) with PANEL_* on 127.0.0.1 and
 * the loopback Discord for Discord and its OAuth2. A moderator (Manage Server through a role) signs
 * in through the real flow with plain `fetch`, creates two digests through the API (one for every
 * topic, one on a topic), `--new-pages` pages arrive after them, and the first digest is sent
 * through the loopback Discord, so the delivery log has an entry and both previews have items.
 *
 * Then, for each page, the fragment the live preview swaps in, and the JSON API: time to first
 * byte (request sent to response head, node:http over a keep-alive socket), median and p90 of
 * `--rounds` requests after 3 warm-up ones, and the bytes of the body; and, per page, the bytes of
 * the stylesheets and scripts its HTML links. The panel does not compress its answers: the bytes
 * are what goes over the wire (gzip figures beside them, for a proxy that would). Only the
 * endpoints are loopback.
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PermissionFlagsBits } from 'discord.js';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { LoopbackDiscord, snowflake } from '../loopback/discord.js';
import { ensureCorpus, makeWorkDir } from './corpusCache.js';
import { DEFAULT_MULTILINGUAL_SHARE } from './multilingualCorpus.js';
import type { EndpointFigures, PanelReport } from './panelReport.js';
import { renderPanel } from './panelReport.js';
import { generatePage } from './syntheticCorpus.js';

export interface PanelBenchOptions {
  readonly size: number;
  readonly seed: number;
  readonly multilingualShare: number;
  /** Timed requests per endpoint, after {@link WARMUP} untimed ones. */
  readonly rounds: number;
  /** Pages dropped into raw/ after the digests are created (new items for them). */
  readonly newPages: number;
  readonly log: (line: string) => void;
}

/** Untimed requests before the timed ones (JIT, caches, the permission check's 60 s cache). */
const WARMUP = 3;
/** The second digest's topic: a word of the generator's vocabulary. */
const TOPIC = 'migrants';
const BACKFILL = 25;

// ---------------------------------------------------------------------------------------------
// HTTP

/** The session cookie, kept from every answer that sets it (the sealed session changes). */
class CookieJar {
  private value = '';
  get header(): string {
    return this.value;
  }
  keep(setCookie: readonly string[] | string | null | undefined): void {
    const lines = typeof setCookie === 'string' ? [setCookie] : (setCookie ?? []);
    for (const line of lines) {
      const pair = line.split(';')[0] ?? '';
      if (pair.startsWith('mnb_session=')) this.value = pair;
    }
  }
}

/** `fetch` without following redirects, keeping the cookie; throws on an unexpected status. */
async function call(
  jar: CookieJar,
  url: string,
  expected: number,
  init: { method?: string; body?: unknown; csrf?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'accept-language': 'en' };
  if (jar.header) headers.cookie = jar.header;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.csrf) headers['x-csrf-token'] = init.csrf;
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    redirect: 'manual',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  jar.keep(response.headers.getSetCookie());
  if (response.status !== expected)
    throw new Error(
      `${init.method ?? 'GET'} ${url}: ${response.status}, expected ${expected}: ${await response.text()}`,
    );
  return response;
}

/** The real sign-in: /login → the loopback authorize page → /auth/callback → a session. */
async function signIn(base: string, jar: CookieJar): Promise<void> {
  const login = await call(jar, `${base}/login`, 302);
  const authorize = await call(jar, login.headers.get('location')!, 302);
  const callback = authorize.headers.get('location')!;
  if (!callback.startsWith(`${base}/auth/callback`)) throw new Error(`authorize sent us to ${callback}`);
  await call(jar, callback, 303);
}

interface Timed {
  readonly status: number;
  readonly ttfbMs: number;
  readonly body: Buffer;
}

/** One GET over the keep-alive agent: request sent to the response head, then the whole body. */
function timedGet(agent: http.Agent, url: string, jar: CookieJar): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      agent,
      headers: { cookie: jar.header, 'accept-language': 'en' },
    });
    let sent = 0;
    request.on('response', (response) => {
      const ttfbMs = performance.now() - sent;
      jar.keep(response.headers['set-cookie']);
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, ttfbMs, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    sent = performance.now();
    request.end();
  });
}

/** Nearest rank: the smallest sample with at least `p` of them at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

/** The stylesheets and scripts an HTML page links (same origin, as the panel's CSP allows). */
export function linkedAssets(html: string): { css: string[]; js: string[] } {
  const css = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]!);
  const js = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
  return { css, js };
}

// ---------------------------------------------------------------------------------------------
// The program and its state

interface Running {
  readonly app: App;
  readonly server: LoopbackDiscord;
  readonly base: string;
  readonly guildId: string;
  readonly moderator: { id: string; username: string };
  readonly dataDir: string;
  readonly cleanup: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The loopback Discord with a moderator, and the program over a fresh copy of the cached corpus. */
async function startProgram(options: PanelBenchOptions): Promise<Running> {
  const corpus = await ensureCorpus(options.size, options.seed, options.log, options.multilingualShare);
  // A raw/ of its own when pages will be added, so the cache is never written to.
  const work = makeWorkDir(corpus.rawDir, { ownRaw: options.newPages > 0 });
  const moderator = { id: snowflake(), username: 'moderator' };
  const modRole = snowflake();
  const server = await LoopbackDiscord.start({
    guilds: [
      {
        name: 'Bench server',
        roles: [{ id: modRole, name: 'Mods', permissions: PermissionFlagsBits.ManageGuild }],
        members: [{ user: moderator, roles: [modRole] }],
      },
    ],
  });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig(server.botEnv(work.dataDir, server.panelEnv(base, port)));
  // Warnings and errors only, to stderr: stdout carries the report.
  const logger = createLogger('warn', 'stderr');
  const app = await createApp(config, { logger, version: 'bench' });
  await app.start();
  if (!app.panel) throw new Error('the panel did not start (PANEL_PORT set, Discord mode)');
  return {
    app,
    server,
    base,
    guildId: server.guild.id,
    moderator,
    dataDir: work.dataDir,
    cleanup: async () => {
      await app.stop();
      await server.close();
      work.cleanup();
    },
  };
}

/** Pages arriving after the digests were created: the next digest's new items. */
async function dropNewPages(running: Running, options: PanelBenchOptions): Promise<void> {
  if (options.newPages === 0) return;
  const raw = path.join(running.dataDir, 'raw');
  const total = options.size + options.newPages;
  for (let k = 0; k < options.newPages; k++) {
    const page = generatePage(options.size + k, { count: total, seed: options.seed });
    writeFileSync(path.join(raw, `bench-new-${page.fileName}`), page.text);
  }
  await running.app.digests!.ingester.sync();
}

interface Prepared {
  readonly whyDocument: string;
  readonly deliveredItems: number;
}

/** Two digests through the API, new pages, and the first sent through the loopback Discord. */
async function prepareState(running: Running, jar: CookieJar, options: PanelBenchOptions): Promise<Prepared> {
  const { base, guildId, server } = running;
  const me = (await (await call(jar, `${base}/api/me`, 200)).json()) as { csrfToken: string };
  const subs = `${base}/api/guilds/${guildId}/subscriptions`;
  const channelId = server.channel('general').id;
  const create = (body: Record<string, unknown>) =>
    call(jar, subs, 201, { method: 'POST', csrf: me.csrfToken, body: { channelId, ...body } });
  await create({ schedule: '0 8 * * *', timezone: 'Europe/Paris', backfill: BACKFILL });
  await create({ schedule: '30 7 * * 1-5', timezone: 'UTC', query: TOPIC, backfill: BACKFILL });
  await dropNewPages(running, options);
  const sent = (await (
    await call(jar, `${subs}/1/send`, 200, { method: 'POST', csrf: me.csrfToken })
  ).json()) as { outcome: { kind: string } };
  if (sent.outcome.kind !== 'delivered') throw new Error(`digest #1 was not delivered: ${sent.outcome.kind}`);
  const log = (await (await call(jar, `${base}/api/guilds/${guildId}/deliveries`, 200)).json()) as {
    deliveries: { documentIds: string[] }[];
  };
  const documentIds = log.deliveries[0]?.documentIds ?? [];
  if (documentIds.length === 0) throw new Error('the delivery log has no delivered item');
  return { whyDocument: documentIds[0]!, deliveredItems: documentIds.length };
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Endpoint {
  readonly label: string;
  readonly kind: EndpointFigures['kind'];
  readonly path: string;
}

function endpoints(guildId: string, whyDocument: string): Endpoint[] {
  const g = `/guilds/${guildId}`;
  const api = `/api/guilds/${guildId}`;
  const why = `why?document=${encodeURIComponent(whyDocument)}`;
  return [
    { label: 'servers', kind: 'page', path: '/' },
    { label: 'digests', kind: 'page', path: g },
    { label: 'digest #1 (sent) + preview', kind: 'page', path: `${g}/digests/1` },
    { label: 'digest #2 (topic) + preview', kind: 'page', path: `${g}/digests/2` },
    { label: 'delivery log', kind: 'page', path: `${g}/deliveries` },
    { label: 'sources', kind: 'page', path: `${g}/sources` },
    { label: 'why', kind: 'page', path: `${g}/${why}` },
    { label: 'live preview (fragment)', kind: 'fragment', path: `${g}/digests/2/preview?query=${TOPIC}` },
    { label: 'GET /api/me', kind: 'api', path: '/api/me' },
    { label: 'GET subscriptions', kind: 'api', path: `${api}/subscriptions` },
    { label: 'GET preview #2', kind: 'api', path: `${api}/subscriptions/2/preview` },
    { label: 'GET deliveries', kind: 'api', path: `${api}/deliveries?page=1` },
    { label: 'GET why', kind: 'api', path: `${api}/${why}` },
  ];
}

async function timeEndpoint(
  agent: http.Agent,
  base: string,
  jar: CookieJar,
  endpoint: Endpoint,
  rounds: number,
): Promise<{ figures: EndpointFigures; body: Buffer }> {
  const times: number[] = [];
  let last: Timed | undefined;
  for (let k = 0; k < WARMUP + rounds; k++) {
    last = await timedGet(agent, base + endpoint.path, jar);
    if (last.status !== 200)
      throw new Error(`GET ${endpoint.path}: ${last.status}: ${last.body.toString('utf8').slice(0, 300)}`);
    if (k >= WARMUP) times.push(last.ttfbMs);
  }
  const body = last!.body;
  return {
    body,
    figures: {
      ...endpoint,
      bytes: body.length,
      gzipBytes: gzipSync(body).length,
      ttfbMedianMs: percentile(times, 0.5),
      ttfbP90Ms: percentile(times, 0.9),
      samples: times.length,
    },
  };
}

async function measureEndpoints(
  running: Running,
  jar: CookieJar,
  prepared: Prepared,
  rounds: number,
): Promise<{ endpoints: EndpointFigures[]; assets: PanelReport['assets'] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const assetBytes = new Map<string, { bytes: number; gzipBytes: number }>();
  const sizeOf = async (asset: string) => {
    if (!assetBytes.has(asset)) {
      const got = await timedGet(agent, running.base + asset, jar);
      if (got.status !== 200) throw new Error(`GET ${asset}: ${got.status}`);
      assetBytes.set(asset, { bytes: got.body.length, gzipBytes: gzipSync(got.body).length });
    }
    return assetBytes.get(asset)!.bytes;
  };
  const results: EndpointFigures[] = [];
  try {
    for (const endpoint of endpoints(running.guildId, prepared.whyDocument)) {
      const { figures, body } = await timeEndpoint(agent, running.base, jar, endpoint, rounds);
      if (endpoint.kind !== 'page') {
        results.push(figures);
        continue;
      }
      const { css, js } = linkedAssets(body.toString('utf8'));
      let cssBytes = 0;
      let jsBytes = 0;
      for (const asset of css) cssBytes += await sizeOf(asset);
      for (const asset of js) jsBytes += await sizeOf(asset);
      results.push({ ...figures, cssBytes, jsBytes, assets: [...css, ...js] });
    }
  } finally {
    agent.destroy();
  }
  const assets = [...assetBytes].map(([asset, b]) => ({ path: asset, ...b }));
  return { endpoints: results, assets };
}

/** Builds the program over N documents, prepares the panel's state, and times every endpoint. */
export async function measurePanel(options: PanelBenchOptions): Promise<PanelReport> {
  const started = performance.now();
  const running = await startProgram(options);
  try {
    const startSeconds = (performance.now() - started) / 1000;
    options.log(`panel: program up in ${startSeconds.toFixed(1)} s at ${running.base}`);
    running.server.oauth.signIn(running.moderator);
    const jar = new CookieJar();
    await signIn(running.base, jar);
    const prepared = await prepareState(running, jar, options);
    const previewCount = async (id: number) => {
      const url = `${running.base}/api/guilds/${running.guildId}/subscriptions/${id}/preview`;
      return ((await (await call(jar, url, 200)).json()) as { items: unknown[] }).items.length;
    };
    const previewItems = { everyTopic: await previewCount(1), onTopic: await previewCount(2) };
    options.log(`panel: timing ${endpoints('', '').length} endpoints, ${WARMUP} + ${options.rounds} each`);
    const measured = await measureEndpoints(running, jar, prepared, options.rounds);
    return {
      size: options.size,
      documents: running.app.library.documentCount,
      newPages: options.newPages,
      seed: options.seed,
      node: process.version,
      cpus: cpus().length,
      startSeconds,
      warmup: WARMUP,
      topic: TOPIC,
      previewItems,
      deliveredItems: prepared.deliveredItems,
      whyDocument: prepared.whyDocument,
      ...measured,
    };
  } finally {
    await running.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// Command line

const USAGE =
  'usage: panelPages.ts [--size 1000] [--seed 1] [--multilingual-share 0.2] [--rounds 30] [--new-pages 200] [--json]';

function parseArgs(argv: readonly string[]): PanelBenchOptions & { json: boolean } {
  const value = (name: string) => {
    const k = argv.indexOf(`--${name}`);
    return k >= 0 ? argv[k + 1] : undefined;
  };
  const number = (name: string, fallback: number, min: number) => {
    const raw = value(name);
    const n = raw === undefined ? fallback : Number(raw.replace(/_/g, '').replace(/k$/, '000'));
    if (!Number.isFinite(n) || n < min)
      throw new Error(`--${name} must be a number of at least ${min}\n${USAGE}`);
    return n;
  };
  return {
    size: number('size', 1000, 10),
    seed: number('seed', 1, 0),
    multilingualShare: number('multilingual-share', DEFAULT_MULTILINGUAL_SHARE, 0),
    rounds: number('rounds', 30, 1),
    newPages: number('new-pages', 200, 0),
    json: argv.includes('--json'),
    log: (line) => process.stderr.write(`${line}\n`),
  };
}

const isMain =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const options = parseArgs(process.argv.slice(2));
  const report = await measurePanel(options);
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${renderPanel(report)}\n`);
}
