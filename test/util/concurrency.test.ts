import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../src/util/concurrency.js';

describe('concurrency', () => {
  describe('mapBounded', () => {
    it('never runs more than `limit` tasks at once and returns results in input order', async () => {
      let running = 0;
      let peak = 0;
      // Later items finish first, so input order is not completion order.
      const delays = [30, 5, 20, 1, 15, 2, 10, 3, 8, 4];
      const results = await mapBounded(delays, 3, async (ms, index) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, ms));
        running--;
        return `${index}:${ms}`;
      });
      expect(peak).toBe(3);
      expect(results).toEqual(delays.map((ms, index) => `${index}:${ms}`));
    });

    it('starts the next task as soon as one ends instead of waiting for a whole batch', async () => {
      const started: number[] = [];
      let release: (() => void) | undefined;
      const slow = new Promise<void>((resolve) => (release = resolve));
      const run = mapBounded([0, 1, 2], 2, async (item) => {
        started.push(item);
        if (item === 0) await slow;
      });
      // Item 1 ended at once; item 2 must start while item 0 is still running.
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(started).toEqual([0, 1, 2]);
      release!();
      await run;
    });

    it('rejects with the first failure', async () => {
      await expect(
        mapBounded([1, 2, 3], 2, (n) =>
          n === 2 ? Promise.reject(new Error('task 2 failed')) : Promise.resolve(n),
        ),
      ).rejects.toThrow('task 2 failed');
    });
  });
});
