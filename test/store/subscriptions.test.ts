import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { STORE_KINDS } from '../support/stores.js';
import { fresh, HASH, NOW, open, openDriver, openFresh, sub } from './fixtures.js';

describe.each(STORE_KINDS)('store/subscriptions (%s)', (kind) => {
  describe('create', () => {
    it('starts a subscription at the current end of the log', async () => {
      const store = await openFresh(kind);
      await store.log.append([{ docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' }]);
      const s = await store.subscriptions.create(
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
      expect(await store.subscriptions.list(sub.guildId)).toEqual([s]);
      expect(await store.subscriptions.list()).toEqual([s]);
      expect(await store.subscriptions.list('other')).toEqual([]);
    });
  });

  describe('language', () => {
    it('keeps a subscription’s language filter, and none (every language) by default', async () => {
      const store = await openFresh(kind);
      const french = await store.subscriptions.create({ ...sub, language: 'fr-CA' }, NOW);
      const every = await store.subscriptions.create(sub, NOW);
      expect(french.language).toBe('fr-CA');
      expect(every.language).toBeNull();
      expect((await store.subscriptions.get(french.id))?.language).toBe('fr-CA');
      expect((await store.subscriptions.list(sub.guildId)).map((s) => s.language)).toEqual(['fr-CA', null]);
      // Other updates leave it as it is.
      await store.subscriptions.setStatus(french.id, 'paused', 'x', NOW);
      await store.subscriptions.skipTo(french.id, 5, NOW);
      expect((await store.subscriptions.get(french.id))?.language).toBe('fr-CA');
    });

    it('is kept by an edit that does not name it, and changed or cleared by one that does', async () => {
      const store = await openFresh(kind);
      const s = await store.subscriptions.create({ ...sub, language: 'fr' }, NOW);
      const change = {
        channelId: sub.channelId,
        cron: '0 9 * * *',
        timezone: 'UTC',
        query: 'flood',
        mentionRoleId: null,
      };
      expect(await store.subscriptions.update(s.id, change, NOW)).toMatchObject({
        cron: '0 9 * * *',
        query: 'flood',
        language: 'fr',
      });
      expect((await store.subscriptions.update(s.id, { ...change, language: 'ar' }, NOW))?.language).toBe(
        'ar',
      );
      expect(
        (await store.subscriptions.update(s.id, { ...change, language: null }, NOW))?.language,
      ).toBeNull();
      expect((await store.subscriptions.get(s.id))?.language).toBeNull();
      expect(await store.subscriptions.update(999, { ...change, language: 'ar' }, NOW)).toBeUndefined();
    });
  });

  describe('setStatus', () => {
    it('pauses with a reason, resumes clearing it, and keeps the cursor', async () => {
      const store = await openFresh(kind);
      const s = await store.subscriptions.create(sub, NOW);
      const paused = await store.subscriptions.setStatus(
        s.id,
        'paused',
        'Missing Permissions in the channel',
        NOW,
      );
      expect(paused).toMatchObject({
        status: 'paused',
        pausedReason: 'Missing Permissions in the channel',
        cursorSeq: 0,
      });
      expect(await store.subscriptions.setStatus(s.id, 'active', 'ignored', NOW)).toMatchObject({
        status: 'active',
        pausedReason: null,
      });
      expect(await store.subscriptions.setStatus(999, 'paused', 'x')).toBeUndefined();
    });
  });

  describe('skipTo, markRun, remove', () => {
    it('never moves a cursor back, records a run, and says whether a removed subscription existed', async () => {
      const store = await openFresh(kind);
      const s = await store.subscriptions.create({ ...sub, backfill: 2 }, NOW);
      const later = new Date(NOW.getTime() + 60_000);
      await store.subscriptions.markRun(s.id, later);
      expect(await store.subscriptions.get(s.id)).toMatchObject({
        lastRunAt: later.toISOString(),
        backfill: 2,
      });
      await store.subscriptions.skipTo(s.id, 5, NOW);
      await store.subscriptions.skipTo(s.id, 2, NOW);
      expect(await store.subscriptions.get(s.id)).toMatchObject({ cursorSeq: 5, backfill: 0 });
      expect(await store.subscriptions.remove(s.id)).toBe(true);
      expect(await store.subscriptions.get(s.id)).toBeUndefined();
      expect(await store.subscriptions.remove(s.id)).toBe(false);
    });
  });

  describe('claim, release', () => {
    it('gives a subscription to one of several processes claiming it at once, until release or expiry', async () => {
      const location = await fresh(kind);
      const processes = await Promise.all([open(location), open(location), open(location)]);
      const [first] = processes;
      const s = await first.subscriptions.create(sub, NOW);
      const won = await Promise.all(processes.map((p, k) => p.subscriptions.claim(s.id, `p${k}`, 400)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const owner = `p${won.indexOf(true)}`;
      expect(await first.subscriptions.claimed()).toEqual([{ id: s.id, owner }]);
      // The holder renews; the others still lose; after expiry anyone may take it.
      expect(await first.subscriptions.claim(s.id, owner, 400)).toBe(true);
      expect(await first.subscriptions.claim(s.id, 'other', 60_000)).toBe(false);
      await sleep(500);
      expect(await first.subscriptions.claimed()).toEqual([]);
      expect(await first.subscriptions.claim(s.id, 'other', 60_000)).toBe(true);
      // A release by a process that lost the claim changes nothing.
      await first.subscriptions.release(s.id, owner);
      expect(await first.subscriptions.claimed()).toEqual([{ id: s.id, owner: 'other' }]);
      await first.subscriptions.release(s.id, 'other');
      expect(await first.subscriptions.claimed()).toEqual([]);
      expect(await first.subscriptions.claim(s.id, owner, 60_000)).toBe(true);
    });

    it('compares expiry on the database clock: a process whose clock runs 5 minutes ahead takes no live claim', async () => {
      const location = await fresh(kind);
      const [a, b] = await Promise.all([open(location), open(location)]);
      const s = await a.subscriptions.create(sub, NOW);
      expect(await a.subscriptions.claim(s.id, 'a', 60_000)).toBe(true);
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.now() + 5 * 60_000);
        expect(await b.subscriptions.claim(s.id, 'b', 60_000)).toBe(false);
        expect(await b.subscriptions.claimed()).toEqual([{ id: s.id, owner: 'a' }]);
      } finally {
        vi.useRealTimers();
      }
    });

    it('reads an expiry written as host time before (ISO text) like one written by the database', async () => {
      const location = await fresh(kind);
      const store = await open(location);
      const s = await store.subscriptions.create(sub, NOW);
      const db = await openDriver(location);
      const expire = (at: Date) =>
        db.run("UPDATE subscriptions SET claimed_by = 'old', claim_expires_at = ? WHERE id = ?", [
          at.toISOString(),
          s.id,
        ]);
      await expire(new Date(Date.now() + 60_000));
      expect(await store.subscriptions.claim(s.id, 'new', 60_000)).toBe(false);
      await expire(new Date(Date.now() - 1_000));
      expect(await store.subscriptions.claimed()).toEqual([]);
      expect(await store.subscriptions.claim(s.id, 'new', 60_000)).toBe(true);
      const row = await db.get('SELECT claim_expires_at AS at FROM subscriptions WHERE id = ?', [s.id]);
      // Same host here, so the database's clock and ours agree to within a second.
      expect(Math.abs(Date.parse(String(row?.at)) - (Date.now() + 60_000))).toBeLessThan(1_000);
    });
  });
});
