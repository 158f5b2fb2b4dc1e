/**
 * The targets of issue 11, checked at every size (they are defined at 100,000 documents), for our
 * library, with raw MiniSearch's figure from the same run beside each one. Pure: numbers in, rows
 * and lines out, so the verdicts can be tested from given figures.
 */
import { QUERY_CLASSES, type QueryClass } from './queries.js';

/** The figures of one side at one size; null where not measured. */
export interface TargetFigures {
  /** RSS of a process after a start from the snapshot and a full GC. */
  readonly rssAfterLoadBytes: number | null;
  /** RSS high-water marks: spawn to first answer, ingesting 1,000 pages, rewriting the snapshot. */
  readonly peakStartRssBytes: number | null;
  readonly peakIngestRssBytes: number | null;
  readonly peakSnapshotRssBytes: number | null;
  /** Spawn to the first search answer, from the snapshot. */
  readonly coldStartSeconds: number | null;
  readonly searchP99Ms: Readonly<Partial<Record<QueryClass, number | null>>>;
  readonly suggestP99Ms: number | null;
  readonly snapshotBytes: number | null;
  /** Longest event-loop stall while the snapshot is rewritten, and while 1,000 pages are ingested. */
  readonly snapshotStallMs: number | null;
  readonly ingestStallMs: number | null;
}

export interface Target {
  readonly name: string;
  readonly unit: 'GB' | 'MB' | 's' | 'ms';
  /** The bound in `unit`; `isStrict` means below it, otherwise at most it. */
  readonly limit: number;
  readonly isStrict: boolean;
  readonly size: number;
  /** Figures in `unit`. */
  readonly ours: number | null;
  readonly raw: number | null;
  /** Ours against the limit; null when ours was not measured. */
  readonly pass: boolean | null;
}

/** Where the issue defines its targets. */
export const TARGET_SIZE = 100_000;

const GB = 1e9;
const MB = 1e6;

interface Spec {
  readonly name: string;
  readonly unit: Target['unit'];
  readonly limit: number;
  readonly isStrict?: boolean;
  readonly pick: (f: TargetFigures) => number | null;
}

const scaled = (value: number | null, by: number) => (value === null ? null : value / by);

const SPECS: readonly Spec[] = [
  { name: 'RSS after loading', unit: 'GB', limit: 1.0, pick: (f) => scaled(f.rssAfterLoadBytes, GB) },
  { name: 'peak RSS during start', unit: 'GB', limit: 1.5, pick: (f) => scaled(f.peakStartRssBytes, GB) },
  {
    name: 'peak RSS during ingestion of 1,000 pages',
    unit: 'GB',
    limit: 1.5,
    pick: (f) => scaled(f.peakIngestRssBytes, GB),
  },
  {
    name: 'peak RSS during a snapshot write',
    unit: 'GB',
    limit: 1.5,
    pick: (f) => scaled(f.peakSnapshotRssBytes, GB),
  },
  { name: 'cold start, spawn to first answer', unit: 's', limit: 4, pick: (f) => f.coldStartSeconds },
  ...QUERY_CLASSES.map((cls): Spec => ({
    name: `search p99, ${cls}`,
    unit: 'ms',
    limit: 25,
    pick: (f) => f.searchP99Ms[cls] ?? null,
  })),
  { name: 'autocomplete p99', unit: 'ms', limit: 1, isStrict: true, pick: (f) => f.suggestP99Ms },
  { name: 'snapshot size', unit: 'MB', limit: 200, pick: (f) => scaled(f.snapshotBytes, MB) },
  {
    name: 'longest event-loop stall, snapshot write',
    unit: 'ms',
    limit: 100,
    pick: (f) => f.snapshotStallMs,
  },
  {
    name: 'longest event-loop stall, ingesting 1,000 pages',
    unit: 'ms',
    limit: 100,
    pick: (f) => f.ingestStallMs,
  },
];

/** The targets at `size`: ours checked against each limit, raw's figure beside it. */
export function targetsOf(size: number, ours: TargetFigures, raw: TargetFigures | null): Target[] {
  return SPECS.map((spec) => {
    const mine = finite(spec.pick(ours));
    const isStrict = spec.isStrict ?? false;
    return {
      name: spec.name,
      unit: spec.unit,
      limit: spec.limit,
      isStrict,
      size,
      ours: mine,
      raw: raw ? finite(spec.pick(raw)) : null,
      pass: mine === null ? null : isStrict ? mine < spec.limit : mine <= spec.limit,
    };
  });
}

const finite = (value: number | null) => (value !== null && Number.isFinite(value) ? value : null);

