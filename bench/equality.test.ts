/**
 * The benchmark's query mix answers the same on the shipped index (frozen segments read by the
 * query engine, loaded from a snapshot file) as on MiniSearch's own search() over the same records
 * (the path taken when MiniSearch's internals may not be read): same totals, same hits in the same
 * order, same scores. Only two things may differ, both from summing the same numbers in another
 * order: the last bits of a score, and the order among documents of equal score.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library, type SearchPage } from '../src/core/library.js';
import type { DocumentRecord } from '../src/core/record.js';
import {
  acceptMiniSearchVersion,
  MINISEARCH_INTERNALS_VERSION,
} from '../src/core/search/miniSearchInternals.js';
import { loadCorpus } from '../src/ingest/loadCorpus.js';
import { readSnapshot, saveSnapshot } from '../src/ingest/snapshotFile.js';
import { buildQueryMix, type BenchQuery } from './queries.js';
import { writeCorpus } from './syntheticCorpus.js';
import { isWebPage, webRecord } from './webCorpus.js';

const OPTIONS = { count: 3000, seed: 1 };
let dataDir = '';
let records: DocumentRecord[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'mnb-bench-equality-'));
  await writeCorpus(path.join(dataDir, 'raw'), OPTIONS, undefined, (i) => !isWebPage(i, OPTIONS.seed));
  const pages = await loadCorpus(dataDir);
  const web = Array.from({ length: OPTIONS.count }, (_, i) => i)
    .filter((i) => isWebPage(i, OPTIONS.seed))
    .map((i) => webRecord(i, OPTIONS).record);
  records = [...pages.documents, ...web];
}, 60_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const rounded = (score: number) => Number(score.toPrecision(12));

/** A page with equal scores grouped (compared as sets) and scores to 12 significant digits. */
function comparable(page: SearchPage) {
  const groups: Array<{ score: number; ids: string[] }> = [];
  for (const hit of page.results) {
    const score = rounded(hit.score);
    const last = groups.at(-1);
    if (last?.score === score) last.ids.push(hit.id);
    else groups.push({ score, ids: [hit.id] });
  }
  return {
    total: page.total,
    pages: page.pages,
    matchedAll: page.matchedAll,
    groups: groups.map((g) => ({ score: g.score, ids: g.ids.sort() })),
  };
}

const ask = (library: Library, query: BenchQuery, page: number) =>
  library.search(query.text, {
    ...query.filter,
    ...(query.sort ? { sort: query.sort } : {}),
    ...(query.since ? { since: query.since.iso } : {}),
    page,
    pageSize: 25,
  });

describe('the bench query mix', () => {
  it("gets MiniSearch's own answers from the segments loaded from a snapshot file", async () => {
    // MiniSearch's public search() over every document: the reference.
    expect(acceptMiniSearchVersion('reference: public API only')).toBe(false);
    const reference = Library.create(records);
    acceptMiniSearchVersion(MINISEARCH_INTERNALS_VERSION);
    // The shipped path: built in segments, written, read back with texts left in the file.
    await saveSnapshot(dataDir, Library.create(records));
    const loaded = await readSnapshot(dataDir);
    if (!loaded.ok) throw new Error(loaded.reason);

    const mix = buildQueryMix(OPTIONS.seed);
    let exactOrder = 0;
    let withHits = 0;
    const classes = new Set<string>();
    for (const query of mix) {
      for (const page of [1, 2]) {
        const expected = ask(reference, query, page);
        const actual = ask(loaded.library, query, page);
        expect(comparable(actual), `${query.class} "${query.text}" page ${page}`).toEqual(
          comparable(expected),
        );
        if (page === 1 && expected.total > 0) {
          withHits++;
          classes.add(query.class);
        }
        if (actual.results.every((hit, k) => hit.id === expected.results[k]?.id)) exactOrder++;
      }
    }
    expect(withHits).toBeGreaterThan(mix.length * 0.8);
    expect(classes.size).toBe(6);
    // Another order among equal scores is the exception.
    expect(exactOrder).toBeGreaterThan(mix.length * 2 * 0.9);
  }, 120_000);
});
