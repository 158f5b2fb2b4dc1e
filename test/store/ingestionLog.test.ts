import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storePath } from '../../src/store/sqliteDriver.js';
import { STORE_KINDS } from '../support/stores.js';
import { fresh, HASH, open, openFresh } from './fixtures.js';

describe.each(STORE_KINDS)('store/ingestionLog (%s)', (kind) => {
  describe('append', () => {
    it('never logs the same change twice when two processes ingest the same documents', async () => {
      const location = await fresh(kind);
      const bot = await open(location);
      const cli = await open(location);
      const change = { docId: 'a', contentHash: HASH('a'), kind: 'article' as const, event: 'new' as const };
      expect((await bot.log.append([change])).map((e) => e.event)).toEqual(['new']);
      expect(await cli.log.append([change])).toEqual([]);
      expect((await cli.log.append([{ ...change, contentHash: HASH('b') }])).map((e) => e.event)).toEqual([
        'updated',
      ]);
      expect(await bot.log.append([{ ...change, contentHash: HASH('b'), event: 'updated' }])).toEqual([]);
      const removal = { docId: 'a', contentHash: null, kind: 'article' as const, event: 'removed' as const };
      expect((await bot.log.append([removal])).map((e) => e.event)).toEqual(['removed']);
      expect(await cli.log.append([removal])).toEqual([]);
      expect(await cli.log.append([{ ...removal, docId: 'never-seen' }])).toEqual([]);
      expect((await bot.log.append([change])).map((e) => e.event)).toEqual(['updated']);
      expect(await bot.log.latestSeq()).toBe(4);
    });

    it('numbers concurrent appends from several processes without a gap or a repeat', async () => {
      const location = await fresh(kind);
      const processes = await Promise.all([open(location), open(location), open(location)]);
      await Promise.all(
        processes.map((p, k) =>
          (async () => {
            for (let n = 0; n < 20; n++) {
              await p.log.append([
                { docId: `p${k}-${n}`, contentHash: HASH('a'), kind: 'article', event: 'new' },
              ]);
            }
          })(),
        ),
      );
      const entries = await processes[0].log.entries(0);
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, n) => n + 1));
      expect(new Set(entries.map((e) => e.docId)).size).toBe(60);
    });
  });

  describe('documentStates, latestNewArticles, entries', () => {
    it('reports each document’s last state and the latest new articles for backfill', async () => {
      const store = await openFresh(kind);
      await store.log.append([
        { docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' },
        { docId: 'p', contentHash: HASH('p'), kind: 'project', event: 'new' },
        { docId: 'b', contentHash: HASH('b'), kind: 'article', event: 'new' },
        { docId: 'a', contentHash: HASH('c'), kind: 'article', event: 'updated' },
        { docId: 'b', contentHash: null, kind: 'article', event: 'removed' },
        { docId: 'c', contentHash: HASH('d'), kind: 'article', event: 'new', news: false },
        { docId: 'd', contentHash: HASH('e'), kind: 'article', event: 'new' },
      ]);
      const states = await store.log.documentStates();
      expect(states.get('a')).toEqual({ seq: 4, contentHash: HASH('c'), kind: 'article', event: 'updated' });
      expect(states.get('b')?.event).toBe('removed');
      // c is not news: never a backfill item.
      expect((await store.log.latestNewArticles(7, 2)).map((e) => e.docId)).toEqual(['b', 'd']);
      expect((await store.log.latestNewArticles(5, 5)).map((e) => e.docId)).toEqual(['a', 'b']);
      expect(await store.log.latestNewArticles(6, 0)).toEqual([]);
      expect((await store.log.entries(3, 5)).map((e) => e.seq)).toEqual([4, 5]);
      expect((await store.log.entries(5)).map((e) => [e.docId, e.news])).toEqual([
        ['c', false],
        ['d', true],
      ]);
    });

    it('pages a window of the log in order, every entry once, none past its end', async () => {
      const store = await openFresh(kind);
      await store.log.append(
        Array.from({ length: 23 }, (_, n) => ({
          docId: `p${n}`,
          contentHash: HASH(String(n)),
          kind: 'article' as const,
          event: 'new' as const,
        })),
      );
      const pages: number[][] = [];
      for await (const page of store.log.pages(2, 20, 5)) pages.push(page.map((e) => e.seq));
      expect(pages).toEqual([
        [3, 4, 5, 6, 7],
        [8, 9, 10, 11, 12],
        [13, 14, 15, 16, 17],
        [18, 19, 20],
      ]);
      const exact: number[][] = [];
      for await (const page of store.log.pages(0, 10, 5)) exact.push(page.map((e) => e.seq));
      expect(exact).toEqual([
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
      ]);
      for await (const page of store.log.pages(23, 23)) throw new Error(`empty window gave ${page.length}`);
    });

    it('reads a long log in slices, the latest entry of each document winning across them', async () => {
      const store = await openFresh(kind);
      // 12,000 entries over 5,000 documents: every document is logged in more than one slice.
      const changes = Array.from({ length: 12_000 }, (_, n) => ({
        docId: `d${n % 5000}`,
        contentHash: HASH(String(n)),
        kind: 'article' as const,
        event: n < 5000 ? ('new' as const) : ('updated' as const),
      }));
      await store.log.append(changes);
      const states = await store.log.documentStates();
      expect(states.size).toBe(5000);
      expect(states.get('d1')).toEqual({
        seq: 10_002,
        contentHash: HASH('10001'),
        kind: 'article',
        event: 'updated',
      });
      expect(states.get('d4999')?.contentHash).toBe(HASH('9999'));
    });
  });
});

describe('store/ingestionLog (sqlite)', () => {
  it('never reuses a sequence number, even after the last row is deleted', async () => {
    const location = await fresh('sqlite');
    const store = await open(location);
    const appended = await store.log.append([
      { docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' },
      { docId: 'b', contentHash: HASH('b'), kind: 'project', event: 'new' },
    ]);
    expect(appended.map((e) => e.seq)).toEqual([1, 2]);
    const raw = new Database(storePath(location.dataDir));
    raw.prepare('DELETE FROM ingestion_log WHERE seq = 2').run();
    raw.close();
    expect(await store.log.latestSeq()).toBe(2);
    const [next] = await store.log.append([
      { docId: 'a', contentHash: HASH('c'), kind: 'article', event: 'updated' },
    ]);
    expect(next?.seq).toBe(3);
  });
});
