import { describe, expect, it } from 'vitest';
import {
  exactlyOnceProblems,
  fanoutCeiling,
  highestSustained,
  percentile,
  postRate,
  shardSplit,
  type LoadStep,
} from './multiProcessFigures.js';
import { multiProcessTargets, renderMultiProcessTargets } from './targets.js';

describe('multi-process benchmark figures', () => {
  it('splits 3 shards over 1, 2 and 3 processes, the first taking the extra one', () => {
    expect(shardSplit(1, 3)).toEqual(['0,1,2']);
    expect(shardSplit(2, 3)).toEqual(['0,1', '2']);
    expect(shardSplit(3, 3)).toEqual(['0', '1', '2']);
    expect(shardSplit(3, 8)).toEqual(['0,1,2', '3,4,5', '6,7']);
    expect(() => shardSplit(4, 3)).toThrow(/cannot split 3 shards over 4 processes/);
  });

  it('takes the global limit as the ceiling over many channels, the per-channel one over few', () => {
    expect(fanoutCeiling(200)).toBe(50);
    expect(fanoutCeiling(50)).toBe(50);
    expect(fanoutCeiling(10)).toBe(10); // 5 per 5 s each
    expect(fanoutCeiling(1)).toBe(1);
  });

  it('measures the rate between the first post and the last', () => {
    // 101 posts 20 ms apart: exactly 50 per second, whatever order they came back in.
    const times = Array.from({ length: 101 }, (_, k) => 1000 + k * 20).reverse();
    expect(postRate(times)).toBeCloseTo(50, 9);
    expect(postRate([5])).toBeNull();
    expect(postRate([5, 5])).toBeNull();
  });

  it('passes channels holding each article once and names duplicates, gaps and strays', () => {
    const expected = ['a', 'b', 'c'];
    expect(
      exactlyOnceProblems(
        expected,
        new Map([
          ['1', ['a', 'b', 'c']],
          ['2', ['c', 'a', 'b']],
        ]),
      ),
    ).toEqual([]);
    expect(
      exactlyOnceProblems(
        expected,
        new Map([
          ['1', ['a', 'b', 'c', 'a', 'b', 'c']],
          ['2', ['a', 'c', 'z']],
          ['3', []],
          ['4', ['a', 'b', 'c']],
        ]),
      ),
    ).toEqual([
      'channel 1: duplicated a ×2, b ×2, c ×2',
      'channel 2: missing b; unexpected z',
      'channel 3: missing a, b, c',
    ]);
  });

  it('reads percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, k) => 100 - k); // 1..100, unsorted
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 99)).toBeNaN();
  });

  it('reports the highest rate sustained before the first step that was not', () => {
    const step = (offered: number, p99Ms: number, answered = offered, unanswered = 0): LoadStep => ({
      offered,
      answered,
      p99Ms,
      unanswered,
    });
    expect(highestSustained([step(25, 3), step(50, 8), step(100, 31), step(150, 12)], 25)).toBe(50);
    expect(highestSustained([step(25, 3), step(50, 8, 40)], 25)).toBe(25); // fell behind
    expect(highestSustained([step(25, 3), step(50, 8, 50, 1)], 25)).toBe(25); // an answer lost
    expect(highestSustained([step(25, 25), step(50, 25.01)], 25)).toBe(25);
    expect(highestSustained([step(25, 40)], 25)).toBe(0);
  });

  it('checks fan-out against 90% of the ceiling and a 429 storm at 5% of the messages', () => {
    const targets = multiProcessTargets({
      fanoutProxy1Messages: 200,
      fanoutProxy1DeliveriesPerSecond: 46,
      fanoutProxy1CeilingPerSecond: 50,
      fanoutProxy1RateLimited: 10,
      fanoutProxy2Messages: 200,
      fanoutProxy2DeliveriesPerSecond: 44.5,
      fanoutProxy2CeilingPerSecond: 50,
      fanoutProxy2RateLimited: 11,
      fanoutDirect3RateLimited: 400, // runs without the proxy carry no target
    });
    expect(targets.map((t) => [t.name, t.value, t.limit, t.pass])).toEqual([
      ['digest fan-out, 1 process, one proxy: share of the ceiling', 92, 90, true],
      ['digest fan-out, 1 process, one proxy: 429s (no storm)', 10, 10, true],
      ['digest fan-out, 2 processes, one proxy: share of the ceiling', 89, 90, false],
      ['digest fan-out, 2 processes, one proxy: 429s (no storm)', 11, 10, false],
    ]);
    const lines = renderMultiProcessTargets(targets);
    expect(lines[1]).toMatch(
      /^PASS\s+digest fan-out, 1 process, one proxy: share of the ceiling\s+92\.0 %\s+>= 90\.0 %$/,
    );
    expect(lines[4]).toMatch(
      /^FAIL\s+digest fan-out, 2 processes, one proxy: 429s \(no storm\)\s+11 429s\s+<= 10 429s$/,
    );
  });
});
