/** The numbers each measurement process reports, shared by measure.ts, coldStart.ts and run.ts. */
import type { ProbeResult } from './loopProbe.js';
import type { QueryClass } from './queries.js';
import type { SideName } from './side.js';

export interface GcStats {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
}

export interface Percentiles {
  readonly samples: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface PrepareResult {
  readonly task: 'prepare';
  readonly documents: number;
  readonly articles: number;
  readonly projects: number;
  /** Of `documents`, those fetched from (synthetic) live sources, read from the store. */
  readonly webDocuments: number;
  /** Size of the store (bot.sqlite) holding them. */
  readonly storeBytes: number;
  readonly errors: number;
  /** Documents per language tag (`en`, `fr`, `und`, …). */
  readonly languages: Readonly<Record<string, number>>;
  readonly firstErrors: ReadonlyArray<{ file: string; reason: string }>;
  readonly parseSeconds: number;
}

export interface SideResult {
  readonly task: SideName;
  readonly available: boolean;
  readonly documents: number;
  readonly buildSeconds: number;
  readonly snapshotBytes: number;
  readonly snapshotWriteSeconds: number;
  readonly snapshotLoadSeconds: number;
  /** Milliseconds per query. */
  readonly search: Percentiles;
  readonly searchByClass: Readonly<Record<QueryClass, Percentiles>>;
  /** Per script of the query (Latin, Arabic, Cyrillic, Han) and per language (`en`, `fr`, …). */
  readonly searchByScript: Readonly<Record<string, Percentiles>>;
  readonly searchByLanguage: Readonly<Record<string, Percentiles>>;
  /** Queries in the mix (240 English, plus 48 in other languages with a multilingual corpus). */
  readonly searchQueries: number;
  /** Queries that found nothing: a sanity check that both sides answer the same mix sensibly. */
  readonly searchEmpty: number;
  /** Garbage collection while the search loop ran: pauses land in the latency tail. */
  readonly searchGc: GcStats;
  readonly suggest: Percentiles;
  readonly suggestGc: GcStats;
  readonly heapAfterBuildBytes: number;
}

/** Nearest-rank percentiles of latencies in milliseconds. */
export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  return { samples: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

export interface ColdStartResult {
  /** Milliseconds since the process started (node's time origin) when the first answer was ready. */
  readonly answeredAtMs: number;
  readonly hits: number;
  /** After the answer and a full GC: what the serving process keeps. */
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
  /** RSS high-water mark from spawn to the first answer (VmHWM), null off Linux. */
  readonly peakRssBytes: number | null;
}

/** What liveLoad.ts measures in a process that has started and answered (see loopProbe.ts). */
export interface LiveLoadResult {
  readonly side: SideName;
  /** Hits of the query answered after the open (the open is done and answering). */
  readonly firstAnswerHits: number;
  /** Rewriting the snapshot of the opened index, as the running service does. */
  readonly snapshotWrite: ProbeResult & { readonly bytes: number };
  /** Entries the running service logged when it came up (ours: raw/ reconciled with the log). */
  readonly reconciled: number;
  readonly reconcileSeconds: number;
  /** New pages dropped into raw/ and taken in by the running service's own path. */
  readonly ingest: (ProbeResult & { readonly pages: number; readonly added: number }) | null;
}
