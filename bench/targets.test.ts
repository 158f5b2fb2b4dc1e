import { describe, expect, it } from 'vitest';
import { renderTargets, targetsOf, type TargetFigures } from './targets.js';

const passing: TargetFigures = {
  rssAfterLoadBytes: 0.9e9,
  peakStartRssBytes: 1.2e9,
  peakIngestRssBytes: 1.4e9,
  peakSnapshotRssBytes: 1.5e9,
  coldStartSeconds: 3.5,
  searchP99Ms: { exact: 20, prefix: 25, typo: 10, filtered: 5, newest: 12, since: 8 },
  suggestP99Ms: 0.4,
  snapshotBytes: 150e6,
  snapshotStallMs: 60,
  ingestStallMs: 100,
};

describe('targets', () => {
  describe('targetsOf', () => {
    it('passes figures at or under each limit, and autocomplete only strictly under 1 ms', () => {
      const targets = targetsOf(100_000, passing, null);
      expect(targets).toHaveLength(15);
      expect(targets.every((t) => t.pass === true)).toBe(true);
      const atOne = targetsOf(100_000, { ...passing, suggestP99Ms: 1 }, null);
      expect(atOne.find((t) => t.name === 'autocomplete p99')?.pass).toBe(false);
    });

    it('fails each figure over its limit, says N/A for one not measured, and keeps raw beside', () => {
      const failing = {
        ...passing,
        rssAfterLoadBytes: 2.3e9,
        searchP99Ms: { ...passing.searchP99Ms, exact: 100 },
        ingestStallMs: null,
      };
      const raw = { ...passing, rssAfterLoadBytes: 1.8e9 };
      const targets = targetsOf(100_000, failing, raw);
      const byName = new Map(targets.map((t) => [t.name, t]));
      expect(byName.get('RSS after loading')).toMatchObject({ ours: 2.3, raw: 1.8, pass: false });
      expect(byName.get('search p99, exact')).toMatchObject({ ours: 100, pass: false });
      expect(byName.get('search p99, since')).toMatchObject({ ours: 8, pass: true });
      expect(byName.get('longest event-loop stall, ingesting 1,000 pages')).toMatchObject({
        ours: null,
        pass: null,
      });
    });
  });

  describe('renderTargets', () => {
    it('prints PASS, FAIL or N/A beside ours, the limit and raw MiniSearch’s figure', () => {
      const lines = renderTargets(
        targetsOf(
          100_000,
          { ...passing, coldStartSeconds: 11.2, ingestStallMs: null },
          {
            ...passing,
            coldStartSeconds: 5.2,
          },
        ),
      );
      expect(lines[0]).toBe('Targets at 100,000 documents:');
      const line = (name: string) => lines.find((l) => l.includes(name)) ?? '';
      expect(line('cold start')).toMatch(
        /^FAIL\s+cold start, spawn to first answer\s+11\.2 s\s+<= 4\.00 s\s+5\.20 s$/,
      );
      expect(line('RSS after loading')).toMatch(
        /^PASS\s+RSS after loading\s+0\.90 GB\s+<= 1\.00 GB\s+0\.90 GB$/,
      );
      expect(line('autocomplete')).toMatch(/^PASS\s+autocomplete p99\s+0\.40 ms\s+< 1\.00 ms/);
      expect(line('ingesting')).toMatch(
        /^N\/A\s+longest event-loop stall, ingesting 1,000 pages\s+-\s+<= 100\.0 ms\s+100\.0 ms$/,
      );
    });

    it('notes where the targets are defined when the size is another', () => {
      expect(renderTargets(targetsOf(10_000, passing, null))[0]).toBe(
        'Targets at 10,000 documents (the targets are defined at 100,000):',
      );
    });
  });
});
