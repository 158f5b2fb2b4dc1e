import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  isRunMissed,
  nextRun,
  TIME_ZONES,
  upcomingRuns,
  validateCron,
  validateTimeZone,
} from '../../src/digests/schedule.js';

const at = (iso: string) => new Date(iso);

describe('schedule', () => {
  describe('validateCron', () => {
    it.each([
      ['0 9 * * *', '0 9 * * *'],
      ['  */15   8-18 * * 1-5 ', '*/15 8-18 * * 1-5'],
      ['0 9 * jan mon', '0 9 * jan mon'],
    ])('accepts %j', (input, normalized) => {
      expect(validateCron(input)).toEqual({ ok: true, value: normalized });
    });

    it.each([
      [
        '',
        '"" has 0 fields; a schedule needs 5: minute hour day-of-month month day-of-week (e.g. "0 9 * * 1-5" for 09:00 on weekdays).',
      ],
      [
        '0 9 * *',
        '"0 9 * *" has 4 fields; a schedule needs 5: minute hour day-of-month month day-of-week (e.g. "0 9 * * 1-5" for 09:00 on weekdays).',
      ],
      [
        '0 0 9 * * *',
        '"0 0 9 * * *" has 6 fields; a schedule needs 5: minute hour day-of-month month day-of-week (e.g. "0 9 * * 1-5" for 09:00 on weekdays).',
      ],
      ['61 * * * *', '"61 * * * *" is not a valid schedule: 61 is a invalid expression for minute.'],
      ['0 9 L * *', '"0 9 L * *" uses L, W or # modifiers, which digests do not support.'],
      [
        'every day',
        '"every day" has 2 fields; a schedule needs 5: minute hour day-of-month month day-of-week (e.g. "0 9 * * 1-5" for 09:00 on weekdays).',
      ],
    ])('refuses %j with a message people can act on', (input, message) => {
      expect(validateCron(input)).toEqual({ ok: false, error: message });
    });
  });

  describe('validateTimeZone', () => {
    it('knows the IANA names and returns their canonical spelling', () => {
      expect(TIME_ZONES).toContain('Europe/Paris');
      expect(TIME_ZONES).toContain('UTC');
      expect(validateTimeZone('europe/paris')).toEqual({ ok: true, value: 'Europe/Paris' });
      expect(validateTimeZone('America/New_York')).toEqual({ ok: true, value: 'America/New_York' });
    });
    it('refuses an unknown zone', () => {
      expect(validateTimeZone('Mars/Olympus')).toEqual({
        ok: false,
        error:
          '"Mars/Olympus" is not a time zone; use an IANA name such as Europe/Paris or America/New_York.',
      });
    });
  });

  describe('nextRun', () => {
    it.each([
      // 09:00 Paris is 08:00 UTC in winter.
      ['0 9 * * *', 'Europe/Paris', '2026-11-23T07:00:00Z', '2026-11-23T08:00:00.000Z'],
      ['0 9 * * *', 'Europe/Paris', '2026-11-23T08:00:00Z', '2026-11-24T08:00:00.000Z'],
      // ... and 07:00 UTC in summer.
      ['0 9 * * *', 'Europe/Paris', '2026-07-01T10:00:00Z', '2026-07-02T07:00:00.000Z'],
      // Weekdays only: Friday evening → Monday.
      ['30 8 * * 1-5', 'America/New_York', '2026-11-20T20:00:00Z', '2026-11-23T13:30:00.000Z'],
      // Across a date line: Monday 09:00 in Auckland is Sunday 20:00 UTC.
      ['0 9 * * 1', 'Pacific/Auckland', '2026-11-20T00:00:00Z', '2026-11-22T20:00:00.000Z'],
      // Half-hour offset.
      ['0 0 * * *', 'Asia/Kolkata', '2026-11-23T00:00:00Z', '2026-11-23T18:30:00.000Z'],
      // 02:30 does not exist on the spring-forward night in Paris: the next one is a day later.
      ['30 2 * * *', 'Europe/Paris', '2026-03-28T12:00:00Z', '2026-03-30T00:30:00.000Z'],
      // 02:30 happens twice in autumn: once, the second time (CET), as node-cron's task fires.
      ['30 2 * * *', 'Europe/Paris', '2026-10-24T12:00:00Z', '2026-10-25T01:30:00.000Z'],
      // West of Greenwich node-cron takes the first: 01:30 EDT, not 01:30 EST.
      ['30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', '2026-11-01T05:30:00.000Z'],
      ['*/15 * * * *', 'UTC', '2026-11-23T10:07:13Z', '2026-11-23T10:15:00.000Z'],
      ['0 12 29 2 *', 'UTC', '2026-03-01T00:00:00Z', '2028-02-29T12:00:00.000Z'],
    ])('%s in %s after %s is %s', (expression, zone, after, expected) => {
      expect(nextRun(expression, zone, at(after))?.toISOString()).toBe(expected);
    });

    it('agrees with node-cron on what matches', () => {
      const task = cron.createTask('45 7 * * 2,4', () => undefined, { timezone: 'Asia/Tokyo' });
      try {
        let from = at('2026-11-23T00:00:00Z');
        for (let k = 0; k < 6; k++) {
          const next = nextRun('45 7 * * 2,4', 'Asia/Tokyo', from) as Date;
          expect(task.match(next)).toBe(true);
          expect(task.match(new Date(next.getTime() - 60_000))).toBe(false);
          from = next;
        }
      } finally {
        void task.destroy();
      }
    });
  });

  describe('upcomingRuns', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** node-cron counts from the wall clock: set it (Date only, no timers) to `iso`. */
    const clockAt = (iso: string) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(at(iso));
    };

    /** Our arithmetic, chained from `from`: the runs node-cron should list. */
    const ours = (expression: string, zone: string, from: Date, count: number) => {
      const out: string[] = [];
      for (let after = from; out.length < count;) {
        after = nextRun(expression, zone, after)!;
        out.push(after.toISOString());
      }
      return out;
    };

    // Each zone's spring-forward and fall-back nights in 2026, a few hours before the change.
    const transitions = [
      ['Europe/Berlin', 'spring forward', '2026-03-28T20:00:00Z'],
      ['Europe/Berlin', 'fall back', '2026-10-24T20:00:00Z'],
      ['America/New_York', 'spring forward', '2026-03-08T02:00:00Z'],
      ['America/New_York', 'fall back', '2026-11-01T02:00:00Z'],
      ['Australia/Sydney', 'fall back', '2026-04-04T10:00:00Z'],
      ['Australia/Sydney', 'spring forward', '2026-10-03T10:00:00Z'],
    ] as const;
    // Slots inside the skipped or repeated hour, next to it, hourly, every 20 minutes, weekly.
    const expressions = ['30 2 * * *', '0 3 * * *', '0 1 * * *', '15 * * * *', '*/20 1-3 * * *', '0 9 * * 0'];

    it.each(transitions)('agrees with nextRun in %s over the %s night', (zone, _change, iso) => {
      clockAt(iso);
      for (const expression of expressions) {
        const fromNodeCron = upcomingRuns(expression, zone, 6).map((d) => d.toISOString());
        expect({ expression, runs: fromNodeCron }).toEqual({
          expression,
          runs: ours(expression, zone, at(iso), 6),
        });
      }
    });

    it('counts from the wall clock: what /digest list shows', () => {
      clockAt('2026-11-23T07:00:00Z');
      expect(upcomingRuns('0 9 * * *', 'Europe/Paris', 2).map((d) => d.toISOString())).toEqual([
        '2026-11-23T08:00:00.000Z',
        '2026-11-24T08:00:00.000Z',
      ]);
    });
  });

  describe('isRunMissed', () => {
    const last = at('2026-11-20T08:00:00Z'); // the Friday 09:00 Paris run
    it.each([
      ['just before the next slot', '2026-11-21T07:59:00Z', false],
      ['at the next slot', '2026-11-21T08:00:00Z', true],
      ['three days of downtime (one catch-up, not three)', '2026-11-24T09:00:00Z', true],
    ])('is %s → %s', (_what, now, expected) => {
      expect(isRunMissed('0 9 * * *', 'Europe/Paris', last, at(now))).toBe(expected);
    });
  });
});
