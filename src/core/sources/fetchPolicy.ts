/**
 * When to fetch a source again, and when to give up on it. Pure: every function takes `now`
 * (epoch milliseconds) and returns plain values; the scheduler stores them and acts on them.
 *
 * The policy, in words:
 * - After a success (a page or a 304), the next fetch is `everyMinutes` later.
 * - After the n-th consecutive failure, wait 5 min × 2^(n-1): 5, 10, 20, 40 min ... capped at a day.
 *   A Retry-After from the server (429/503) wins when it is longer, up to a week.
 * - A source is disabled when it has failed at least 10 times in a row AND has been failing for at
 *   least 3 days: a weekend outage (which the backoff crosses in about 9 attempts) never disables a
 *   source, a dead one is disabled after about 3.8 days and 12 attempts. A failure that cannot heal
 *   by waiting (a URL that is not http(s)) disables it at once. Only `sources enable` turns it back on.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The numbers behind the policy, in one place. */
export const FETCH_POLICY = {
  /** Wait after the first failure. */
  firstBackoffMs: 5 * MINUTE_MS,
  /** The backoff never grows past this. */
  maxBackoffMs: DAY_MS,
  /** A Retry-After longer than this is read as this. */
  maxRetryAfterMs: 7 * DAY_MS,
  /** Disable only after at least this many consecutive failures ... */
  disableAfterFailures: 10,
  /** ... spread over at least this long. */
  disableAfterFailingMs: 3 * DAY_MS,
} as const;

/** What the scheduler remembers about a source's failures between fetches. */
export interface SourceHealth {
  /** Failures since the last success (0 when healthy). */
  readonly consecutiveFailures: number;
  /** When the current run of failures began (epoch ms), null when healthy. */
  readonly failingSince: number | null;
}

/** A healthy source. */
export const HEALTHY: SourceHealth = { consecutiveFailures: 0, failingSince: null };

/**
 * Reads a Retry-After header: delay-seconds (`120`) or an HTTP-date (`Wed, 21 Oct 2015 07:28:00
 * GMT`), returning milliseconds from `now` (0 for a date in the past), or null when absent or
 * malformed (negative, fractional, junk). Capped at {@link FETCH_POLICY.maxRetryAfterMs}.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else {
    // An HTTP-date always names a weekday and a month; requiring letters keeps bare numbers like
    // "1.5" or "-3" out of Date.parse's lenient grammar.
    if (!/^[A-Za-z]{3,9},? /.test(trimmed)) return null;
    const at = Date.parse(trimmed);
    if (!Number.isFinite(at)) return null;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, FETCH_POLICY.maxRetryAfterMs);
}

/**
 * The wait after the n-th consecutive failure (n ≥ 1): 5 min × 2^(n-1), capped at a day, or the
 * server's Retry-After when that is longer.
 */
export function backoffMs(consecutiveFailures: number, retryAfterMs: number | null = null): number {
  const n = Math.max(1, Math.floor(consecutiveFailures));
  // 2^(n-1) overflows nothing before the cap: stop doubling once past it.
  const exponential = Math.min(
    FETCH_POLICY.firstBackoffMs * 2 ** Math.min(n - 1, 30),
    FETCH_POLICY.maxBackoffMs,
  );
  const serverAsked =
    retryAfterMs === null ? 0 : Math.min(Math.max(0, retryAfterMs), FETCH_POLICY.maxRetryAfterMs);
  return Math.max(exponential, serverAsked);
}

/** The next fetch after a success (a page or "not modified"): `everyMinutes` from now. */
export function nextFetchAfterSuccess(now: number, everyMinutes: number): number {
  return now + Math.max(1, everyMinutes) * MINUTE_MS;
}

/** A failure as the policy sees it. */
export interface FetchFailure {
  /** From WebError.retryAfterMs (429/503), null otherwise. */
  readonly retryAfterMs: number | null;
  /** True when waiting cannot help (see {@link isPermanentFailure}). */
  readonly permanent: boolean;
  /** One line for the operator (WebError.message). */
  readonly message: string;
}

/** The outcome of a failure: the new health, when to try again, and whether to disable. */
export interface AfterFailure {
  readonly health: SourceHealth;
  readonly nextFetchAt: number;
  /** Why the source is now disabled, or null to keep trying. */
  readonly disabledReason: string | null;
}

/**
 * Failures that waiting cannot fix: the URL itself is unusable. (HTTP statuses such as 404 or 410 are
 * not in this list: sites move pages back, and the 3-day rule disables a gone source soon enough.)
 */
export function isPermanentFailure(kind: string): boolean {
  return kind === 'bad-url';
}

/**
 * Records one more failure: counts it, schedules the retry ({@link backoffMs}) and decides whether
 * to disable the source (10+ consecutive failures over 3+ days, or a permanent failure).
 */
export function recordFailure(health: SourceHealth, failure: FetchFailure, now: number): AfterFailure {
  const next: SourceHealth = {
    consecutiveFailures: health.consecutiveFailures + 1,
    failingSince: health.failingSince ?? now,
  };
  return {
    health: next,
    nextFetchAt: now + backoffMs(next.consecutiveFailures, failure.retryAfterMs),
    disabledReason: disabledReason(next, failure, now),
  };
}

function disabledReason(health: SourceHealth, failure: FetchFailure, now: number): string | null {
  if (failure.permanent) return `disabled: ${failure.message}`;
  const failingMs = now - (health.failingSince ?? now);
  if (
    health.consecutiveFailures >= FETCH_POLICY.disableAfterFailures &&
    failingMs >= FETCH_POLICY.disableAfterFailingMs
  ) {
    const days = Math.floor(failingMs / DAY_MS);
    return `disabled after ${health.consecutiveFailures} failures in a row over ${days} days; last: ${failure.message}`;
  }
  return null;
}

/** Records a success: health is reset and the next fetch is `everyMinutes` away. */
export function recordSuccess(
  now: number,
  everyMinutes: number,
): { health: SourceHealth; nextFetchAt: number } {
  return { health: HEALTHY, nextFetchAt: nextFetchAfterSuccess(now, everyMinutes) };
}
