import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOursSide } from './oursSide.js';
import { buildPrefixMix, buildQueryMix, QUERY_CLASSES, sinceAt } from './queries.js';
import { createRawSide } from './rawSide.js';
import { generatePage, writeCorpus } from './syntheticCorpus.js';
import { BENCH_NOW, isWebPage, writeWebCorpus } from './webCorpus.js';
import { storedWebDocuments } from './storedDocuments.js';
import type { DocumentRecord } from '../src/core/record.js';
import { loadCorpus } from '../src/ingest/loadCorpus.js';
import { Store } from '../src/store/store.js';

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
  // As the benchmark lays a corpus out: pages in raw/, the fetched share in the store.
  await writeCorpus(path.join(dataDir, 'raw'), { count: 300, seed: 5 }, undefined, (i) => !isWebPage(i, 5));
  const store = await Store.open(dataDir);
  await writeWebCorpus(store, { count: 300, seed: 5 });
  await store.close();
  documents = [...(await loadCorpus(dataDir)).documents, ...(await storedWebDocuments(dataDir))];
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('bench queries', () => {
  describe('buildQueryMix', () => {
    it('gives the same list for the same seed, a sixth of each class', () => {
      const mix = buildQueryMix(3);
      expect(buildQueryMix(3)).toEqual(mix);
      expect(buildQueryMix(4)).not.toEqual(mix);
      for (const cls of QUERY_CLASSES) expect(mix.filter((q) => q.class === cls)).toHaveLength(40);
      expect(mix.filter((q) => q.class === 'filtered').every((q) => q.filter !== undefined)).toBe(true);
      expect(mix.filter((q) => q.class === 'newest').every((q) => q.sort === 'newest')).toBe(true);
      // Each since is what parseSince reads at the bench's clock: within the corpus's two years.
      for (const q of mix.filter((q) => q.class === 'since')) {
        expect(q.since).toEqual(sinceAt(q.since?.text ?? ''));
        expect(Date.parse(q.since?.iso ?? '')).toBeGreaterThan(BENCH_NOW.getTime() - 730 * 86_400_000);
      }
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

  it('answers newest and since queries over the fetched documents', async () => {
    const answerer = await create().build(documents);
    const dated = buildQueryMix(1, 120).filter((q) => q.class === 'newest' || q.class === 'since');
    const hits = await answers(dated, (q) => answerer.search(q));
    expect(hits.filter((n, k) => n > 0 && dated[k]?.class === 'since').length).toBeGreaterThan(3);
    expect(hits.filter((n, k) => n > 0 && dated[k]?.class === 'newest').length).toBeGreaterThan(10);
  });

  it('takes in new pages dropped into raw/ after a start, by its running path', async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'mnb-bench-ingest-'));
    try {
      const opts = { count: 60, seed: 9 };
      await writeCorpus(path.join(own, 'raw'), opts, undefined, (i) => !isWebPage(i, 9));
      const store = await Store.open(own);
      await writeWebCorpus(store, opts);
      await store.close();
      const side = create();
      await side.build([...(await loadCorpus(own)).documents, ...(await storedWebDocuments(own))]);
      await side.writeSnapshot(own);
      await side.coldOpen(own, 'snapshot');
      await side.beginIngestion(own);
      const files = [60, 61, 62].map((i) => {
        const page = generatePage(i, { count: 63, seed: 9 });
        const file = path.join(own, 'raw', page.fileName);
        writeFileSync(file, page.text);
        return file;
      });
      expect(await side.ingest(own, files)).toBe(3);
      await side.close();
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('completes prefixes', async () => {
    const side = create();
    const answerer = await side.build(documents);
    const counts = await answers(buildPrefixMix(1, 40), (p) => answerer.suggest(p));
    expect(counts.some((n) => n > 0)).toBe(true);
    expect(counts.every((n) => n <= 25)).toBe(true);
  });
});
