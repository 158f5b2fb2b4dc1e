import { describe, expect, it } from 'vitest';
import { cronShape } from '../../src/core/cronWords.js';

describe('cronWords', () => {
  describe('cronShape', () => {
    it.each([
      ['0 8 * * *', { kind: 'daily', hour: 8, minute: 0 }],
      ['0 30 7 * * *', { kind: 'daily', hour: 7, minute: 30 }],
      ['15 9 * * 1-5', { kind: 'weekly', days: [1, 2, 3, 4, 5], hour: 9, minute: 15 }],
      ['0 18 * * 0,7,6', { kind: 'weekly', days: [0, 6], hour: 18, minute: 0 }],
      ['0 6 * * 0-6', { kind: 'daily', hour: 6, minute: 0 }],
      ['5 * * * *', { kind: 'hourly', minute: 5 }],
    ])('says %s as %o', (cron, shape) => {
      expect(cronShape(cron)).toEqual(shape);
    });

    it.each([
      '*/15 * * * *',
      '0 8 1 * *',
      '0 8 * 1 *',
      '0 8-10 * * *',
      '0 8 * * MON',
      '5 * * * 1',
      '0 25 * * *',
      '15 0 8 * * *',
    ])('leaves %s to the cron itself', (cron) => {
      expect(cronShape(cron)).toBeUndefined();
    });
  });
});
