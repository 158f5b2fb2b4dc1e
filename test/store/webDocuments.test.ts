import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/stores.js';
import { fetchedRecord, storedDocument } from '../support/sourceItems.js';
import { fresh, open, openFresh } from './fixtures.js';

describe.each(STORE_KINDS)('store/webDocuments (%s)', (kind) => {
  it('gives stamps, ids and the records asked for, one by one or in one scan', async () => {
    const store = await openFresh(kind);
    const records = Array.from({ length: 1200 }, (_, n) =>
      fetchedRecord({
        sourceId: 'un-news',
        title: `Story number ${n}`,
        url: `https://news.example/${n}`,
        alternateUrls: n % 2 === 0 ? [`https://mirror.example/${n}`] : [],
        text: `Geneva - Story ${n}.`,
      }),
    );
    await store.transaction(async (tx) => {
      for (const record of records) await tx.webDocuments.put(storedDocument(record), []);
    });
    const byId = new Map(records.map((r) => [r.id, r]));

    const stamps = await store.webDocuments.stamps();
    expect(stamps).toHaveLength(1200);
    // In byte order, as a start merges them with its snapshot.
    expect(stamps.map((s) => s.id)).toEqual([...byId.keys()].sort());
    for (const stamp of stamps) {
      const record = byId.get(stamp.id)!;
      expect(stamp).toEqual({
        id: record.id,
        contentHash: record.contentHash,
        urlCount: record.urls?.length ?? 0,
      });
    }
    expect(new Set(stamps.map((s) => s.urlCount))).toEqual(new Set([1, 2]));
    expect(await store.webDocuments.ids()).toEqual(new Set(byId.keys()));
    expect(await store.webDocuments.countBySource()).toEqual(new Map([['un-news', 1200]]));

    const few = [records[3]!.id, 'unknown', records[7]!.id];
    expect(await store.webDocuments.records(few)).toEqual([records[3], records[7]]);
    const many = records.slice(0, 1100).map((r) => r.id);
    const found = await store.webDocuments.records([...many, 'unknown']);
    expect(found).toHaveLength(1100);
    expect(new Set(found.map((r) => r.id))).toEqual(new Set(many));
    expect(found.every((r) => JSON.stringify(r) === JSON.stringify(byId.get(r.id)))).toBe(true);
  });

  it('keeps a key with its first document, and a failed transaction leaves nothing behind', async () => {
    const location = await fresh(kind);
    const store = await open(location);
    const a = fetchedRecord({ sourceId: 's', title: 'A', url: 'https://a.example/1', text: 'Geneva - A.' });
    const b = fetchedRecord({ sourceId: 's', title: 'B', url: 'https://b.example/1', text: 'Geneva - B.' });
    await store.webDocuments.put(storedDocument(a), ['url:shared']);
    await store.webDocuments.put(storedDocument(b), ['url:shared', 'url:b']);
    expect(await store.webDocuments.findByKeys(['url:nothing', 'url:shared'])).toBe(a.id);
    expect(await store.webDocuments.findByKeys(['url:b'])).toBe(b.id);
    const c = fetchedRecord({ sourceId: 's', title: 'C', url: 'https://c.example/1', text: 'Geneva - C.' });
    await expect(
      store.transaction(async (tx) => {
        await tx.webDocuments.put(storedDocument(c), ['url:c']);
        await tx.log.append([{ docId: c.id, contentHash: c.contentHash, kind: 'article', event: 'new' }]);
        throw new Error('crash between item and log');
      }),
    ).rejects.toThrow('crash between item and log');
    // Another connection (process) sees neither the document nor its log entry.
    const other = await open(location);
    expect(await other.webDocuments.has(c.id)).toBe(false);
    expect(await other.webDocuments.findByKeys(['url:c'])).toBeUndefined();
    expect(await other.log.latestSeq()).toBe(0);
  });
});
