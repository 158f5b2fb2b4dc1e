import { describe, expect, it } from 'vitest';
import {
  FETCH_POLICY,
  HEALTHY,
  backoffMs,
  isPermanentFailure,
  nextFetchAfterSuccess,
  parseRetryAfter,
  recordFailure,
  recordSuccess,
} from '../../../src/core/sources/fetchPolicy.js';
import type { SourceHealth } from '../../../src/core/sources/fetchPolicy.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-03-02T12:00:00Z');

describe('fetchPolicy', () => {
  describe('parseRetryAfter', () => {
    it.each([
      ['120', 120_000],
      ['0', 0],
      [' 5 ', 5_000],
      ['Mon, 02 Mar 2026 12:01:30 GMT', 90_000],
      ['Monday, 02-Mar-26 12:00:10 GMT', 10_000],
      ['Mon, 02 Mar 2026 11:00:00 GMT', 0], // in the past: go ahead
      ['99999999', FETCH_POLICY.maxRetryAfterMs], // absurd: capped at a week
      ['-5', null],
      ['1.5', null],
      ['soon', null],
      ['', null],
      ['2026-03-02', null],
      [null, null],
      [undefined, null],
    ])('reads %j as %j ms', (value, expected) => {
      expect(parseRetryAfter(value, NOW)).toBe(expected);
    });
  });

  describe('backoffMs', () => {
    it.each([
      [1, null, 5 * MIN],
      [2, null, 10 * MIN],
      [3, null, 20 * MIN],
      [5, null, 80 * MIN],
      [9, null, 1280 * MIN],
      [10, null, DAY], // 2560 min, capped
      [1000, null, DAY],
      [0, null, 5 * MIN], // nonsense counts as the first failure
      [1, 2 * HOUR, 2 * HOUR], // Retry-After longer than the backoff wins
      [4, 60_000, 40 * MIN], // shorter does not shorten it
      [10, 3 * DAY, 3 * DAY], // beyond the day cap when the server says so
      [1, 30 * DAY, FETCH_POLICY.maxRetryAfterMs],
    ])('waits after failure %i (Retry-After %j ms): %i ms', (failures, retryAfter, expected) => {
      expect(backoffMs(failures, retryAfter)).toBe(expected);
    });
  });

  describe('nextFetchAfterSuccess', () => {
    it.each([
      [30, NOW + 30 * MIN],
      [1, NOW + MIN],
      [0, NOW + MIN], // never a busy loop
    ])('every %i minutes -> %i', (everyMinutes, expected) => {
      expect(nextFetchAfterSuccess(NOW, everyMinutes)).toBe(expected);
      expect(recordSuccess(NOW, everyMinutes)).toEqual({ health: HEALTHY, nextFetchAt: expected });
    });
  });

  describe('recordFailure', () => {
    const failure = { retryAfterMs: null, permanent: false, message: 'http://x/feed: HTTP 500' };

    it('counts failures, remembers when they began and schedules the backoff', () => {
      const first = recordFailure(HEALTHY, failure, NOW);
      expect(first).toEqual({
        health: { consecutiveFailures: 1, failingSince: NOW },
        nextFetchAt: NOW + 5 * MIN,
        disabledReason: null,
      });
      const second = recordFailure(first.health, failure, first.nextFetchAt);
      expect(second.health).toEqual({ consecutiveFailures: 2, failingSince: NOW });
      expect(second.nextFetchAt).toBe(first.nextFetchAt + 10 * MIN);
    });

    it('honours a Retry-After longer than the backoff', () => {
      const outcome = recordFailure(HEALTHY, { ...failure, retryAfterMs: 3 * HOUR }, NOW);
      expect(outcome.nextFetchAt).toBe(NOW + 3 * HOUR);
    });

    /** Fails on schedule, every time, and returns when (and after how many failures) it was disabled. */
    function failUntilDisabled(): { failures: number; afterMs: number; reason: string } {
      let health: SourceHealth = HEALTHY;
      let now = NOW;
      for (let i = 0; i < 100; i++) {
        const outcome = recordFailure(health, failure, now);
        if (outcome.disabledReason !== null)
          return {
            failures: outcome.health.consecutiveFailures,
            afterMs: now - NOW,
            reason: outcome.disabledReason,
          };
        health = outcome.health;
        now = outcome.nextFetchAt;
      }
      throw new Error('never disabled');
    }

    it('disables a source failing 10+ times over 3+ days, not before', () => {
      const { failures, afterMs, reason } = failUntilDisabled();
      expect(failures).toBe(12);
      expect(afterMs).toBeGreaterThanOrEqual(3 * DAY);
      expect(afterMs).toBeLessThan(4 * DAY);
      expect(reason).toBe('disabled after 12 failures in a row over 3 days; last: http://x/feed: HTTP 500');
    });

    it.each([
      ['9 failures over 5 days', { consecutiveFailures: 8, failingSince: NOW - 5 * DAY }, null],
      [
        '10 failures in 2 days (a weekend outage)',
        { consecutiveFailures: 9, failingSince: NOW - 2 * DAY },
        null,
      ],
      [
        '10 failures over 3 days',
        { consecutiveFailures: 9, failingSince: NOW - 3 * DAY },
        'disabled after 10 failures in a row over 3 days; last: http://x/feed: HTTP 500',
      ],
    ])('%s -> %j', (_, health, expected) => {
      expect(recordFailure(health, failure, NOW).disabledReason).toBe(expected);
    });

    it('disables at once on a failure that waiting cannot fix', () => {
      const outcome = recordFailure(
        HEALTHY,
        {
          retryAfterMs: null,
          permanent: isPermanentFailure('bad-url'),
          message: 'ftp://x/: only http and https are fetched, not ftp:',
        },
        NOW,
      );
      expect(outcome.disabledReason).toBe('disabled: ftp://x/: only http and https are fetched, not ftp:');
    });

    it.each([
      ['bad-url', true],
      ['http', false],
      ['rate-limited', false],
      ['robots', false],
      ['network', false],
      ['timeout', false],
      ['too-large', false],
      ['too-many-redirects', false],
      ['forbidden-address', false], // the operator may allow the network; the source then recovers
    ])('isPermanentFailure(%s) is %s', (kind, expected) => {
      expect(isPermanentFailure(kind)).toBe(expected);
    });
  });
});
