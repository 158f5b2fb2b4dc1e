import { describe, expect, it } from 'vitest';
import { HASH, NOW, open, sub, tempDir } from './fixtures.js';

describe('store/subscriptions', () => {
  describe('create', () => {
    it('starts a subscription at the current end of the log', () => {
      const store = open(tempDir());
      store.log.append([{ docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' }]);
      const s = store.subscriptions.create(
        { ...sub, query: 'beijing', backfill: 3, createdBy: '9'.repeat(18) },
        NOW,
      );
      expect(s).toMatchObject({
        id: 1,
        status: 'active',
        cursorSeq: 1,
        backfill: 3,
        query: 'beijing',
        lastRunAt: null,
      });
      expect(store.subscriptions.list(sub.guildId)).toEqual([s]);
      expect(store.subscriptions.list()).toEqual([s]);
      expect(store.subscriptions.list('other')).toEqual([]);
    });
  });

  describe('setStatus', () => {
    it('pauses with a reason, resumes clearing it, and keeps the cursor', () => {
      const store = open(tempDir());
      const s = store.subscriptions.create(sub, NOW);
      const paused = store.subscriptions.setStatus(s.id, 'paused', 'Missing Permissions in the channel', NOW);
      expect(paused).toMatchObject({
        status: 'paused',
        pausedReason: 'Missing Permissions in the channel',
        cursorSeq: 0,
      });
      expect(store.subscriptions.setStatus(s.id, 'active', 'ignored', NOW)).toMatchObject({
        status: 'active',
        pausedReason: null,
      });
      expect(store.subscriptions.setStatus(999, 'paused', 'x')).toBeUndefined();
    });
  });

  describe('skipTo, markRun, remove', () => {
    it('never moves a cursor back, records a run, and says whether a removed subscription existed', () => {
      const store = open(tempDir());
      const s = store.subscriptions.create({ ...sub, backfill: 2 }, NOW);
      const later = new Date(NOW.getTime() + 60_000);
      store.subscriptions.markRun(s.id, later);
      expect(store.subscriptions.get(s.id)).toMatchObject({ lastRunAt: later.toISOString(), backfill: 2 });
      store.subscriptions.skipTo(s.id, 5, NOW);
      store.subscriptions.skipTo(s.id, 2, NOW);
      expect(store.subscriptions.get(s.id)).toMatchObject({ cursorSeq: 5, backfill: 0 });
      expect(store.subscriptions.remove(s.id)).toBe(true);
      expect(store.subscriptions.get(s.id)).toBeUndefined();
      expect(store.subscriptions.remove(s.id)).toBe(false);
    });
  });
});
