/**
 * One measurement in its own process, so one side's garbage never slows the other's queries:
 *
 *   measure.ts --task prepare --data DIR            parse DIR/raw with the real loader, cache records
 *   measure.ts --task raw|ours --data DIR [--rounds N] [--seed S] [--multilingual]
 *                                                   build, snapshot write/load, search, autocomplete
 *
 * Prints one JSON line on stdout; progress goes to stderr. Run under `node --expose-gc`.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { deserialize, serialize } from 'node:v8';
import type { DocumentRecord } from '../src/core/record.js';
import { loadCorpus } from '../src/ingest/loadCorpus.js';
import { storePath } from '../src/store/sqliteDriver.js';
import { storedWebDocuments } from './storedDocuments.js';
import { buildPrefixMix, buildQueryMix, QUERY_CLASSES, type BenchQuery, type QueryClass } from './queries.js';
import {
  percentiles,
  type GcStats,
  type Percentiles,
  type PrepareResult,
  type SideResult,
} from './results.js';
import type { Answerer, SideName } from './side.js';
import { loadSide } from './sides.js';

/** Where the prepare task leaves the parsed records for the side tasks (v8 format: no size cap). */
const documentsCache = (dataDir: string) => path.join(dataDir, 'bench-documents.v8');

const ENGLISH_QUERY: BenchQuery = { class: 'exact', text: '' };
const log = (line: string) => process.stderr.write(`  ${line}\n`);
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1000];
}

async function prepare(dataDir: string): Promise<PrepareResult> {
  log('parsing with loadCorpus');
  const [{ documents: pages, errors }, parseSeconds] = await timed(() =>
    loadCorpus(dataDir, {
      onProgress: (done, total) => {
        if (done % 20_000 === 0 || done === total) log(`read ${done}/${total} files`);
      },
    }),
  );
  // The fetched share lives in the store, as the bot keeps it; both sides index all of it.
  const web = await storedWebDocuments(dataDir);
  const documents = [...pages, ...web];
  writeFileSync(documentsCache(dataDir), serialize(documents));
  return {
    task: 'prepare',
    documents: documents.length,
    webDocuments: web.length,
    storeBytes: statSync(storePath(dataDir), { throwIfNoEntry: false })?.size ?? 0,
    articles: documents.filter((d) => d.kind === 'article').length,
    projects: documents.filter((d) => d.kind === 'project').length,
    errors: errors.length,
    languages: countLanguages(documents),
    firstErrors: errors.slice(0, 5),
    parseSeconds,
  };
}

function countLanguages(documents: readonly DocumentRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const document of documents) {
    const language = document.language ?? 'und';
    counts[language] = (counts[language] ?? 0) + 1;
  }
  return counts;
}

/** Per latency loop: stop starting new samples after this long, once enough were taken. */
const LOOP_BUDGET_MS = 45_000;
const MIN_SAMPLES = 100;
const WARM_UP = 20;

/**
 * Times `run` on every item, `rounds` times over. A few items first warm up the JIT and anything
 * built lazily. A slow side (raw autoSuggest on 100k documents takes seconds for one-letter
 * prefixes) stops after the time budget; the mix is in random order, so a cut sample is unbiased.
 */
async function latencies(
  items: readonly unknown[],
  rounds: number,
  run: (item: never) => number | Promise<number>,
): Promise<{ times: number[]; empty: number; gc: GcStats }> {
  const call = run as (item: unknown) => number | Promise<number>;
  for (const item of items.slice(0, WARM_UP)) await call(item);
  gc();
  const times: number[] = [];
  let empty = 0;
  const gcPauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  const deadline = performance.now() + LOOP_BUDGET_MS;
  outer: for (let round = 0; round < rounds; round++) {
    for (const item of items) {
      if (times.length >= MIN_SAMPLES && performance.now() > deadline) break outer;
      const started = performance.now();
      const hits = await call(item);
      times.push(performance.now() - started);
      if (round === 0 && hits === 0) empty++;
    }
  }
  // GC entries are delivered asynchronously: let them arrive before disconnecting.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  const gcStats: GcStats = {
    count: gcPauses.length,
    totalMs: gcPauses.reduce((sum, ms) => sum + ms, 0),
    maxMs: Math.max(0, ...gcPauses),
  };
  return { times, empty, gc: gcStats };
}

