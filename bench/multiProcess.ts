/**
 * `tsx bench/multiProcess.ts [--json] [--only fanout|search]`: several bot processes on one PostgreSQL (issue 12).
 *
 * 1. Digest fan-out with 1, 2 and 3 bot processes: the compiled build run with plain node (as the
 *    Dockerfile does), each process with its own DATA_DIR holding the same raw/ pages, one shared
 *    PostgreSQL database (DATABASE_URL), SHARD_COUNT=3 split between them, every process's REST
 *    through ONE REST proxy process (src/restProxy) in front of the loopback Discord behind a rate
 *    limiter with Discord's published limits (bench/digestFanout.ts). Once every process is up, 200
 *    subscriptions over 200 channels are created in one transaction, each with a slot already
 *    passed (created two minutes ago, `* * * * *`) and the three latest articles as backfill, so
 *    every process's sweep (DIGEST_SWEEP_SECONDS=1) finds all of them due at once. Measured:
 *    messages per second from the first post to the last, next to the ceiling the limits allow,
 *    and the 429s the limiter sent; then the same without the proxy (each process straight to the
 *    limiter). Afterwards every channel is read: each article exactly once per subscription, or
 *    the bench fails.
 * 2. Search throughput with 1, 2 and 3 processes: `/search` interactions over the loopback gateway
 *    to guilds on every shard, at increasing rates; the highest rate each setup sustains with p99
 *    ≤ 25 ms (interaction sent to reply received), on the shipped pages plus 10,000 synthetic ones.
 *
 * Everything (PostgreSQL, the loopback Discord, the limiter, the proxy, the bots and the load
 * generator) shares this machine's cores: the figures say what one host does, not a cluster.
 * Used by bench/run.ts (the last stdout line with --json is a flat JSON object of numbers).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChannelType, type APIMessage } from 'discord.js';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { deployCommands } from '../src/discord/deployCommands.js';
import { Ingester } from '../src/ingest/ingester.js';
import { Store } from '../src/store/store.js';
import { LoopbackDiscord, snowflakeOnShard, type InteractionSession } from '../loopback/discord.js';
// The tests' own helpers for a real PostgreSQL and the compiled build, reused rather than copied
// (the lint rule keeps benches off tests; these two belong in a shared place, see the report).
import { startPostgresServer } from '../test/support/postgresServer.js';
import { compiledBuild, shippedProcesses, type ShippedProcess } from '../test/support/shippedProcess.js';
import { copySnapshotFiles } from './corpusCache.js';
import { startRateLimiter } from './digestFanout.js';
import {
  exactlyOnceProblems,
  fanoutCeiling,
  highestSustained,
  isSustained,
  percentile,
  postRate,
  shardSplit,
  type LoadStep,
} from './multiProcessFigures.js';
import { buildQueryMix, type BenchQuery } from './queries.js';
import { generatePage, writeCorpus } from './syntheticCorpus.js';
import { multiProcessTargets, renderMultiProcessTargets } from './targets.js';

/** The repository's shipped pages. */
const SHIPPED_RAW = path.resolve(import.meta.dirname, '../data/raw');

const SHARD_COUNT = 3;
const PROCESS_COUNTS = [1, 2, 3] as const;
const FANOUT = { channels: 200, articles: 3 } as const;
const SEARCH = {
  syntheticPages: 10_000,
  guildsPerShard: 2,
  p99LimitMs: 25,
  /** Each step lasts at least this long, and long enough for 200 queries (a p99 worth reading). */
  stepSeconds: 3,
  stepQueries: 200,
  rates: [25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 650, 800],
} as const;

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Shared {
  readonly compiled: string;
  /** The PostgreSQL server, without a database. */
  readonly postgresUrl: string;
  readonly processes: ReturnType<typeof shippedProcesses>;
}

/** A new, empty database on the server. */
async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return `${serverUrl}/${name}`;
}

