/**
 * A cold `cli search` against raw MiniSearch building its index and answering the same query
 * (issue 17: under half of it). Ours is the CLI as `npm run cli` runs it (`node --import tsx
 * src/cli/main.ts search <query>`) over a DATA_DIR whose snapshot an untimed first search wrote,
 * timed from spawn to exit (the user waits for the prompt), and the same through `npm run
 * --silent cli` (npm's own start included, as a user types it); raw is coldStart.ts `--side raw
 * --mode rebuild` in a fresh DATA_DIR, timed from spawn to its answer. They alternate, so a busy
 * spell on the machine hits each; each round gives a ratio.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeWorkDir, type CachedCorpus } from './corpusCache.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** One side's samples, in seconds, with their median and range. */
export interface Samples extends Spread {
  readonly samples: readonly number[];
}

export interface ColdCliReport {
  readonly documents: number;
  readonly query: string;
  readonly runs: number;
  /** Wall seconds: ours spawn to exit of `cli search`; raw spawn to its first answer. */
  readonly ours: Samples;
  readonly raw: Samples;
  /** Ours / raw of each alternating pair, and of the medians. */
  readonly ratio: Spread & { readonly ofMedians: number };
  /** The same in CPU seconds (user + system, whole process); null without GNU time. */
  readonly cpu: {
    readonly ours: Samples;
    readonly raw: Samples;
    readonly ratio: Spread & { readonly ofMedians: number };
  } | null;
  /** Ours through `npm run --silent cli`: wall and CPU seconds (npm's included), ratios to raw's. */
  readonly viaNpm: {
    readonly wall: Samples;
    readonly ratio: Spread & { readonly ofMedians: number };
    readonly cpu: Samples | null;
    readonly cpuRatio: (Spread & { readonly ofMedians: number }) | null;
  };
}

const samples = (values: readonly number[]): Samples => ({ ...spread(values), samples: values });

/** Per pair and of the medians. */
const ratioOf = (ours: readonly number[], raw: readonly number[]) => ({
  ...spread(ours.map((t, k) => t / (raw[k] ?? NaN))),
  ofMedians: spread(ours).median / spread(raw).median,
});

const spread = (values: readonly number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN,
    min: sorted[0] ?? NaN,
    max: sorted.at(-1) ?? NaN,
  };
};

/**
 * GNU time, when installed, reports the CPU seconds a child used: on a shared machine they vary far
 * less than the wall clock, which waits for other processes' turns.
 */
const GNU_TIME = '/usr/bin/time';

interface Timed {
  /** Seconds from spawn to the first stdout line and to exit. */
  readonly firstLine: number;
  readonly exit: number;
  /** User + system CPU seconds of the whole process (all its threads); null without GNU time. */
  readonly cpu: number | null;
  readonly stdout: string;
}

/**
 * Runs `program` with `args` (exit code 0 or 1: `search` exits 1 when nothing matched, still an
 * answer).
 */
function timed(
  program: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Timed> {
  const hasTime = existsSync(GNU_TIME);
  const scratch = mkdtempSync(path.join(tmpdir(), 'mnb-cold-cli-'));
  const cpuFile = path.join(scratch, 'cpu');
  const [command, ...argv] = hasTime
    ? [GNU_TIME, '-f', '%U %S', '-o', cpuFile, program, ...args]
    : [program, ...args];
  return new Promise<Timed>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let firstLine = -1;
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (firstLine < 0 && chunk.includes('\n')) firstLine = (performance.now() - started) / 1000;
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const exit = (performance.now() - started) / 1000;
      if (code !== 0 && code !== 1) {
        reject(new Error(`${program} ${args.join(' ')} exited with ${code ?? 'a signal'}`));
        return;
      }
      const [user, system] = hasTime ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number) : [];
      const cpu = user !== undefined && system !== undefined ? user + system : null;
      resolve({ firstLine, exit, cpu, stdout });
    });
  }).finally(() => rmSync(scratch, { recursive: true, force: true }));
}

/** `cli search <query>` as `npm run cli` runs it, in `dataDir`. */
const cliSearch = (dataDir: string, query: string) =>
  timed(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'search', query], {
    ...process.env,
    DATA_DIR: dataDir,
  });

/** The same typed as a user does: `npm run --silent cli -- search <query>`. */
const npmCliSearch = (dataDir: string, query: string) =>
  timed('npm', ['run', '--silent', 'cli', '--', 'search', query], { ...process.env, DATA_DIR: dataDir });

/** Raw MiniSearch started cold in a DATA_DIR with no snapshot: parse, build, answer. */
const rawRebuild = (dataDir: string, query: string) =>
  timed(process.execPath, [
    ...['--expose-gc', '--max-old-space-size=12288', '--import', 'tsx', path.join(here, 'coldStart.ts')],
    ...['--side', 'raw', '--mode', 'rebuild', '--data', dataDir, '--query', query],
  ]);

