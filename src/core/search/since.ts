import { err, ok, UserError, type Result } from '../errors.js';

const HOUR_MS = 3_600_000;
const UNIT_MS = { h: HOUR_MS, d: 24 * HOUR_MS, w: 7 * 24 * HOUR_MS } as const;
/** Ten years back is as far as a relative `since` goes (and keeps the arithmetic in range). */
const MAX_RELATIVE_HOURS = 10 * 366 * 24;

/**
 * Reads a search's `since` filter: a day (`2026-11-01`, midnight UTC) or a time back from `now`
 * (`24h`, `7d`, `2w`), as an ISO time. Pure: `now` is the caller's clock. The error names what is
 * accepted, for users to act on.
 */
export function parseSince(text: string, now: Date): Result<string> {
  const value = text.trim().toLowerCase();
  const relative = /^(\d{1,6})\s*([hdw])$/.exec(value);
  if (relative) {
    const amount = Number(relative[1]);
    const ms = amount * UNIT_MS[relative[2] as keyof typeof UNIT_MS];
    if (amount === 0 || ms > MAX_RELATIVE_HOURS * HOUR_MS) return err(sinceError(text));
    return ok(new Date(now.getTime() - ms).toISOString());
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    // Date.UTC rolls 2026-02-31 over to March: only a real calendar day is accepted.
    if (date.toISOString().slice(0, 10) === value) return ok(date.toISOString());
  }
  return err(sinceError(text));
}

function sinceError(text: string): string {
  return `"since" must be a day (YYYY-MM-DD) or a time back such as 24h, 7d or 2w; got "${text.trim().slice(0, 40)}".`;
}

/**
 * The UserError for a `since` that {@link parseSince} refused: its English message, and its catalog
 * key with the value typed, so adapters answer in the reader's language.
 */
export function sinceUserError(text: string): UserError {
  return new UserError('bad-since', sinceError(text), {
    key: 'errors.bad-since',
    values: { value: text.trim().slice(0, 40) },
  });
}