/** Waits until `bot` logged `message`; throws with its output if it exits first or takes too long. */
async function waitLogged(bot: ShippedProcess, message: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!bot.logged(message)) {
    if (bot.child.exitCode !== null || performance.now() > deadline)
      throw new Error(`a bot process never logged "${message}":\n${bot.output()}`);
    await sleep(50);
  }
}

/** Stops processes with SIGTERM (as a deployment does), SIGKILL after 10 s. */
async function stopAll(bots: readonly ShippedProcess[]): Promise<void> {
  await Promise.all(
    bots.map(async (bot) => {
      if (bot.child.exitCode !== null || bot.child.signalCode !== null) return;
      bot.child.kill('SIGTERM');
      const timer = setTimeout(() => bot.child.kill('SIGKILL'), 10_000);
      await bot.exited;
      clearTimeout(timer);
    }),
  );
}

/** The shipped REST proxy (src/restProxy) in front of `target`; resolves once it listens. */
async function startProxy(
  shared: Shared,
  target: string,
): Promise<{ proxy: ShippedProcess; apiBase: string }> {
  const proxy = shared.processes.start('src/restProxy.ts', {
    DISCORD_API_BASE: target,
    PROXY_PORT: '0',
    LOG_LEVEL: 'info',
  });
  await waitLogged(proxy, 'REST proxy listening', 20_000);
  const line = proxy
    .stdout()
    .split('\n')
    .find((l) => l.includes('"msg":"REST proxy listening"'));
  const port = (JSON.parse(line ?? '{}') as { port?: number }).port;
  if (!port) throw new Error(`the REST proxy did not say its port:\n${proxy.output()}`);
  return { proxy, apiBase: `http://127.0.0.1:${port}/api` };
}

/** Document ids the Read buttons of digest messages point at (custom_id `…:…:<docId>`). */
const readButtonDocIds = (messages: readonly APIMessage[]) =>
  messages.flatMap((m) =>
    (m.components ?? []).flatMap((row) =>
      'components' in row
        ? row.components.flatMap((c) => ('custom_id' in c ? [c.custom_id.split(':')[2] ?? ''] : []))
        : [],
    ),
  );

// ---------------------------------------------------------------------------------------------
// Digest fan-out

export interface FanoutRun {
  readonly processes: number;
  readonly viaProxy: boolean;
  readonly messages: number;
  /** First post to last. */
  readonly seconds: number;
  readonly deliveriesPerSecond: number;
  readonly ceilingPerSecond: number;
  readonly rateLimited: number;
  readonly rateLimitedGlobal: number;
  /** Deliveries each process logged. */
  readonly byProcess: readonly number[];
}

