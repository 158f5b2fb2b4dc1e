import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCorpusLibrary } from '../src/ingest/openCorpus.js';
import { Store } from '../src/store/store.js';
import { sinceAt } from './queries.js';
import { writeCorpus } from './syntheticCorpus.js';
import { BENCH_NOW, isWebPage, webRecord, writeWebCorpus } from './webCorpus.js';

const OPTIONS = { count: 400, seed: 7 };
let dataDir = '';
let stored = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'mnb-bench-web-'));
  await writeCorpus(path.join(dataDir, 'raw'), OPTIONS, undefined, (i) => !isWebPage(i, OPTIONS.seed));
  const store = await Store.open(dataDir);
  try {
    stored = await writeWebCorpus(store, OPTIONS);
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('webCorpus', () => {
  describe('isWebPage', () => {
    it('makes about 30% of a corpus fetched documents, the same for the same seed', () => {
      const picks = Array.from({ length: 5000 }, (_, i) => isWebPage(i, 3));
      const share = picks.filter(Boolean).length / picks.length;
      expect(share).toBeGreaterThan(0.27);
      expect(share).toBeLessThan(0.33);
      expect(Array.from({ length: 5000 }, (_, i) => isWebPage(i, 3))).toEqual(picks);
    });
  });

  describe('writeWebCorpus', () => {
    it('round-trips the dated records through the real store, as the bot reads them at start', async () => {
      const expected = Array.from({ length: OPTIONS.count }, (_, i) => i)
        .filter((i) => isWebPage(i, OPTIONS.seed))
        .map((i) => webRecord(i, OPTIONS).record)
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const store = await Store.open(dataDir);
      try {
        const records = await store.webDocuments.records();
        expect(records).toEqual(expected);
        expect(records).toHaveLength(stored);
        expect(stored).toBeGreaterThan(80);
        for (const record of records) {
          expect(record.url).toMatch(/^https:\/\//);
          expect(record.urls?.[0]).toBeDefined();
          expect(record.sourceId).toMatch(/^[a-z-]+$/);
          expect(record.source).toBe(`web/${record.sourceId ?? ''}`);
        }
        const dates = records.flatMap((r) => (r.publishedAt ? [Date.parse(r.publishedAt)] : []));
        expect(dates.length).toBeGreaterThan(records.length * 0.9);
        expect(Math.max(...dates)).toBeLessThanOrEqual(BENCH_NOW.getTime());
        expect(Math.min(...dates)).toBeGreaterThan(BENCH_NOW.getTime() - 731 * 86_400_000);
      } finally {
        await store.close();
      }
    });

    it('puts them in the library openCorpusLibrary opens, where since and newest find them', async () => {
      const store = await Store.open(dataDir);
      const { library, counts } = await openCorpusLibrary(dataDir, {
        isReadOnly: true,
        webDocuments: store.webDocuments,
      }).finally(() => store.close());
      expect(counts.documents).toBe(OPTIONS.count);

      const since = sinceAt('365d');
      const recent = library.search('migrants', { since: since.iso, pageSize: 25 });
      expect(recent.total).toBeGreaterThan(0);
      const expectedTotal = library.search('migrants', { pageSize: 25 }).total;
      expect(recent.total).toBeLessThan(expectedTotal);
      for (const hit of recent.results) {
        expect(hit.publishedAt).toBeDefined();
        expect(Date.parse(hit.publishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(since.iso));
      }

      const newest = library.search('migrants', { sort: 'newest', pageSize: 25 });
      const shown = newest.results.map((hit) => hit.publishedAt ?? null);
      expect(shown[0]).not.toBeNull();
      const times = shown.filter((d): d is string => d !== null).map((d) => Date.parse(d));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });
  });
});