async function measureSide(
  name: SideName,
  dataDir: string,
  rounds: number,
  seed: number,
  multilingual: boolean,
): Promise<SideResult> {
  const side = await loadSide(name);
  const documents = deserialize(readFileSync(documentsCache(dataDir))) as DocumentRecord[];
  const empty: Percentiles = { samples: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  if (!side) {
    return {
      task: name,
      available: false,
      documents: documents.length,
      buildSeconds: 0,
      snapshotBytes: 0,
      snapshotWriteSeconds: 0,
      snapshotLoadSeconds: 0,
      search: empty,
      searchByClass: Object.fromEntries(QUERY_CLASSES.map((c) => [c, empty])) as Record<
        QueryClass,
        Percentiles
      >,
      searchByScript: {},
      searchByLanguage: {},
      searchQueries: 0,
      searchEmpty: 0,
      searchGc: { count: 0, totalMs: 0, maxMs: 0 },
      suggestGc: { count: 0, totalMs: 0, maxMs: 0 },
      suggest: empty,
      heapAfterBuildBytes: 0,
    };
  }
  gc();
  log(`${name}: building the index over ${documents.length} documents`);
  const [, buildSeconds] = await timed(() => side.build(documents));
  gc();
  const heapAfterBuildBytes = process.memoryUsage().heapUsed;
  log(`${name}: built in ${buildSeconds.toFixed(2)} s; writing the snapshot`);
  const [snapshot, snapshotWriteSeconds] = await timed(() => side.writeSnapshot(dataDir));
  gc();
  log(
    `${name}: snapshot ${(snapshot.bytes / 1e6).toFixed(1)} MB in ${snapshotWriteSeconds.toFixed(2)} s; loading it`,
  );
  const [answerer, snapshotLoadSeconds] = await timed<Answerer>(() => side.loadSnapshot(dataDir, documents));
  gc();

  const queries = buildQueryMix(seed, undefined, multilingual);
  log(`${name}: ${queries.length} queries x ${rounds} rounds`);
  const searched = await latencies(queries, rounds, (q: (typeof queries)[number]) => answerer.search(q));
  const timesWhere = (test: (query: BenchQuery) => boolean) =>
    percentiles(searched.times.filter((_, k) => test(queries[k % queries.length] ?? ENGLISH_QUERY)));
  const byClass = (cls: QueryClass) => timesWhere((q) => q.class === cls);
  const groups = (key: (q: BenchQuery) => string) =>
    Object.fromEntries([...new Set(queries.map(key))].map((g) => [g, timesWhere((q) => key(q) === g)]));
  const prefixes = buildPrefixMix(seed);
  log(`${name}: ${prefixes.length} autocomplete prefixes x ${rounds} rounds`);
  const suggested = await latencies(prefixes, rounds, (p: (typeof prefixes)[number]) => answerer.suggest(p));
  return {
    task: name,
    available: true,
    documents: documents.length,
    buildSeconds,
    snapshotBytes: snapshot.bytes,
    snapshotWriteSeconds,
    snapshotLoadSeconds,
    search: percentiles(searched.times),
    searchByClass: Object.fromEntries(QUERY_CLASSES.map((c) => [c, byClass(c)])) as Record<
      QueryClass,
      Percentiles
    >,
    searchByScript: groups((q) => q.script ?? 'Latin'),
    searchByLanguage: groups((q) => q.language ?? 'en'),
    searchQueries: queries.length,
    searchEmpty: searched.empty,
    searchGc: searched.gc,
    suggest: percentiles(suggested.times),
    suggestGc: suggested.gc,
    heapAfterBuildBytes,
  };
}

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<void> {
  const task = option(argv, 'task');
  const dataDir = option(argv, 'data');
  if (!dataDir || (task !== 'prepare' && task !== 'raw' && task !== 'ours')) {
    throw new Error('usage: measure.ts --task prepare|raw|ours --data DIR [--rounds N] [--seed S]');
  }
  const result =
    task === 'prepare'
      ? await prepare(dataDir)
      : await measureSide(
          task,
          dataDir,
          Number(option(argv, 'rounds') ?? 5),
          Number(option(argv, 'seed') ?? 1),
          argv.includes('--multilingual'),
        );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