async function runFanout(shared: Shared, processes: number, viaProxy: boolean): Promise<FanoutRun> {
  const label = `fan-out, ${processes} process${processes > 1 ? 'es' : ''}, ${viaProxy ? 'one REST proxy' : 'no proxy'}`;
  log(`${label}: starting`);
  // One guild per shard, the channels dealt over them.
  const guilds = Array.from({ length: SHARD_COUNT }, (_, shard) => ({
    id: snowflakeOnShard(shard, SHARD_COUNT),
    name: `Shard ${shard}`,
    channels: Array.from({ length: FANOUT.channels }, (_, k) => k)
      .filter((k) => k % SHARD_COUNT === shard)
      .map((k) => ({ name: `digest-${k}`, type: ChannelType.GuildText as const })),
  }));
  const discord = await LoopbackDiscord.start({ guilds, maxConcurrency: SHARD_COUNT });
  const limiter = await startRateLimiter(discord.apiBase.replace(/\/api$/, ''));
  const work = mkdtempSync(path.join(tmpdir(), 'mnb-multi-fanout-'));
  const running: ShippedProcess[] = [];
  let store: Store | undefined;
  try {
    const databaseUrl = await createDatabase(
      shared.postgresUrl,
      `fanout_${processes}_${viaProxy ? 'proxy' : 'direct'}_${Date.now()}`,
    );
    // The shipped pages, then a few new articles: the latest articles of the log.
    const seed = path.join(work, 'seed');
    cpSync(SHIPPED_RAW, path.join(seed, 'raw'), { recursive: true });
    store = await Store.open({ dataDir: seed, databaseUrl });
    const ingester = new Ingester({ dataDir: seed, store });
    await ingester.sync();
    const before = await store.log.latestSeq();
    for (let n = 0; n < FANOUT.articles; n++) {
      const page = generatePage(n, { count: FANOUT.articles, projectShare: 0 });
      writeFileSync(path.join(seed, 'raw', page.fileName), page.text);
    }
    await ingester.sync();
    const latest = await store.log.latestSeq();
    const expected = (await store.log.entries(before, latest)).map((e) => e.docId);
    const backfill = (await store.log.latestNewArticles(latest, FANOUT.articles)).map((e) => e.docId);
    if (expected.length !== FANOUT.articles || backfill.join() !== expected.join())
      throw new Error(
        `fan-out: the new articles (${expected.join()}) are not the log's latest (${backfill.join()})`,
      );

    const apiBase = viaProxy
      ? await startProxy(shared, `${limiter.base}/api`).then(({ proxy, apiBase }) => {
          running.push(proxy);
          return apiBase;
        })
      : `${limiter.base}/api`;
    const bots = shardSplit(processes, SHARD_COUNT).map((shardIds, k) => {
      const dataDir = path.join(work, `bot-${k}`);
      cpSync(path.join(seed, 'raw'), path.join(dataDir, 'raw'), { recursive: true });
      const bot = shared.processes.start(
        'src/main.ts',
        discord.botEnv(dataDir, {
          DISCORD_GUILD_ID: '',
          DISCORD_API_BASE: apiBase,
          DATABASE_URL: databaseUrl,
          SHARD_COUNT: String(SHARD_COUNT),
          SHARD_IDS: shardIds,
          RESCAN_INTERVAL_SECONDS: '0',
          DIGEST_SWEEP_SECONDS: '1',
          LOG_LEVEL: 'info',
        }),
      );
      running.push(bot);
      return bot;
    });
    await Promise.all(bots.map((bot) => waitLogged(bot, 'digests recovered', 60_000)));
    log(`${label}: ${processes} up; creating ${FANOUT.channels} subscriptions due now`);

    const baseline = limiter.posts().length;
    const limitedBefore = { all: limiter.limited(), global: limiter.limitedBy.global() };
    const createdAt = new Date(Date.now() - 120_000);
    const channels = guilds.flatMap((g) =>
      g.channels.map((c) => ({ guildId: g.id, channelId: discord.channel(c.name).id })),
    );
    await store.transaction(async (tx) => {
      for (const { guildId, channelId } of channels)
        await tx.subscriptions.create(
          { guildId, channelId, cron: '* * * * *', timezone: 'UTC', query: null, backfill: FANOUT.articles },
          createdAt,
        );
    });
    const check = store;
    const deadline = performance.now() + 120_000;
    while (limiter.posts().length - baseline < channels.length) {
      const dead = bots.find((b) => b.child.exitCode !== null);
      if (dead) throw new Error(`fan-out: a bot process exited:\n${dead.output()}`);
      if (performance.now() > deadline)
        throw new Error(
          `fan-out: ${limiter.posts().length - baseline} of ${channels.length} messages after 120 s`,
        );
      await sleep(50);
    }
    // Settled: nothing pending or claimed, then a moment more for a late duplicate to show.
    for (let quiet = 0; quiet < 2;) {
      const busy = (await check.deliveries.pending()).length + (await check.subscriptions.claimed()).length;
      quiet = busy === 0 ? quiet + 1 : 0;
      await sleep(500);
    }
    const posts = limiter.posts().slice(baseline);
    const rate = postRate(posts.map((p) => p.at)) ?? 0;
    const times = posts.map((p) => p.at);
    const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
    const byProcess = bots.map((b) => b.stdout().split('"msg":"digest delivered"').length - 1);
    const first = Math.min(...times);
    const perHalfSecond = new Array<number>(Math.floor(seconds * 2) + 1).fill(0);
    for (const t of times) perHalfSecond[Math.floor((t - first) / 500)]! += 1;
    await stopAll(running);

    const posted = new Map(
      channels.map((c) => [c.channelId, readButtonDocIds(discord.channelMessages(c.channelId))]),
    );
    const problems = exactlyOnceProblems(expected, posted);
    if (problems.length > 0)
      throw new Error(
        `fan-out (${label}): NOT EXACTLY ONCE in ${problems.length} channels:\n  ${problems.slice(0, 10).join('\n  ')}`,
      );
    const result: FanoutRun = {
      processes,
      viaProxy,
      messages: posts.length,
      seconds: round(seconds, 2),
      deliveriesPerSecond: round(rate),
      ceilingPerSecond: round(fanoutCeiling(channels.length)),
      rateLimited: limiter.limited() - limitedBefore.all,
      rateLimitedGlobal: limiter.limitedBy.global() - limitedBefore.global,
      byProcess,
    };
    log(
      `${label}: ${result.messages} messages in ${result.seconds} s, ${result.deliveriesPerSecond}/s ` +
        `(ceiling ${result.ceilingPerSecond}/s), ${result.rateLimited} 429s, by process ${byProcess.join('/')}; ` +
        `every article once in every channel; posts per 0.5 s: ${perHalfSecond.join(' ')}`,
    );
    return result;
  } finally {
    await stopAll(running);
    await store?.close();
    await limiter.close();
    await discord.close();
    rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Search throughput

export interface SearchRun {
  readonly processes: number;
  readonly steps: readonly LoadStep[];
  /** Highest offered rate sustained with p99 ≤ the limit. */
  readonly queriesPerSecond: number;
  readonly p99AtBestMs: number;
}

/** `/search` options for a query of the benchmark's mix. */
function searchOptions(q: BenchQuery): Record<string, string> {
  return {
    query: q.text,
    ...(q.filter?.kind ? { kind: q.filter.kind } : {}),
    ...(q.filter?.country ? { country: q.filter.country } : {}),
    ...(q.sort === 'newest' ? { sort: 'newest' } : {}),
    ...(q.since ? { since: q.since.text } : {}),
  };
}

const isAnswered = (s: InteractionSession) =>
  s.callback !== undefined && (!s.isDeferred || s.edits > 0 || s.followUpIds.length > 0);

/** Sends queries at `rate` per second for `seconds` (open loop), then waits for the answers. */
async function loadStep(
  discord: LoopbackDiscord,
  guildIds: readonly string[],
  queries: readonly BenchQuery[],
  rate: number,
  seconds: number,
  offset: number,
): Promise<LoadStep> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const waits: Promise<void>[] = [];
  let unanswered = 0;
  let lastAnswer = 0;
  const started = performance.now();
  for (let k = 0; k < total; k++) {
    const due = started + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const query = queries[(offset + k) % queries.length] as BenchQuery;
    const guildId = guildIds[(offset + k) % guildIds.length] as string;
    const sent = performance.now();
    const session = discord.startSlashCommand('search', searchOptions(query), { guildId });
    waits.push(
      session.waitFor(isAnswered, 5000).then(
        () => {
          const now = performance.now();
          latencies.push(now - sent);
          lastAnswer = Math.max(lastAnswer, now);
        },
        () => void unanswered++,
      ),
    );
  }
  await Promise.all(waits);
  const span = Math.max(seconds * 1000, lastAnswer - started);
  return {
    offered: rate,
    answered: round((latencies.length * 1000) / span),
    p99Ms: round(percentile(latencies, 99), 2),
    unanswered,
  };
}

async function runSearch(shared: Shared, processes: number, corpus: SearchCorpus): Promise<SearchRun> {
  const label = `search, ${processes} process${processes > 1 ? 'es' : ''}`;
  log(`${label}: starting`);
  const guilds = Array.from({ length: SHARD_COUNT * SEARCH.guildsPerShard }, (_, k) => ({
    id: snowflakeOnShard(k % SHARD_COUNT, SHARD_COUNT),
    name: `Guild ${k}`,
  }));
  const discord = await LoopbackDiscord.start({ guilds, maxConcurrency: SHARD_COUNT });
  const running: ShippedProcess[] = [];
  try {
    const envFor = (dataDir: string, extra: Record<string, string>) =>
      discord.botEnv(dataDir, {
        DISCORD_GUILD_ID: '',
        DATABASE_URL: corpus.databaseUrl,
        SHARD_COUNT: String(SHARD_COUNT),
        RESCAN_INTERVAL_SECONDS: '0',
        LOG_LEVEL: 'info',
        ...extra,
      });
    await deployCommands(loadConfig(envFor(corpus.dataDirs[0] as string, {})));
    // Interaction callbacks go through the REST proxy, as in a deployment (Discord exempts them
    // from the global limit, so no rate limiter here).
    const { proxy, apiBase } = await startProxy(shared, discord.apiBase);
    running.push(proxy);
    const bots = shardSplit(processes, SHARD_COUNT).map((shardIds, k) => {
      const dataDir = corpus.dataDirs[k] as string;
      // A snapshot from the first run: later processes start as a restarted deployment would.
      if (k > 0) copySnapshotFiles(corpus.dataDirs[0] as string, dataDir);
      const bot = shared.processes.start(
        'src/main.ts',
        envFor(dataDir, { DISCORD_API_BASE: apiBase, SHARD_IDS: shardIds }),
      );
      running.push(bot);
      return bot;
    });
    await Promise.all(bots.map((bot) => waitLogged(bot, 'digests recovered', 180_000)));
    await sleep(500);
    const guildIds = guilds.map((g) => g.id);
    const queries = buildQueryMix(1);
    log(`${label}: up; warming up`);
    await loadStep(discord, guildIds, queries, 50, 3, 0);
    const steps: LoadStep[] = [];
    let offset = 150;
    for (const rate of SEARCH.rates) {
      const seconds = Math.max(SEARCH.stepSeconds, SEARCH.stepQueries / rate);
      let step = await loadStep(discord, guildIds, queries, rate, seconds, offset);
      offset += Math.round(rate * seconds);
      if (!isSustained(step, SEARCH.p99LimitMs)) {
        // One more try before calling it: a single GC pause should not decide the figure.
        await sleep(1000);
        step = await loadStep(discord, guildIds, queries, rate, seconds, offset);
        offset += Math.round(rate * seconds);
      }
      steps.push(step);
      log(
        `${label}: ${rate} q/s offered, ${step.answered} answered/s, p99 ${step.p99Ms} ms, ${step.unanswered} unanswered`,
      );
      if (!isSustained(step, SEARCH.p99LimitMs)) break;
      await sleep(500);
    }
    const queriesPerSecond = highestSustained(steps, SEARCH.p99LimitMs);
    return {
      processes,
      steps,
      queriesPerSecond,
      p99AtBestMs: steps.find((s) => s.offered === queriesPerSecond)?.p99Ms ?? NaN,
    };
  } finally {
    await stopAll(running);
    await discord.close();
  }
}

interface SearchCorpus {
  readonly databaseUrl: string;
  /** One DATA_DIR per process, raw/ linked to the same pages. */
  readonly dataDirs: readonly string[];
  readonly pages: number;
  readonly cleanup: () => void;
}

/** The shipped pages plus the synthetic ones, in one folder every process's raw/ links to. */
async function prepareSearchCorpus(shared: Shared): Promise<SearchCorpus> {
  const work = mkdtempSync(path.join(tmpdir(), 'mnb-multi-search-'));
  const raw = path.join(work, 'pages');
  cpSync(SHIPPED_RAW, raw, { recursive: true });
  await writeCorpus(raw, { count: SEARCH.syntheticPages, seed: 1 });
  const dataDirs = PROCESS_COUNTS.map((_, k) => {
    const dataDir = path.join(work, `bot-${k}`);
    mkdirSync(dataDir);
    symlinkSync(raw, path.join(dataDir, 'raw'), 'dir');
    return dataDir;
  });
  return {
    databaseUrl: await createDatabase(shared.postgresUrl, `search_${Date.now()}`),
    dataDirs,
    pages: readdirSync(raw).length,
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}

/**
 * One untimed first start: it logs every page into the shared database and writes the index
 * snapshot, so that every measured setup starts as a restarted deployment does.
 */
async function firstStart(shared: Shared, corpus: SearchCorpus): Promise<void> {
  log('search: first start (pages logged, snapshot written)');
  const discord = await LoopbackDiscord.start({ maxConcurrency: SHARD_COUNT });
  const dataDir = corpus.dataDirs[0] as string;
  const bot = shared.processes.start(
    'src/main.ts',
    discord.botEnv(dataDir, {
      DATABASE_URL: corpus.databaseUrl,
      RESCAN_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'info',
    }),
  );
  try {
    await waitLogged(bot, 'digests recovered', 300_000);
  } finally {
    await stopAll([bot]);
    await discord.close();
  }
}

// ---------------------------------------------------------------------------------------------

export interface MultiProcessReport {
  readonly fanout: readonly FanoutRun[];
  readonly search: readonly SearchRun[];
  readonly searchPages: number;
}

/** Flat numbers for bench/run.ts (keys read by targets.ts's multiProcessTargets). */
export function flatten(report: MultiProcessReport): Record<string, number> {
  const flat: Record<string, number> = { cpus: cpus().length };
  for (const r of report.fanout) {
    const key = `fanout${r.viaProxy ? 'Proxy' : 'Direct'}${r.processes}`;
    flat[`${key}Messages`] = r.messages;
    flat[`${key}DeliveriesPerSecond`] = r.deliveriesPerSecond;
    flat[`${key}CeilingPerSecond`] = r.ceilingPerSecond;
    flat[`${key}RateLimited`] = r.rateLimited;
  }
  flat.searchPages = report.searchPages;
  for (const r of report.search) {
    flat[`search${r.processes}QueriesPerSecond`] = r.queriesPerSecond;
    // No rate sustained: no p99 to give (JSON has no NaN).
    if (Number.isFinite(r.p99AtBestMs)) flat[`search${r.processes}P99Ms`] = r.p99AtBestMs;
  }
  return flat;
}

function renderReport(report: MultiProcessReport): string[] {
  const lines = [
    `Several bot processes on one PostgreSQL (compiled build, plain node ${process.version}; SHARD_COUNT=${SHARD_COUNT} split between them)`,
    `NOTE: ${cpus().length} CPU cores shared by PostgreSQL, the loopback Discord, the limiter, the REST proxy, the bots and the load generator: more processes compete for the same cores.`,
    '',
    `Digest fan-out: ${FANOUT.channels} subscriptions over ${FANOUT.channels} channels, ${FANOUT.articles} articles each, all due at once; limits 50 req/s global, 5 msgs/5 s per channel`,
    `${'REST'.padEnd(16)} ${'procs'.padStart(5)} ${'msgs'.padStart(5)} ${'seconds'.padStart(8)} ${'msgs/s'.padStart(7)} ${'ceiling'.padStart(8)} ${'% ceil'.padStart(7)} ${'429s'.padStart(5)}  by process`,
    ...report.fanout.map(
      (r) =>
        `${(r.viaProxy ? 'one REST proxy' : 'each its own').padEnd(16)} ${String(r.processes).padStart(5)} ${String(r.messages).padStart(5)} ${r.seconds.toFixed(2).padStart(8)} ${r.deliveriesPerSecond.toFixed(1).padStart(7)} ${r.ceilingPerSecond.toFixed(1).padStart(8)} ${((100 * r.deliveriesPerSecond) / r.ceilingPerSecond).toFixed(0).padStart(7)} ${String(r.rateLimited).padStart(5)}  ${r.byProcess.join('/')}`,
    ),
    'msgs/s: (messages − 1) over first post to last; every channel read afterwards: each article exactly once.',
    '',
    `Search: /search over the loopback gateway, guilds on every shard, ${report.searchPages.toLocaleString('en-US')} pages (shipped + synthetic); REST through one proxy`,
    `${'procs'.padStart(5)} ${`q/s at p99 <= ${SEARCH.p99LimitMs} ms`.padStart(22)} ${'p99 there'.padStart(10)}  steps (offered q/s: p99 ms)`,
    ...report.search.map(
      (r) =>
        `${String(r.processes).padStart(5)} ${String(r.queriesPerSecond).padStart(22)} ${(Number.isFinite(r.p99AtBestMs) ? `${r.p99AtBestMs.toFixed(1)} ms` : '-').padStart(10)}  ${r.steps.map((s) => `${s.offered}: ${s.p99Ms}${s.unanswered ? ` (${s.unanswered} lost)` : ''}`).join(', ')}`,
    ),
    '',
    ...renderMultiProcessTargets(multiProcessTargets(flatten(report))),
  ];
  return lines;
}

/** Runs both parts; the PostgreSQL server and the compiled build are made here and removed after. */
export async function runMultiProcess(
  parts: { fanout: boolean; search: boolean } = { fanout: true, search: true },
): Promise<MultiProcessReport> {
  log('multi-process: building the compiled JavaScript and starting PostgreSQL');
  const [build, postgres] = await Promise.all([compiledBuild(), startPostgresServer()]);
  const processes = shippedProcesses({ compiled: build.outDir });
  const shared: Shared = { compiled: build.outDir, postgresUrl: postgres.url, processes };
  let corpus: SearchCorpus | undefined;
  // Interrupted (bench/run.ts passes its SIGINT/SIGTERM on): leave no bot, proxy or server behind.
  const interrupted = (signal: NodeJS.Signals) => {
    processes.killAll();
    corpus?.cleanup();
    void Promise.allSettled([postgres.stop(), build.remove()]).finally(() => {
      process.stderr.write(`multi-process benchmark interrupted (${signal})\n`);
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const fanout: FanoutRun[] = [];
    for (const viaProxy of parts.fanout ? [true, false] : [])
      for (const n of PROCESS_COUNTS) fanout.push(await runFanout(shared, n, viaProxy));
    if (!parts.search) return { fanout, search: [], searchPages: 0 };
    log(`search: writing ${SEARCH.syntheticPages.toLocaleString('en-US')} synthetic pages`);
    corpus = await prepareSearchCorpus(shared);
    await firstStart(shared, corpus);
    const search: SearchRun[] = [];
    for (const n of PROCESS_COUNTS) search.push(await runSearch(shared, n, corpus));
    return { fanout, search, searchPages: corpus.pages };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    processes.killAll();
    corpus?.cleanup();
    await postgres.stop();
    await build.remove();
  }
}

const isMain =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const started = performance.now();
  // --only fanout / --only search: one part (while working on it).
  const only = process.argv[process.argv.indexOf('--only') + 1];
  const report = await runMultiProcess({
    fanout: !process.argv.includes('--only') || only === 'fanout',
    search: !process.argv.includes('--only') || only === 'search',
  });
  const lines = renderReport(report);
  lines.push(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);
  process.stderr.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    process.argv.includes('--json') ? `${JSON.stringify(flatten(report))}\n` : `${lines.join('\n')}\n`,
  );
}
