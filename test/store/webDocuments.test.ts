import { describe, expect, it } from 'vitest';
import { fetchedRecord, storedDocument } from '../support/sourceItems.js';
import { open, tempDir } from './fixtures.js';

describe('store/webDocuments', () => {
  it('gives stamps, ids and the records asked for, one by one or in one scan', () => {
    const store = open(tempDir());
    const records = Array.from({ length: 1200 }, (_, n) =>
      fetchedRecord({
        sourceId: 'un-news',
        title: `Story number ${n}`,
        url: `https://news.example/${n}`,
        alternateUrls: n % 2 === 0 ? [`https://mirror.example/${n}`] : [],
        text: `Geneva - Story ${n}.`,
      }),
    );
    store.webDocuments.transaction(() => {
      for (const record of records) store.webDocuments.put(storedDocument(record), []);
    });
    const byId = new Map(records.map((r) => [r.id, r]));

    const stamps = store.webDocuments.stamps();
    expect(stamps).toHaveLength(1200);
    for (const stamp of stamps) {
      const record = byId.get(stamp.id)!;
      expect(stamp).toEqual({
        id: record.id,
        contentHash: record.contentHash,
        urlCount: record.urls?.length ?? 0,
      });
    }
    expect(new Set(stamps.map((s) => s.urlCount))).toEqual(new Set([1, 2]));
    expect(store.webDocuments.ids()).toEqual(new Set(byId.keys()));

    const few = [records[3]!.id, 'unknown', records[7]!.id];
    expect(store.webDocuments.records(few)).toEqual([records[3], records[7]]);
    const many = records.slice(0, 1100).map((r) => r.id);
    const found = store.webDocuments.records([...many, 'unknown']);
    expect(found).toHaveLength(1100);
    expect(new Set(found.map((r) => r.id))).toEqual(new Set(many));
    expect(found.every((r) => JSON.stringify(r) === JSON.stringify(byId.get(r.id)))).toBe(true);
  });
});
