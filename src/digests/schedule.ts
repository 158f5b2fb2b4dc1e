import cron from 'node-cron';
import { truncate } from '../core/truncate.js';
import { err, ok, type Result } from '../core/errors.js';

/**
 * Schedules for digests. node-cron does the live triggering and answers the next runs shown to
 * users ({@link upcomingRuns}); it only counts from the wall clock, so the catch-up decision at start
 * (was a slot due between the last run and now?) uses our own arithmetic ({@link nextRun}, a pure
 * function of a given instant), tested to agree with node-cron across DST changes. Day-of-month and
 * day-of-week combine with AND, as node-cron matches them.
 */

interface Fields {
  readonly minute: ReadonlySet<number>;
  readonly hour: ReadonlySet<number>;
  readonly dayOfMonth: ReadonlySet<number>;
  readonly month: ReadonlySet<number>;
  readonly dayOfWeek: ReadonlySet<number>;
}

/** Every IANA time zone name this runtime knows, for autocomplete and validation. */
export const TIME_ZONES: readonly string[] = [...Intl.supportedValuesOf('timeZone'), 'UTC'].sort();
const ZONE_BY_LOWER = new Map(TIME_ZONES.map((z) => [z.toLowerCase(), z]));

/** Time zones whose name contains `typed` (any case), at most `limit`, for autocomplete. */
export function matchTimeZones(typed: string, limit: number): string[] {
  const wanted = typed.trim().toLowerCase();
  return TIME_ZONES.filter((z) => z.toLowerCase().includes(wanted)).slice(0, limit);
}

/** The canonical spelling of a time zone name (case-insensitive), or an error people can act on. */
export function validateTimeZone(name: string): Result<string> {
  const trimmed = name.trim();
  const known = ZONE_BY_LOWER.get(trimmed.toLowerCase());
  if (known) return ok(known);
  try {
    // Links and aliases (e.g. "Asia/Calcutta") that supportedValuesOf leaves out are still valid.
    return ok(new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone);
  } catch {
    return err(
      `"${truncate(trimmed, 60)}" is not a time zone; use an IANA name such as Europe/Paris or America/New_York.`,
    );
  }
}

/**
 * Checks a 5-field cron expression (minute hour day-of-month month day-of-week) with node-cron and
 * returns it normalized (single spaces). Seconds fields and L/W/# modifiers are refused: the next-run
 * arithmetic here must agree with node-cron.
 */
export function validateCron(expression: string): Result<string> {
  const normalized = expression.trim().replace(/\s+/g, ' ');
  const count = normalized === '' ? 0 : normalized.split(' ').length;
  if (count !== 5) {
    return err(
      `"${truncate(normalized, 60)}" has ${count} field${count === 1 ? '' : 's'}; a schedule needs 5: minute hour day-of-month month day-of-week (e.g. "0 9 * * 1-5" for 09:00 on weekdays).`,
    );
  }
  const detailed = cron.validateDetailed(normalized);
  if (!detailed.valid) {
    const first = detailed.errors[0];
    return err(`"${truncate(normalized, 60)}" is not a valid schedule: ${first?.message ?? 'unreadable'}.`);
  }
  if (!parseFields(normalized)) {
    return err(`"${truncate(normalized, 60)}" uses L, W or # modifiers, which digests do not support.`);
  }
  return ok(normalized);
}

