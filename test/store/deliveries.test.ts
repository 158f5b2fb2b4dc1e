import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { storePath } from '../../src/store/sqliteDriver.js';
import { STORE_KINDS } from '../support/stores.js';
import { fresh, HASH, message, NOW, open, openFresh, sub } from './fixtures.js';

/** A store with one subscription and its one-part pending delivery. */
async function oneDelivery(store: Store) {
  const s = await store.subscriptions.create(sub, NOW);
  const input = { subscriptionId: s.id, fromSeq: 0, toSeq: 1, itemCount: 1, payloads: [message('x')] };
  const d = await store.deliveries.create({ ...input, nonce: () => 'n' }, NOW);
  return { s, d };
}

describe.each(STORE_KINDS)('store/deliveries (%s)', (kind) => {
  describe('mentioning, recordError', () => {
    it('finds the deliveries whose buttons carry a document, not those where the id is only text', async () => {
      const store = await openFresh(kind);
      const { s, d } = await oneDelivery(store);
      const withButton = (docId: string, content: string) => ({
        ...message(content),
        buttons: [{ label: 'Read', docId }],
      });
      await store.deliveries.complete(d.id, NOW);
      const second = await store.deliveries.create(
        {
          subscriptionId: s.id,
          fromSeq: 1,
          toSeq: 2,
          itemCount: 2,
          // "a_b" in text only, and "a%b" (LIKE's wildcards, escaped) as a button.
          payloads: [withButton('a%b', 'mentions a_b in text'), withButton('zz', 'x')],
          nonce: (id, part) => `m${id}.${part}`,
        },
        NOW,
      );
      expect((await store.deliveries.mentioning(s.id, 'doc-1')).map((x) => x.id)).toEqual([d.id]);
      expect((await store.deliveries.mentioning(s.id, 'a%b')).map((x) => x.id)).toEqual([second.id]);
      expect(await store.deliveries.mentioning(s.id, 'a_b')).toEqual([]);
      expect(await store.deliveries.mentioning(s.id, 'axb')).toEqual([]);
      expect((await store.deliveries.get(second.id))?.lastError).toBeNull();
      await store.deliveries.recordError(second.id, 'Discord answered 500');
      expect((await store.deliveries.pendingFor(s.id))?.lastError).toBe('Discord answered 500');
      await store.close();
    });
  });

  describe('pageForGuild', () => {
    it("pages one guild's deliveries newest first, with their channel and the total", async () => {
      const store = await openFresh(kind);
      const mine = await store.subscriptions.create(sub, NOW);
      const theirs = await store.subscriptions.create({ ...sub, guildId: '999' }, NOW);
      const ids: number[] = [];
      for (const s of [mine, theirs, mine, mine]) {
        const input = { subscriptionId: s.id, fromSeq: 0, toSeq: 0, itemCount: 1, payloads: [message('x')] };
        const d = await store.deliveries.create({ ...input, nonce: (id) => `p${id}` }, NOW);
        await store.deliveries.complete(d.id, NOW);
        if (s === mine) ids.push(d.id);
      }
      const first = await store.deliveries.pageForGuild(sub.guildId, 1, 2);
      expect(first.total).toBe(3);
      expect(first.deliveries.map((d) => [d.id, d.channelId])).toEqual([
        [ids[2], sub.channelId],
        [ids[1], sub.channelId],
      ]);
      expect((await store.deliveries.pageForGuild(sub.guildId, 2, 2)).deliveries.map((d) => d.id)).toEqual([
        ids[0],
      ]);
      expect(await store.deliveries.pageForGuild('404', 1, 2)).toEqual({ deliveries: [], total: 0 });
      // newerInGuild places a delivery in that log: the other guild's newer one does not count.
      expect(await store.deliveries.newerInGuild(sub.guildId, ids[0]!)).toBe(2);
      expect(await store.deliveries.newerInGuild(sub.guildId, ids[2]!)).toBe(0);
      await store.close();
    });
  });

  describe('create, markPartPosted, complete', () => {
    it('allows one pending delivery per subscription and completes it with the cursor in one step', async () => {
      const store = await openFresh(kind);
      await store.log.append([
        { docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' },
        { docId: 'b', contentHash: HASH('b'), kind: 'article', event: 'new' },
      ]);
      const s = await store.subscriptions.create({ ...sub, backfill: 2 }, NOW);
      await store.log.append([{ docId: 'c', contentHash: HASH('c'), kind: 'article', event: 'new' }]);
      const input = {
        subscriptionId: s.id,
        fromSeq: 2,
        toSeq: 3,
        itemCount: 3,
        payloads: [message('part 1'), message('part 2')],
        nonce: (id: number, part: number) => `n${id}.${part}`,
      };
      const d = await store.deliveries.create(input, NOW);
      expect(d.parts.map((p) => [p.part, p.nonce, p.payload, p.messageId])).toEqual([
        [0, `n${d.id}.0`, message('part 1'), null],
        [1, `n${d.id}.1`, message('part 2'), null],
      ]);
      await expect(
        store.deliveries.create({ ...input, nonce: (id, part) => `m${id}.${part}` }),
      ).rejects.toThrow(/UNIQUE constraint failed|duplicate key value violates unique constraint/);
      // The refused delivery left no part behind.
      expect((await store.deliveries.forSubscription(s.id)).map((x) => x.parts.length)).toEqual([2]);
      await store.deliveries.markPartPosted(d.id, 0, '123', NOW);
      expect((await store.deliveries.pendingFor(s.id))?.parts[0]?.messageId).toBe('123');
      expect(await store.deliveries.pendingCount()).toBe(1);
      await store.deliveries.complete(d.id, NOW);
      expect(await store.deliveries.pendingFor(s.id)).toBeUndefined();
      expect(await store.deliveries.pending()).toEqual([]);
      expect(await store.deliveries.pendingCount()).toBe(0);
      expect(await store.subscriptions.get(s.id)).toMatchObject({
        cursorSeq: 3,
        backfill: 0,
        lastRunAt: NOW.toISOString(),
      });
      expect((await store.deliveries.get(d.id))?.status).toBe('delivered');
      expect((await store.deliveries.forSubscription(s.id)).map((x) => x.id)).toEqual([d.id]);
    });

    it('deletes deliveries with their subscription', async () => {
      const store = await openFresh(kind);
      const { s, d } = await oneDelivery(store);
      expect(await store.subscriptions.remove(s.id)).toBe(true);
      expect(await store.deliveries.get(d.id)).toBeUndefined();
    });

    it('keeps everything across a reopen, with the same instance id', async () => {
      const location = await fresh(kind);
      const first = await open(location);
      await first.log.append([{ docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' }], NOW);
      const { s, d } = await oneDelivery(first);
      const instance = await first.instanceId();
      expect(instance).toMatch(/^[0-9a-f]{16}$/);
      await first.close();
      const second = await open(location);
      expect(await second.instanceId()).toBe(instance);
      expect(await second.log.entries(0)).toEqual([
        {
          seq: 1,
          docId: 'a',
          contentHash: HASH('a'),
          kind: 'article',
          event: 'new',
          at: NOW.toISOString(),
          news: true,
        },
      ]);
      expect(await second.subscriptions.get(s.id)).toEqual(s);
      expect(await second.deliveries.pending()).toEqual([d]);
    });
  });
});

describe('store/deliveries (sqlite)', () => {
  it('refuses a stored part that is not a digest message, naming the delivery and the field', async () => {
    const location = await fresh('sqlite');
    const store = await open(location);
    const { d } = await oneDelivery(store);
    const raw = new Database(storePath(location.dataDir));
    raw.prepare('UPDATE delivery_parts SET payload = ? WHERE delivery_id = ?').run('{"content":"x"}', d.id);
    raw.close();
    await expect(store.deliveries.get(d.id)).rejects.toThrow(
      `store: delivery ${d.id} has an unreadable part:`,
    );
    await expect(store.deliveries.pending()).rejects.toThrow(/embeds/);
  });
});
