import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storePath } from '../../src/store/database.js';
import { HASH, open, tempDir } from './fixtures.js';

describe('store/ingestionLog', () => {
  describe('append', () => {
    it('numbers entries in order and never reuses a sequence number', () => {
      const dir = tempDir();
      const store = open(dir);
      expect(store.log.latestSeq()).toBe(0);
      const appended = store.log.append([
        { docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' },
        { docId: 'b', contentHash: HASH('b'), kind: 'project', event: 'new' },
      ]);
      expect(appended.map((e) => e.seq)).toEqual([1, 2]);
      const raw = new Database(storePath(dir));
      raw.prepare('DELETE FROM ingestion_log WHERE seq = 2').run();
      raw.close();
      expect(store.log.latestSeq()).toBe(2);
      expect(
        store.log.append([{ docId: 'a', contentHash: HASH('c'), kind: 'article', event: 'updated' }])[0]?.seq,
      ).toBe(3);
    });

    it('never logs the same change twice when two processes ingest the same folder', () => {
      const dir = tempDir();
      const bot = open(dir);
      const cli = open(dir);
      const change = { docId: 'a', contentHash: HASH('a'), kind: 'article' as const, event: 'new' as const };
      expect(bot.log.append([change]).map((e) => e.event)).toEqual(['new']);
      expect(cli.log.append([change])).toEqual([]);
      expect(cli.log.append([{ ...change, contentHash: HASH('b') }]).map((e) => e.event)).toEqual([
        'updated',
      ]);
      expect(bot.log.append([{ ...change, contentHash: HASH('b'), event: 'updated' }])).toEqual([]);
      const removal = { docId: 'a', contentHash: null, kind: 'article' as const, event: 'removed' as const };
      expect(bot.log.append([removal]).map((e) => e.event)).toEqual(['removed']);
      expect(cli.log.append([removal])).toEqual([]);
      expect(cli.log.append([{ ...removal, docId: 'never-seen' }])).toEqual([]);
      expect(bot.log.append([change]).map((e) => e.event)).toEqual(['updated']);
      expect(bot.log.latestSeq()).toBe(4);
    });
  });

  describe('documentStates, latestNewArticles, entries', () => {
    it('reports each document’s last state and the latest new articles for backfill', () => {
      const store = open(tempDir());
      store.log.append([
        { docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' },
        { docId: 'p', contentHash: HASH('p'), kind: 'project', event: 'new' },
        { docId: 'b', contentHash: HASH('b'), kind: 'article', event: 'new' },
        { docId: 'a', contentHash: HASH('c'), kind: 'article', event: 'updated' },
        { docId: 'b', contentHash: null, kind: 'article', event: 'removed' },
        { docId: 'c', contentHash: HASH('d'), kind: 'article', event: 'new' },
      ]);
      const states = store.log.documentStates();
      expect(states.get('a')).toEqual({ seq: 4, contentHash: HASH('c'), kind: 'article', event: 'updated' });
      expect(states.get('b')?.event).toBe('removed');
      expect(store.log.latestNewArticles(6, 2).map((e) => e.docId)).toEqual(['b', 'c']);
      expect(store.log.latestNewArticles(5, 5).map((e) => e.docId)).toEqual(['a', 'b']);
      expect(store.log.latestNewArticles(6, 0)).toEqual([]);
      expect(store.log.entries(3, 5).map((e) => e.seq)).toEqual([4, 5]);
    });

    it('reads a long log in steps, the latest entry of each document winning across them', () => {
      const store = open(tempDir());
      // 12,000 entries over 5,000 documents: every document is logged in more than one step.
      const changes = Array.from({ length: 12_000 }, (_, n) => ({
        docId: `d${n % 5000}`,
        contentHash: HASH(String(n)),
        kind: 'article' as const,
        event: n < 5000 ? ('new' as const) : ('updated' as const),
      }));
      store.log.append(changes);
      const steps = store.log.documentStateSteps();
      let pauses = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) pauses++;
      expect(pauses).toBe(2);
      const states = step.value;
      expect(states.size).toBe(5000);
      expect(states.get('d1')).toEqual({
        seq: 10_002,
        contentHash: HASH('10001'),
        kind: 'article',
        event: 'updated',
      });
      expect(states.get('d4999')?.contentHash).toBe(HASH('9999'));
      expect(store.log.documentStates()).toEqual(states);
    });
  });
});
