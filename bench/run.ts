/**
 * `npm run bench [-- --sizes 1000,10000,100000] [--seed 1] [--rounds N] [--no-raw-above N] [--multilingual-share 0.2] [--json] [--save FILE.json]`
 *
 * Our search library against raw MiniSearch (default options) on the same synthetic corpus (a
 * fifth of the documents in French, Spanish, Arabic, Persian, Russian and Chinese, made of real
 * text, see multilingualCorpus.ts; of the rest, 70% pages in raw/, 30% fetched documents with dates
 * in the store, see webCorpus.ts; `--multilingual-share 0` gives the English corpus of earlier
 * runs, byte for byte), at each size:
 * parse, index build, snapshot size/write/load, process cold start to the first answer with and
 * without the snapshot, search latency per query class (exact, prefix, typo, filtered, newest,
 * since; then per script and language of the query) and autocomplete latency over a fixed seeded mix, heap/RSS of a serving process and its
 * peak during start, and, in a started process, the longest event-loop stall and peak RSS while
 * the snapshot is rewritten and while 1,000 new pages are ingested (liveLoad.ts). Every
 * measurement runs in its own child process so one side's garbage or heap never pollutes the
 * other's numbers.
 *
 * Prints a table (ours, raw, ratio = ours / raw) and, per size, the targets of issue 11 with PASS
 * or FAIL for ours and raw MiniSearch's figure beside each (targets.ts); with --json the same
 * numbers as JSON on stdout. Progress goes to stderr.
 *
 * Then, once each, the benchmarks of their own (`<script>.ts --json`, whose last stdout line is a JSON
 * object of numbers, printed as a section of the report): the digest fan-out (bench/digestFanout.ts),
 * ingestion from live sources, 10,000 feed items over loopback HTTP (bench/sourceIngestion.ts), and
 * several bot processes on one PostgreSQL: fan-out and search with 1 to 3 processes, with issue
 * 12's targets (bench/multiProcess.ts).
 *
 * `--only cold-cli` runs one part alone: a cold `cli search` against raw MiniSearch building and
 * answering the same query (bench/coldCli.ts), `--runs` alternating pairs (default 5) at the
 * first of `--sizes` (default 10,000 then).
 *
 * `--only panel` runs the web panel alone (bench/panelPages.ts), at each of `--sizes` (default
 * 10,000): the program through createApp with the panel on 127.0.0.1 and the loopback Discord, a
 * moderator signed in through OAuth2, two digests and a delivery; then time to first byte (median,
 * p90 of `--rounds` requests, default 30, after 3 warm-up ones) and bytes of every page, fragment
 * and JSON endpoint, with the CSS and JS each page links.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureColdCli, renderColdCli } from './coldCli.js';
import { copySnapshotFiles, ensureCorpus, makeWorkDir } from './corpusCache.js';
import { DEFAULT_MULTILINGUAL_SHARE } from './multilingualCorpus.js';
import { renderPanel, type PanelReport } from './panelReport.js';
import { QUERY_CLASSES } from './queries.js';
import type { ColdStartResult, LiveLoadResult, Percentiles, PrepareResult, SideResult } from './results.js';
import type { SideName } from './side.js';
import {
  multiProcessTargets,
  renderMultiProcessTargets,
  renderTargets,
  targetsOf,
  type Target,
  type TargetFigures,
} from './targets.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// Arguments

interface BenchArgs {
  readonly sizes: readonly number[];
  readonly seed: number;
  readonly json: boolean;
  /** Also write the JSON report to this file (whatever stdout shows). */
  readonly save: string | null;
  /** Rounds over the query mix; default 5, 3 from 100k documents. */
  readonly rounds: number | null;
  /** Skip raw MiniSearch at sizes above this (it may not fit in memory); null: never skip. */
  readonly noRawAbove: number | null;
  /**
   * Run only this part (`cold-cli`, `panel`, or `sizes`: the per-size measurements); null:
   * everything.
   */
  readonly only: 'cold-cli' | 'panel' | 'sizes' | null;
  /** Alternating runs of each side for `--only cold-cli`. */
  readonly runs: number;
  /** Share of the documents in other languages, 0..0.9 (multilingualCorpus.ts). */
  readonly multilingualShare: number;
}