/** `runs` alternating pairs (raw, then ours) after one untimed search that writes our snapshot. */
export async function measureColdCli(
  corpus: CachedCorpus,
  runs: number,
  log: (line: string) => void,
  track: (work: { dataDir: string; cleanup: () => void }) => { dataDir: string; cleanup: () => void },
  query = 'border management',
): Promise<ColdCliReport> {
  const ours = track(makeWorkDir(corpus.rawDir));
  try {
    log('cold cli search: a first, untimed search writes the snapshot');
    const first = await cliSearch(ours.dataDir, query);
    if (!/^\d+ results? for /.test(first.stdout)) throw new Error(`cli search answered: ${first.stdout}`);
    const oursRuns: Timed[] = [];
    const npmRuns: Timed[] = [];
    const rawRuns: Timed[] = [];
    for (let k = 0; k < runs; k++) {
      const fresh = track(makeWorkDir(corpus.rawDir));
      try {
        rawRuns.push(await rawRebuild(fresh.dataDir, query));
      } finally {
        fresh.cleanup();
      }
      oursRuns.push(await cliSearch(ours.dataDir, query));
      npmRuns.push(await npmCliSearch(ours.dataDir, query));
      const [o, n, r] = [oursRuns.at(-1), npmRuns.at(-1), rawRuns.at(-1)];
      log(
        `cold cli search ${k + 1}/${runs}: ours ${o?.exit.toFixed(2)} s (cpu ${o?.cpu?.toFixed(2)}), ` +
          `through npm ${n?.exit.toFixed(2)} s (cpu ${n?.cpu?.toFixed(2)}), ` +
          `raw ${r?.firstLine.toFixed(2)} s (cpu ${r?.cpu?.toFixed(2)})`,
      );
    }
    const oursWall = oursRuns.map((r) => r.exit);
    const rawWall = rawRuns.map((r) => r.firstLine);
    const oursCpu = oursRuns.flatMap((r) => (r.cpu === null ? [] : [r.cpu]));
    const rawCpu = rawRuns.flatMap((r) => (r.cpu === null ? [] : [r.cpu]));
    const npmWall = npmRuns.map((r) => r.exit);
    const npmCpu = npmRuns.flatMap((r) => (r.cpu === null ? [] : [r.cpu]));
    const hasCpu = oursCpu.length === runs && npmCpu.length === runs && rawCpu.length === runs;
    return {
      documents: corpus.files + corpus.webDocuments,
      query,
      runs,
      ours: samples(oursWall),
      raw: samples(rawWall),
      ratio: ratioOf(oursWall, rawWall),
      cpu: hasCpu ? { ours: samples(oursCpu), raw: samples(rawCpu), ratio: ratioOf(oursCpu, rawCpu) } : null,
      viaNpm: {
        wall: samples(npmWall),
        ratio: ratioOf(npmWall, rawWall),
        cpu: hasCpu ? samples(npmCpu) : null,
        cpuRatio: hasCpu ? ratioOf(npmCpu, rawCpu) : null,
      },
    };
  } finally {
    ours.cleanup();
  }
}

/** The report as lines for the terminal. */
export function renderColdCli(report: ColdCliReport): string[] {
  const s = (x: Spread) => `${x.median.toFixed(2)} s (${x.min.toFixed(2)}-${x.max.toFixed(2)})`;
  const r = (x: Spread & { ofMedians: number }) =>
    `${x.ofMedians.toFixed(2)} of the medians; per pair ${x.median.toFixed(2)} (${x.min.toFixed(2)}-${x.max.toFixed(2)})`;
  const lines = [
    `Cold cli search, ${report.documents.toLocaleString('en-US')} documents, "${report.query}", median of ${report.runs} alternating runs (min-max):`,
    `  ours, cli search from the snapshot, spawn to exit:  ${s(report.ours)}`,
    `  raw MiniSearch, build and answer, spawn to answer:  ${s(report.raw)}`,
    `  ratio ours / raw: ${r(report.ratio)}; target < 0.5`,
  ];
  const { cpu, viaNpm } = report;
  if (cpu) {
    lines.push(`  CPU (user + system): ours ${s(cpu.ours)}, raw ${s(cpu.raw)}; ratio ${r(cpu.ratio)}`);
  }
  lines.push(`  through npm run --silent cli: ${s(viaNpm.wall)}; ratio ${r(viaNpm.ratio)}`);
  if (viaNpm.cpu && viaNpm.cpuRatio) {
    lines.push(`    CPU: ${s(viaNpm.cpu)}; ratio ${r(viaNpm.cpuRatio)}`);
  }
  return lines;
}
