import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOursSide } from './oursSide.js';
import { buildPrefixMix, buildQueryMix } from './queries.js';
import { createRawSide } from './rawSide.js';
import { writeCorpus } from './syntheticCorpus.js';
import type { DocumentRecord } from '../src/core/record.js';
import { loadCorpus } from '../src/ingest/loadCorpus.js';

let dataDir = '';

/** Answers in order; a side may answer synchronously or with a promise. */
async function answers<T>(
  items: readonly T[],
  ask: (item: T) => number | Promise<number>,
): Promise<number[]> {
  const out: number[] = [];
  for (const item of items) out.push(await ask(item));
  return out;
}
let documents: DocumentRecord[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'mnb-bench-sides-'));
  await writeCorpus(path.join(dataDir, 'raw'), { count: 300, seed: 5 });
  ({ documents } = await loadCorpus(dataDir));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('bench queries', () => {
  describe('buildQueryMix', () => {
    it('gives the same list for the same seed, a quarter of each class', () => {
      const mix = buildQueryMix(3);
      expect(buildQueryMix(3)).toEqual(mix);
      expect(buildQueryMix(4)).not.toEqual(mix);
      for (const cls of ['exact', 'prefix', 'typo', 'filtered']) {
        expect(mix.filter((q) => q.class === cls)).toHaveLength(50);
      }
      expect(mix.filter((q) => q.class === 'filtered').every((q) => q.filter !== undefined)).toBe(true);
    });
  });

  describe('buildPrefixMix', () => {
    it('gives 1 to 6 characters for each field, the same for the same seed', () => {
      const mix = buildPrefixMix(3);
      expect(buildPrefixMix(3)).toEqual(mix);
      expect(mix.every((p) => p.prefix.length >= 1 && [...p.prefix].length <= 6)).toBe(true);
      expect(new Set(mix.map((p) => p.field))).toEqual(new Set(['title', 'country', 'contact', 'project']));
    });
  });
});

describe.each([
  ['raw', createRawSide],
  ['ours', createOursSide],
])('bench side %s', (_name, create) => {
  it('answers the query mix after a build and the same after a snapshot round trip', async () => {
    const side = create();
    const built = await side.build(documents);
    const queries = buildQueryMix(1, 40);
    const fromBuild = await answers(queries, (q) => built.search(q));
    expect(fromBuild.filter((hits) => hits > 0).length).toBeGreaterThan(20);

    const snapshot = await side.writeSnapshot(dataDir);
    expect(snapshot.bytes).toBeGreaterThan(1000);
    const loaded = await side.loadSnapshot(dataDir, documents);
    expect(await answers(queries, (q) => loaded.search(q))).toEqual(fromBuild);
  });

  it('opens cold from the snapshot and by rebuilding, with the same first answer', async () => {
    const side = create();
    await side.build(documents);
    await side.writeSnapshot(dataDir);
    const query = { class: 'exact', text: 'border management' } as const;
    const fromSnapshot = await (await side.coldOpen(dataDir, 'snapshot')).search(query);
    const rebuilt = await (await side.coldOpen(dataDir, 'rebuild')).search(query);
    expect(fromSnapshot).toBeGreaterThan(0);
    expect(rebuilt).toBe(fromSnapshot);
  });

  it('completes prefixes', async () => {
    const side = create();
    const answerer = await side.build(documents);
    const counts = await answers(buildPrefixMix(1, 40), (p) => answerer.suggest(p));
    expect(counts.some((n) => n > 0)).toBe(true);
    expect(counts.every((n) => n <= 25)).toBe(true);
  });
});