function parseFields(expression: string): Fields | undefined {
  const parsed = cron.parse(expression);
  const numbers = (values: readonly (number | string)[]) =>
    values.every((v) => typeof v === 'number') ? new Set(values as number[]) : undefined;
  const dayOfMonth = numbers(parsed.dayOfMonth);
  const dayOfWeek = numbers(parsed.dayOfWeek);
  if (!dayOfMonth || !dayOfWeek) return undefined;
  return {
    minute: new Set(parsed.minute),
    hour: new Set(parsed.hour),
    dayOfMonth,
    month: new Set(parsed.month),
    dayOfWeek: new Set([...dayOfWeek].map((d) => d % 7)),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface Local {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function localParts(ms: number, timeZone: string): Local {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

/** Whether the instant `ms` reads as `local` in `timeZone`. */
function isAt(ms: number, local: Local, timeZone: string): boolean {
  const p = localParts(ms, timeZone);
  return (
    p.year === local.year &&
    p.month === local.month &&
    p.day === local.day &&
    p.hour === local.hour &&
    p.minute === local.minute
  );
}

/** The instant `probe` minus the zone's UTC offset at `probe`, for a wall time read as UTC. */
function shiftedByOffsetAt(asUtc: number, probe: number, timeZone: string): number {
  const p = localParts(probe, timeZone);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(probe / 60_000) * 60_000;
  return asUtc - offset;
}

/**
 * The UTC instant of a local wall time, or undefined when that time does not exist (DST gap). A
 * time that occurs twice (fall back) resolves as node-cron resolves it, so that the catch-up
 * decision and the live task agree: with the offset in force at the wall time read as UTC (the
 * first occurrence west of Greenwich, the second east of it).
 */
function toInstant(local: Local, timeZone: string): number | undefined {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const asNodeCron = shiftedByOffsetAt(asUtc, asUtc, timeZone);
  if (isAt(asNodeCron, local, timeZone)) return asNodeCron;
  // Offsets a day and a half either side cover both sides of a DST change next to this time.
  const valid = [asUtc - 36 * 3_600_000, asUtc + 36 * 3_600_000]
    .map((probe) => shiftedByOffsetAt(asUtc, probe, timeZone))
    .filter((ms) => isAt(ms, local, timeZone))
    .sort((a, b) => a - b);
  return valid[0];
}

const MAX_DAYS = 366 * 8;

/**
 * The next `count` times `expression` fires in `timeZone` from now, as node-cron computes them
 * (what its live task will do). Throws for an expression node-cron refuses.
 */
export function upcomingRuns(expression: string, timeZone: string, count = 1): Date[] {
  // A task that is never started holds no timer; destroying it takes it out of node-cron's registry.
  const task = cron.createTask(expression, () => undefined, { timezone: timeZone });
  try {
    return task.getNextRuns(count);
  } finally {
    void task.destroy();
  }
}

/**
 * The first time strictly after `after` at which `expression` fires in `timeZone` (node-cron cannot
 * count from another instant than now; see {@link isRunMissed}). Throws for an expression
 * validateCron refuses; undefined if it does not fire in the next eight years.
 */
export function nextRun(expression: string, timeZone: string, after: Date): Date | undefined {
  const fields = parseFields(expression);
  if (!fields) throw new Error(`unsupported schedule: ${expression}`);
  const afterMs = after.getTime();
  const start = localParts(afterMs, timeZone);
  let date = new Date(Date.UTC(start.year, start.month - 1, start.day));
  const hours = [...fields.hour].sort((a, b) => a - b);
  const minutes = [...fields.minute].sort((a, b) => a - b);
  for (let i = 0; i < MAX_DAYS; i++) {
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (fields.month.has(month) && fields.dayOfMonth.has(day) && fields.dayOfWeek.has(date.getUTCDay())) {
      for (const hour of hours) {
        for (const minute of minutes) {
          const ms = toInstant({ year, month, day, hour, minute }, timeZone);
          if (ms !== undefined && ms > afterMs) return new Date(ms);
        }
      }
    }
    date = new Date(date.getTime() + 86_400_000);
  }
  return undefined;
}

/**
 * Whether a run was due between the last run (or the subscription's start) and `now`: at start, a
 * subscription gets one catch-up digest if so, however many slots were missed.
 */
export function isRunMissed(expression: string, timeZone: string, lastRun: Date, now: Date): boolean {
  const next = nextRun(expression, timeZone, lastRun);
  return next !== undefined && next.getTime() <= now.getTime();
}
