/**
 * The pure part of the multi-process benchmark (bench/multiProcess.ts): how shards are split
 * between processes, the delivery rate Discord's limits allow, the rate measured from post times,
 * the exactly-once check of what the channels hold, percentiles and the highest load that kept its
 * latency target. Numbers in, numbers out, so each can be tested from given figures.
 */
import { DISCORD_LIMITS } from './digestFanout.js';

/**
 * The shards each of `processes` runs, as SHARD_IDS values: `shardCount` shards dealt out in
 * contiguous runs, the first processes taking one more when they do not divide evenly (3 over 2:
 * `0,1` and `2`).
 */
export function shardSplit(processes: number, shardCount: number): string[] {
  if (!Number.isInteger(processes) || processes < 1 || processes > shardCount)
    throw new Error(`cannot split ${shardCount} shards over ${processes} processes`);
  const split: string[] = [];
  let next = 0;
  for (let p = 0; p < processes; p++) {
    const take = Math.floor(shardCount / processes) + (p < shardCount % processes ? 1 : 0);
    split.push(Array.from({ length: take }, (_, k) => next + k).join(','));
    next += take;
  }
  return split;
}

/**
 * The highest sustained rate (messages per second) Discord's limits allow for messages spread over
 * `channels` channels: the global limit (50 requests/s for the whole bot, every process together)
 * or the per-channel one (5 per 5 s, i.e. 1/s, times the channels), whichever binds.
 */
export function fanoutCeiling(channels: number, limits: typeof DISCORD_LIMITS = DISCORD_LIMITS): number {
  const perChannel = (limits.perChannel * 1000) / limits.perChannelWindowMs;
  return Math.min(limits.globalPerSecond, channels * perChannel);
}

/**
 * Messages per second from the first post to the last: the intervals between them over the time
 * they took, so posts evenly spaced at a rate r measure r. Null for fewer than two posts.
 */
export function postRate(times: readonly number[]): number | null {
  if (times.length < 2) return null;
  let first = Infinity;
  let last = -Infinity;
  for (const t of times) {
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  return last > first ? ((times.length - 1) * 1000) / (last - first) : null;
}

/**
 * What is wrong with the channels' contents when every subscribed channel must hold each expected
 * article exactly once: one line per channel with a duplicate, a missing or an unexpected article,
 * naming them. Empty when all is well.
 */
export function exactlyOnceProblems(
  expected: readonly string[],
  postedByChannel: ReadonlyMap<string, readonly string[]>,
): string[] {
  const problems: string[] = [];
  const wanted = new Set(expected);
  for (const [channel, posted] of postedByChannel) {
    const counts = new Map<string, number>();
    for (const id of posted) counts.set(id, (counts.get(id) ?? 0) + 1);
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
    const missing = expected.filter((id) => !counts.has(id));
    const unexpected = [...counts.keys()].filter((id) => !wanted.has(id));
    const parts = [
      duplicated.length > 0 ? `duplicated ${duplicated.join(', ')}` : '',
      missing.length > 0 ? `missing ${missing.join(', ')}` : '',
      unexpected.length > 0 ? `unexpected ${unexpected.join(', ')}` : '',
    ].filter(Boolean);
    if (parts.length > 0) problems.push(`channel ${channel}: ${parts.join('; ')}`);
  }
  return problems;
}

/** The nearest-rank percentile `p` (0 to 100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** One step of a load ladder: the rate offered and what came of it. */
export interface LoadStep {
  /** Queries per second sent. */
  readonly offered: number;
  /** Queries answered per second over the step (answers that never came count as missing). */
  readonly answered: number;
  readonly p99Ms: number;
  /** Queries with no answer at all within the wait. */
  readonly unanswered: number;
}

/**
 * Whether a step kept up: every query answered, answered at ≥ 95% of the offered rate (a backlog
 * building means the setup does not sustain it), and p99 within `p99LimitMs`.
 */
export function isSustained(step: LoadStep, p99LimitMs: number): boolean {
  return step.unanswered === 0 && step.answered >= 0.95 * step.offered && step.p99Ms <= p99LimitMs;
}

/** The highest offered rate among the sustained steps below the first one that was not; 0 if none. */
export function highestSustained(steps: readonly LoadStep[], p99LimitMs: number): number {
  let best = 0;
  for (const step of steps) {
    if (!isSustained(step, p99LimitMs)) break;
    best = Math.max(best, step.offered);
  }
  return best;
}
