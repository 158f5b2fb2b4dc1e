import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import {
  isRunMissed,
  nextRun,
  TIME_ZONES,
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
      // 02:30 happens twice in autumn: the first one counts.
      ['30 2 * * *', 'Europe/Paris', '2026-10-24T12:00:00Z', '2026-10-25T00:30:00.000Z'],
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