const USAGE = [
  'usage: npm run bench [-- --sizes 1000,10000,100000] [--seed 1] [--rounds N] [--no-raw-above N]',
  '                        [--multilingual-share 0.2] [--json] [--save FILE.json]',
  '         --multilingual-share 0: the English-only corpus of runs before the multilingual share',
  '       npm run bench -- --only sizes ...   the per-size table and targets, without the benches of their own',
  '       npm run bench -- --only cold-cli [--sizes 10000] [--runs 5] [--json] [--save FILE.json]',
  '         a cold `cli search` against raw MiniSearch building and answering the same query,',
  '         alternating, at the first size (default 10,000)',
  '       npm run bench -- --only panel [--sizes 10000] [--rounds 30] [--json] [--save FILE.json]',
  '         the web panel at each size (default 10,000): time to first byte (p50, p90 of --rounds',
  '         requests after 3 warm-up ones) and bytes of each page and API endpoint, with the CSS and JS',
  '         each page links (bench/panelPages.ts)',
].join('\n');

/** `100000`, `100_000` or `100k`. */
const readCount = (value: string) => Number(value.replace(/[_k]/g, (m) => (m === 'k' ? '000' : '')));

function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let sizes: number[] = [1000, 10_000, 100_000];
  let seed = 1;
  let json = false;
  let save: string | null = null;
  let rounds: number | null = null;
  let noRawAbove: number | null = null;
  let only: BenchArgs['only'] = null;
  let runs = 5;
  let multilingualShare = DEFAULT_MULTILINGUAL_SHARE;
  let sizesGiven = false;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    const value = argv[k + 1];
    if (arg === '--json') json = true;
    else if (arg === '--save' && value !== undefined) {
      save = value;
      k++;
    } else if (arg === '--sizes' && value !== undefined) {
      sizes = value.split(',').map(readCount);
      sizesGiven = true;
      if (sizes.some((s) => !Number.isInteger(s) || s < 10))
        throw new Error(`--sizes must be whole numbers of at least 10, got "${value}"\n${USAGE}`);
      k++;
    } else if (arg === '--seed' && value !== undefined && Number.isInteger(Number(value))) {
      seed = Number(value);
      k++;
    } else if (arg === '--rounds' && value !== undefined && Number(value) >= 1) {
      rounds = Math.floor(Number(value));
      k++;
    } else if (arg === '--no-raw-above' && value !== undefined && readCount(value) >= 0) {
      noRawAbove = readCount(value);
      k++;
    } else if (arg === '--multilingual-share' && value !== undefined) {
      multilingualShare = Number(value);
      if (!Number.isFinite(multilingualShare) || multilingualShare < 0 || multilingualShare > 0.9)
        throw new Error(`--multilingual-share must be a number from 0 to 0.9, got "${value}"\n${USAGE}`);
      k++;
    } else if (arg === '--only' && (value === 'cold-cli' || value === 'panel' || value === 'sizes')) {
      only = value;
      k++;
    } else if (
      arg === '--runs' &&
      value !== undefined &&
      Number.isInteger(Number(value)) &&
      Number(value) >= 1
    ) {
      runs = Number(value);
      k++;
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown or incomplete option "${arg ?? ''}"\n${USAGE}`);
  }
  if ((only === 'cold-cli' || only === 'panel') && !sizesGiven) sizes = [10_000];
  return { sizes, seed, json, save, rounds, noRawAbove, only, runs, multilingualShare };
}

// ---------------------------------------------------------------------------------------------
// Child processes

interface ChildRun {
  /** Every stdout line that parsed as JSON, in order. */
  readonly results: unknown[];
  /** Milliseconds from spawn to the first stdout line. */
  readonly firstLineMs: number;
}

/** Children and work folders still alive, so an interrupted run leaves nothing behind. */
const running = new Set<ChildProcess>();
const workDirs = new Set<() => void>();

function tracked(work: { dataDir: string; cleanup: () => void }): { dataDir: string; cleanup: () => void } {
  const cleanup = () => {
    work.cleanup();
    workDirs.delete(cleanup);
  };
  workDirs.add(cleanup);
  return { dataDir: work.dataDir, cleanup };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of running) child.kill('SIGTERM');
    for (const cleanup of [...workDirs]) cleanup();
    process.stderr.write(`\nbenchmark interrupted (${signal})\n`);
    process.exit(130);
  });
}

function runChild(script: string, args: readonly string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=12288', '--import', 'tsx', path.join(here, script), ...args],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    running.add(child);
    let firstLineMs = -1;
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (firstLineMs < 0 && chunk.includes('\n')) firstLineMs = performance.now() - started;
      buffered += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      if (code !== 0) {
        reject(new Error(`${script} ${args.join(' ')} exited with ${code ?? 'a signal'}`));
        return;
      }
      const results = buffered
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as unknown);
      resolve({ results, firstLineMs });
    });
  });
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};

interface ColdStart {
  /** Spawn to first answer, median over repeats, in seconds. */
  readonly seconds: number;
  readonly runs: number;
  readonly hits: number;
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
  /** Highest RSS high-water mark over the repeats, spawn to first answer. */
  readonly peakRssBytes: number | null;
}

async function coldStarts(
  side: SideName,
  mode: 'snapshot' | 'rebuild',
  dataDirFor: () => { dataDir: string; cleanup: () => void },
  repeats: number,
): Promise<ColdStart> {
  const times: number[] = [];
  let last: ColdStartResult | null = null;
  let peak: number | null = null;
  for (let k = 0; k < repeats; k++) {
    const work = dataDirFor();
    try {
      const run = await runChild('coldStart.ts', [
        '--side',
        side,
        '--mode',
        mode,
        '--data',
        work.dataDir,
        '--query',
        COLD_QUERY,
      ]);
      times.push(run.firstLineMs / 1000);
      last = run.results.at(-1) as ColdStartResult;
      if (last.peakRssBytes !== null) peak = Math.max(peak ?? 0, last.peakRssBytes);
    } finally {
      work.cleanup();
    }
  }
  return {
    seconds: median(times),
    runs: repeats,
    hits: last?.hits ?? 0,
    heapUsedBytes: last?.heapUsedBytes ?? 0,
    rssBytes: last?.rssBytes ?? 0,
    peakRssBytes: peak,
  };
}

/** New pages each side takes in while running (liveLoad.ts --ingest). */
const INGEST_PAGES = 1000;

const COLD_QUERY = 'border management';

// ---------------------------------------------------------------------------------------------
// One size

interface SizeReport {
  readonly size: number;
  readonly corpusGeneratedSeconds: number;
  readonly prepare: PrepareResult;
  readonly sides: Readonly<Record<SideName, SideResult>>;
  readonly cold: Readonly<Record<SideName, { snapshot: ColdStart | null; rebuild: ColdStart | null }>>;
  /** Snapshot rewrite and ingestion of new pages in a started process (liveLoad.ts). */
  readonly live: Readonly<Record<SideName, LiveLoadResult | null>>;
  /** Why raw MiniSearch was not measured at this size, if it was skipped (--no-raw-above). */
  readonly rawSkipped: string | null;
  /** Measurements that failed (their cells show "-"). */
  readonly failures: readonly string[];
}

/** The cells of a side that could not be measured. */
function unavailable(task: SideName, prepare: PrepareResult): SideResult {
  const none = { samples: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const noGc = { count: 0, totalMs: 0, maxMs: 0 };
  return {
    task,
    available: false,
    documents: prepare.documents,
    buildSeconds: 0,
    snapshotBytes: 0,
    snapshotWriteSeconds: 0,
    snapshotLoadSeconds: 0,
    search: none,
    searchByClass: Object.fromEntries(QUERY_CLASSES.map((c) => [c, none])) as SideResult['searchByClass'],
    searchByScript: {},
    searchByLanguage: {},
    searchQueries: 0,
    searchEmpty: 0,
    searchGc: noGc,
    suggest: none,
    suggestGc: noGc,
    heapAfterBuildBytes: 0,
  };
}

async function benchSize(size: number, args: BenchArgs): Promise<SizeReport> {
  log(`\n== ${size.toLocaleString('en-US')} documents ==`);
  const corpus = await ensureCorpus(size, args.seed, log, args.multilingualShare);
  const work = tracked(makeWorkDir(corpus.rawDir));
  const rounds = args.rounds ?? (size >= 100_000 ? 3 : 5);
  const repeats = size >= 100_000 ? 1 : 3;
  try {
    log('prepare: parsing the corpus');
    const prepare = (await runChild('measure.ts', ['--task', 'prepare', '--data', work.dataDir])).results.at(
      -1,
    ) as PrepareResult;
    log(
      `prepare: ${prepare.documents} documents, ${prepare.errors} errors, ${prepare.parseSeconds.toFixed(1)} s`,
    );
    const measureSide = async (side: SideName) => {
      log(`${side}: measuring`);
      const run = await runChild('measure.ts', [
        '--task',
        side,
        '--data',
        work.dataDir,
        '--rounds',
        String(rounds),
        '--seed',
        String(args.seed),
        ...(args.multilingualShare > 0 ? ['--multilingual'] : []),
      ]);
      return run.results.at(-1) as SideResult;
    };
    const failures: string[] = [];
    // A failing measurement (say, an API changing under the benchmark) costs its cells, not the run.
    const attempt = async <T>(what: string, work: () => Promise<T>): Promise<T | null> => {
      try {
        return await work();
      } catch (error) {
        const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
        log(`FAILED ${message}`);
        failures.push(message);
        return null;
      }
    };
    const rawSkipped =
      args.noRawAbove !== null && size > args.noRawAbove
        ? `raw MiniSearch skipped above ${args.noRawAbove.toLocaleString('en-US')} documents (--no-raw-above)`
        : null;
    if (rawSkipped) log(rawSkipped);
    const raw =
      (rawSkipped ? null : await attempt('raw measurement', () => measureSide('raw'))) ??
      unavailable('raw', prepare);
    const ours =
      (await attempt('ours measurement', () => measureSide('ours'))) ?? unavailable('ours', prepare);
    const cold: Record<SideName, { snapshot: ColdStart | null; rebuild: ColdStart | null }> = {
      raw: { snapshot: null, rebuild: null },
      ours: { snapshot: null, rebuild: null },
    };
    // The snapshot cold starts reuse the work folder the measurement wrote its snapshot into; the
    // rebuilds each get a fresh folder with no snapshot at all.
    const shared = () => ({ dataDir: work.dataDir, cleanup: () => undefined });
    const fresh = () => tracked(makeWorkDir(corpus.rawDir));
    for (const side of ['raw', 'ours'] as const) {
      if (!(side === 'raw' ? raw : ours).available) continue;
      log(`${side}: cold start from the snapshot (${repeats}x)`);
      cold[side].snapshot = await attempt(`${side} cold start from the snapshot`, () =>
        coldStarts(side, 'snapshot', shared, repeats),
      );
      log(`${side}: cold start with a rebuild (${repeats}x)`);
      cold[side].rebuild = await attempt(`${side} cold start with a rebuild`, () =>
        coldStarts(side, 'rebuild', fresh, repeats),
      );
    }
    const live: Record<SideName, LiveLoadResult | null> = { raw: null, ours: null };
    for (const side of ['raw', 'ours'] as const) {
      if (!(side === 'raw' ? raw : ours).available) continue;
      log(`${side}: snapshot rewrite and ${INGEST_PAGES} new pages in a started process`);
      live[side] = await attempt(`${side} live load`, async () => {
        // A raw/ of its own (new pages land in it) with the snapshot the measurement wrote.
        const own = tracked(makeWorkDir(corpus.rawDir, { ownRaw: true }));
        try {
          copySnapshotFiles(work.dataDir, own.dataDir);
          const run = await runChild('liveLoad.ts', [
            ...['--side', side, '--data', own.dataDir, '--size', String(size)],
            ...['--seed', String(args.seed), '--ingest', String(INGEST_PAGES)],
          ]);
          return run.results.at(-1) as LiveLoadResult;
        } finally {
          own.cleanup();
        }
      });
    }
    return {
      size,
      corpusGeneratedSeconds: corpus.generatedSeconds,
      prepare,
      sides: { raw, ours },
      cold,
      live,
      rawSkipped,
      failures,
    };
  } finally {
    work.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

interface Row {
  readonly metric: string;
  readonly unit: string;
  readonly ours: number | null;
  readonly raw: number | null;
  readonly ratio: number | null;
}

const MB = 1e6;

function rowsOf(report: SizeReport): Row[] {
  const { raw, ours } = report.sides;
  const row = (metric: string, unit: string, pick: (side: SideName) => number | null): Row => {
    const o = ours.available ? pick('ours') : null;
    const r = raw.available ? pick('raw') : null;
    return { metric, unit, ours: o, raw: r, ratio: o !== null && r !== null && r > 0 ? o / r : null };
  };
  const side = (name: SideName) => (name === 'ours' ? ours : raw);
  const cold = (name: SideName, mode: 'snapshot' | 'rebuild') => report.cold[name][mode];
  const live = (name: SideName) => report.live[name];
  const p = (name: SideName, pick: (s: SideResult) => Percentiles, key: 'p50' | 'p95' | 'p99') =>
    pick(side(name))[key];
  return [
    row('index build', 's', (n) => side(n).buildSeconds),
    row('index build', 'docs/s', (n) => report.size / Math.max(1e-9, side(n).buildSeconds)),
    row('snapshot size', 'MB', (n) => side(n).snapshotBytes / MB),
    row('snapshot write', 's', (n) => side(n).snapshotWriteSeconds),
    row('snapshot load', 's', (n) => side(n).snapshotLoadSeconds),
    row('cold start, snapshot', 's', (n) => cold(n, 'snapshot')?.seconds ?? null),
    row('cold start, rebuild', 's', (n) => cold(n, 'rebuild')?.seconds ?? null),
    row('snapshot / rebuild start', '%', (n) => {
      const s = cold(n, 'snapshot');
      const b = cold(n, 'rebuild');
      return s && b ? (100 * s.seconds) / b.seconds : null;
    }),
    row('search p50', 'ms', (n) => p(n, (s) => s.search, 'p50')),
    row('search p95', 'ms', (n) => p(n, (s) => s.search, 'p95')),
    row('search p99', 'ms', (n) => p(n, (s) => s.search, 'p99')),
    ...QUERY_CLASSES.flatMap((c) => [
      row(`  ${c} p50`, 'ms', (n) => p(n, (s) => s.searchByClass[c], 'p50')),
      row(`  ${c} p99`, 'ms', (n) => p(n, (s) => s.searchByClass[c], 'p99')),
    ]),
    ...groupRows(report, 'searchByScript', 'script', row),
    ...groupRows(report, 'searchByLanguage', 'language', row),
    row('queries with no hit', `of ${ours.searchQueries || raw.searchQueries}`, (n) => side(n).searchEmpty),
    row('  GC during search, total', 'ms', (n) => side(n).searchGc.totalMs),
    row('  GC during search, longest', 'ms', (n) => side(n).searchGc.maxMs),
    row('autocomplete p50', 'ms', (n) => p(n, (s) => s.suggest, 'p50')),
    row('autocomplete p99', 'ms', (n) => p(n, (s) => s.suggest, 'p99')),
    row('  GC during autocomplete, longest', 'ms', (n) => side(n).suggestGc.maxMs),
    row('heap after build (the index in memory)', 'MB', (n) => side(n).heapAfterBuildBytes / MB),
    row('heap after load (snapshot)', 'MB', (n) => (cold(n, 'snapshot')?.heapUsedBytes ?? NaN) / MB),
    row('RSS after load (snapshot)', 'MB', (n) => (cold(n, 'snapshot')?.rssBytes ?? NaN) / MB),
    row('heap after load (rebuild)', 'MB', (n) => (cold(n, 'rebuild')?.heapUsedBytes ?? NaN) / MB),
    row('RSS after load (rebuild)', 'MB', (n) => (cold(n, 'rebuild')?.rssBytes ?? NaN) / MB),
    row('peak RSS, start (snapshot)', 'MB', (n) => (cold(n, 'snapshot')?.peakRssBytes ?? NaN) / MB),
    row('snapshot rewrite, started process', 's', (n) => live(n)?.snapshotWrite.seconds ?? null),
    row('  longest event-loop stall', 'ms', (n) => live(n)?.snapshotWrite.longestStallMs ?? null),
    row('  peak RSS', 'MB', (n) => (live(n)?.snapshotWrite.peakRssBytes ?? NaN) / MB),
    // Raw MiniSearch keeps no ingestion log: nothing to reconcile.
    row('coming up: raw/ reconciled', 's', (n) =>
      n === 'ours' ? (live(n)?.reconcileSeconds ?? null) : null,
    ),
    row(
      `ingest ${INGEST_PAGES.toLocaleString('en-US')} new pages`,
      's',
      (n) => live(n)?.ingest?.seconds ?? null,
    ),
    row('  longest event-loop stall', 'ms', (n) => live(n)?.ingest?.longestStallMs ?? null),
    row('  peak RSS', 'MB', (n) => (live(n)?.ingest?.peakRssBytes ?? NaN) / MB),
  ].map((r) =>
    Number.isNaN(r.ours) || Number.isNaN(r.raw) ? { ...r, ours: null, raw: null, ratio: null } : r,
  );
}

/**
 * p50 and p99 of the queries in each script or language, when the mix has more than one (a
 * multilingual corpus): `script Arabic p99`, `language fa p99`.
 */
function groupRows(
  report: SizeReport,
  field: 'searchByScript' | 'searchByLanguage',
  label: string,
  row: (metric: string, unit: string, pick: (side: SideName) => number | null) => Row,
): Row[] {
  const { ours, raw } = report.sides;
  const names = Object.keys(ours.available ? ours[field] : raw[field]);
  if (names.length < 2) return [];
  const at = (n: SideName, name: string, key: 'p50' | 'p99') => report.sides[n][field][name]?.[key] ?? null;
  return names.flatMap((name) => [
    row(`  ${label} ${name} p50`, 'ms', (n) => at(n, name, 'p50')),
    row(`  ${label} ${name} p99`, 'ms', (n) => at(n, name, 'p99')),
  ]);
}

/** The figures targets.ts checks, for one side of one size (null: not measured). */
function figuresOf(report: SizeReport, name: SideName): TargetFigures | null {
  const side = report.sides[name];
  if (!side.available) return null;
  const cold = report.cold[name].snapshot;
  const live = report.live[name];
  return {
    rssAfterLoadBytes: cold?.rssBytes ?? null,
    peakStartRssBytes: cold?.peakRssBytes ?? null,
    peakIngestRssBytes: live?.ingest?.peakRssBytes ?? null,
    peakSnapshotRssBytes: live?.snapshotWrite.peakRssBytes ?? null,
    coldStartSeconds: cold?.seconds ?? null,
    searchP99Ms: Object.fromEntries(QUERY_CLASSES.map((c) => [c, side.searchByClass[c].p99])),
    suggestP99Ms: side.suggest.p99,
    snapshotBytes: side.snapshotBytes,
    snapshotStallMs: live?.snapshotWrite.longestStallMs ?? null,
    ingestStallMs: live?.ingest?.longestStallMs ?? null,
  };
}

function targetsOfReport(report: SizeReport): Target[] {
  const none: TargetFigures = {
    rssAfterLoadBytes: null,
    peakStartRssBytes: null,
    peakIngestRssBytes: null,
    peakSnapshotRssBytes: null,
    coldStartSeconds: null,
    searchP99Ms: {},
    suggestP99Ms: null,
    snapshotBytes: null,
    snapshotStallMs: null,
    ingestStallMs: null,
  };
  return targetsOf(report.size, figuresOf(report, 'ours') ?? none, figuresOf(report, 'raw'));
}

function format(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '-';
  if (unit === 'docs/s' || unit.startsWith('of ')) return Math.round(value).toLocaleString('en-US');
  if (unit === '%') return value.toFixed(1);
  if (unit === 'ms') return value < 10 ? value.toFixed(2) : value.toFixed(1);
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function renderTable(reports: readonly SizeReport[], sections: readonly Section[], seed: number): string {
  const out: string[] = [];
  const first = reports[0];
  out.push(
    `Benchmark: ours vs raw MiniSearch (default options) — seed ${seed}, node ${process.version}, ${cpus().length} CPUs`,
  );
  if (first && !first.sides.ours.available) {
    out.push('NOTE: our library adapter (bench/oursSide.ts) is not available yet: raw MiniSearch only.');
  }
  for (const report of reports) {
    const { prepare } = report;
    out.push('');
    out.push(
      `${report.size.toLocaleString('en-US')} documents (${prepare.articles} articles, ${prepare.projects} projects, ` +
        `${prepare.errors} parse errors); ${prepare.webDocuments.toLocaleString('en-US')} of them fetched, ` +
        `dated, in the store (bot.sqlite ${(prepare.storeBytes / MB).toFixed(1)} MB); ` +
        `parse with loadCorpus and read the store: ${prepare.parseSeconds.toFixed(1)} s`,
      `languages: ${Object.entries(prepare.languages ?? {})
        .sort((a, b) => b[1] - a[1])
        .map(([tag, count]) => `${tag} ${count.toLocaleString('en-US')}`)
        .join(', ')}`,
    );
    if (report.rawSkipped) out.push(report.rawSkipped);
    const rows = rowsOf(report);
    const header = ['metric', 'unit', 'ours', 'raw', 'ratio'];
    const cells = rows.map((r) => [
      r.metric,
      r.unit,
      format(r.ours, r.unit),
      format(r.raw, r.unit),
      r.ratio === null ? '-' : r.ratio < 0.01 ? '<0.01' : r.ratio.toFixed(2),
    ]);
    const widths = header.map((h, k) => Math.max(h.length, ...cells.map((c) => (c[k] ?? '').length)));
    const line = (c: readonly string[]) =>
      c.map((cell, k) => (k < 2 ? cell.padEnd(widths[k] ?? 0) : cell.padStart(widths[k] ?? 0))).join('  ');
    out.push(line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line));
    for (const failure of report.failures) out.push(`FAILED ${failure}`);
    out.push('', ...renderTargets(targetsOfReport(report)));
  }
  for (const { title, script, result } of sections) {
    if (result === null) continue;
    out.push('', `${title} (bench/${script}):`);
    for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
      out.push(
        `  ${key}: ${typeof value === 'number' ? value.toLocaleString('en-US') : JSON.stringify(value)}`,
      );
    }
    if (script === 'multiProcess.ts')
      out.push('', ...renderMultiProcessTargets(multiProcessTargets(result as Record<string, unknown>)));
  }
  return out.join('\n');
}

/** A benchmark of its own, run once in a child process, printed as a section of the report. */
interface Section {
  readonly title: string;
  readonly script: string;
  readonly result: unknown;
}

async function section(title: string, script: string, args: readonly string[] = []): Promise<Section> {
  if (!existsSync(path.join(here, script))) {
    log(`\n${title}: bench/${script} not present, skipped`);
    return { title, script, result: null };
  }
  log(`\n== ${title} ==`);
  try {
    return { title, script, result: (await runChild(script, [...args, '--json'])).results.at(-1) ?? null };
  } catch (error) {
    return { title, script, result: { error: error instanceof Error ? error.message : String(error) } };
  }
}

// ---------------------------------------------------------------------------------------------

/** `--only cold-cli`: the cold `cli search` against raw MiniSearch, alone. */
async function coldCliOnly(args: BenchArgs): Promise<void> {
  const size = args.sizes[0] ?? 10_000;
  const corpus = await ensureCorpus(size, args.seed, log, args.multilingualShare);
  const report = await measureColdCli(corpus, args.runs, log, tracked);
  const json = { seed: args.seed, node: process.version, cpus: cpus().length, coldCli: report };
  if (args.save) writeFileSync(args.save, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(
    args.json ? `${JSON.stringify(json, null, 2)}\n` : `${renderColdCli(report).join('\n')}\n`,
  );
}

/** `--only panel`: the web panel's pages at each size, each in a child process of its own. */
async function panelOnly(args: BenchArgs): Promise<void> {
  const reports: PanelReport[] = [];
  for (const size of args.sizes) {
    log(`\n== web panel, ${size.toLocaleString('en-US')} documents ==`);
    const run = await runChild('panelPages.ts', [
      ...['--size', String(size), '--seed', String(args.seed)],
      ...['--multilingual-share', String(args.multilingualShare)],
      ...(args.rounds === null ? [] : ['--rounds', String(args.rounds)]),
      '--json',
    ]);
    reports.push(run.results.at(-1) as PanelReport);
  }
  const json = { seed: args.seed, node: process.version, cpus: cpus().length, panel: reports };
  if (args.save) writeFileSync(args.save, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(
    args.json ? `${JSON.stringify(json, null, 2)}\n` : `${reports.map(renderPanel).join('\n\n')}\n`,
  );
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parseBenchArgs(argv);
  if (args.only === 'cold-cli') return coldCliOnly(args);
  if (args.only === 'panel') return panelOnly(args);
  const started = performance.now();
  const reports: SizeReport[] = [];
  for (const size of args.sizes) reports.push(await benchSize(size, args));
  const targets = reports.flatMap(targetsOfReport);
  const sections =
    args.only === 'sizes'
      ? []
      : [
          await section('Digest fan-out', 'digestFanout.ts'),
          await section('Ingestion from live sources', 'sourceIngestion.ts', ['--items', '10000']),
          await section('Answering from login, first start and 1,000 dropped pages', 'onlineAnswering.ts', [
            '--pages',
            '10000',
          ]),
          await section('Several bot processes on one PostgreSQL', 'multiProcess.ts'),
        ];
  log(`\nbenchmark done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const json = {
    seed: args.seed,
    node: process.version,
    cpus: cpus().length,
    sizes: reports.map((r) => ({ ...r, rows: rowsOf(r) })),
    targets,
    digestFanout: sections[0]?.result ?? null,
    sourceIngestion: sections[1]?.result ?? null,
    multiProcess: sections[3]?.result ?? null,
    multiProcessTargets: multiProcessTargets((sections[3]?.result ?? {}) as Record<string, unknown>),
  };
  if (args.save) writeFileSync(args.save, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(
    args.json ? `${JSON.stringify(json, null, 2)}\n` : `${renderTable(reports, sections, args.seed)}\n`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