function figure(value: number | null, unit: Target['unit']): string {
  if (value === null) return '-';
  const digits = unit === 'GB' ? 2 : value < 10 ? 2 : 1;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

/** One line per target: verdict, name, ours, the limit, raw MiniSearch's figure. */
export function renderTargets(targets: readonly Target[]): string[] {
  const first = targets[0];
  if (!first) return [];
  const note =
    first.size === TARGET_SIZE ? '' : ` (the targets are defined at ${TARGET_SIZE.toLocaleString('en-US')})`;
  const rows = targets.map((t) => [
    t.pass === null ? 'N/A' : t.pass ? 'PASS' : 'FAIL',
    t.name,
    figure(t.ours, t.unit),
    `${t.isStrict ? '<' : '<='} ${figure(t.limit, t.unit)}`,
    figure(t.raw, t.unit),
  ]);
  const header = ['', 'target', 'ours', 'limit', 'raw MiniSearch'];
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, k) => (k < 2 ? cell.padEnd(widths[k] ?? 0) : cell.padStart(widths[k] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    `Targets at ${first.size.toLocaleString('en-US')} documents${note}:`,
    line(header),
    ...rows.map(line),
  ];
}

// ---------------------------------------------------------------------------------------------
// Several processes (issue 12, bench/multiProcess.ts)

/** A target of the multi-process benchmark: a figure at least or at most a bound. */
export interface MultiProcessTarget {
  readonly name: string;
  readonly unit: '%' | '429s';
  readonly limit: number;
  readonly atLeast: boolean;
  readonly value: number | null;
  readonly pass: boolean | null;
}

/** 429s allowed per message before a run counts as a 429 storm. */
export const STORM_SHARE = 0.05;

/**
 * Issue 12's fan-out targets, for 1 to 3 processes sharing one REST proxy, from the flat figures
 * of bench/multiProcess.ts (`fanoutProxy<n>DeliveriesPerSecond`, `…CeilingPerSecond`,
 * `…RateLimited`, `…Messages`): deliveries per second within 10% of the ceiling Discord's limits
 * allow, and no 429 storm (at most {@link STORM_SHARE} of the messages answered 429). Runs not in
 * `flat` are left out.
 */
export function multiProcessTargets(flat: Readonly<Record<string, unknown>>): MultiProcessTarget[] {
  const num = (key: string) => (typeof flat[key] === 'number' ? flat[key] : null);
  const targets: MultiProcessTarget[] = [];
  for (const n of [1, 2, 3]) {
    const key = `fanoutProxy${n}`;
    const rate = num(`${key}DeliveriesPerSecond`);
    const ceiling = num(`${key}CeilingPerSecond`);
    const messages = num(`${key}Messages`);
    const limited = num(`${key}RateLimited`);
    if (rate === null && limited === null) continue;
    const share = rate !== null && ceiling ? (100 * rate) / ceiling : null;
    const storm = messages === null ? null : Math.floor(messages * STORM_SHARE);
    const processes = `${n} process${n > 1 ? 'es' : ''}`;
    targets.push(
      {
        name: `digest fan-out, ${processes}, one proxy: share of the ceiling`,
        unit: '%',
        limit: 90,
        atLeast: true,
        value: share,
        pass: share === null ? null : share >= 90,
      },
      {
        name: `digest fan-out, ${processes}, one proxy: 429s (no storm)`,
        unit: '429s',
        limit: storm ?? NaN,
        atLeast: false,
        value: limited,
        pass: limited === null || storm === null ? null : limited <= storm,
      },
    );
  }
  return targets;
}

/** One line per target: verdict, name, figure, bound. */
export function renderMultiProcessTargets(targets: readonly MultiProcessTarget[]): string[] {
  if (targets.length === 0) return [];
  const show = (v: number | null, unit: MultiProcessTarget['unit']) =>
    v === null || !Number.isFinite(v) ? '-' : unit === '%' ? `${v.toFixed(1)} %` : `${v} 429s`;
  const rows = targets.map((t) => [
    t.pass === null ? 'N/A' : t.pass ? 'PASS' : 'FAIL',
    t.name,
    show(t.value, t.unit),
    `${t.atLeast ? '>=' : '<='} ${show(t.limit, t.unit)}`,
  ]);
  const widths = [0, 1, 2, 3].map((k) => Math.max(...rows.map((r) => (r[k] ?? '').length)));
  return [
    'Targets, several processes (issue 12):',
    ...rows.map((r) =>
      r
        .map((cell, k) => (k < 2 ? cell.padEnd(widths[k] ?? 0) : cell.padStart(widths[k] ?? 0)))
        .join('  ')
        .trimEnd(),
    ),
  ];
}
