/**
 * The common shapes of a digest's cron schedule, as data a renderer can say in words: every day at
 * a time, on some weekdays at a time, or every hour at a minute. Anything else is `undefined` (the
 * cron itself is then shown alone).
 */
export type CronShape =
  | { readonly kind: 'daily'; readonly hour: number; readonly minute: number }
  | {
      readonly kind: 'weekly';
      readonly days: readonly number[];
      readonly hour: number;
      readonly minute: number;
    }
  | { readonly kind: 'hourly'; readonly minute: number };

const NUMBER = /^\d{1,2}$/;

/** Weekdays of a cron day-of-week field (0 or 7 Sunday), `1-5` and `1,3,5` forms; else undefined. */
function weekdays(field: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of field.split(',')) {
    const range = /^(\d)(?:-(\d))?$/.exec(part);
    if (!range) return undefined;
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (from > to || to > 7) return undefined;
    for (let d = from; d <= to; d++) days.add(d % 7);
  }
  return [...days].sort((a, b) => a - b);
}

/** Recognises a 5-field cron (or 6 with seconds at 0) in one of the {@link CronShape}s. */
export function cronShape(cron: string): CronShape | undefined {
  let fields = cron.trim().split(/\s+/);
  if (fields.length === 6 && fields[0] === '0') fields = fields.slice(1);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (!NUMBER.test(minute) || Number(minute) > 59 || dayOfMonth !== '*' || month !== '*') return undefined;
  if (hour === '*') return dayOfWeek === '*' ? { kind: 'hourly', minute: Number(minute) } : undefined;
  if (!NUMBER.test(hour) || Number(hour) > 23) return undefined;
  const time = { hour: Number(hour), minute: Number(minute) };
  if (dayOfWeek === '*') return { kind: 'daily', ...time };
  const days = weekdays(dayOfWeek);
  return days && days.length > 0
    ? days.length === 7
      ? { kind: 'daily', ...time }
      : { kind: 'weekly', days, ...time }
    : undefined;
}
