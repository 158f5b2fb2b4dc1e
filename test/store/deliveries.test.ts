import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storePath } from '../../src/store/database.js';
import { HASH, message, NOW, open, sub, tempDir } from './fixtures.js';

/** A store in `dir` with one subscription and its one-part pending delivery. */
function oneDelivery(dir: string) {
  const store = open(dir);
  const s = store.subscriptions.create(sub, NOW);
  const input = { subscriptionId: s.id, fromSeq: 0, toSeq: 1, itemCount: 1, payloads: [message('x')] };
  const d = store.deliveries.create({ ...input, nonce: () => 'n' }, NOW);
  return { store, s, d };
}

describe('store/deliveries', () => {
  describe('create, markPartPosted, complete', () => {
    it('allows one pending delivery per subscription and completes it with the cursor in one step', () => {
      const store = open(tempDir());
      store.log.append([
        { docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' },
        { docId: 'b', contentHash: HASH('b'), kind: 'article', event: 'new' },
      ]);
      const s = store.subscriptions.create({ ...sub, backfill: 2 }, NOW);
      store.log.append([{ docId: 'c', contentHash: HASH('c'), kind: 'article', event: 'new' }]);
      const input = {
        subscriptionId: s.id,
        fromSeq: 2,
        toSeq: 3,
        itemCount: 3,
        payloads: [message('part 1'), message('part 2')],
        nonce: (id: number, part: number) => `n${id}.${part}`,
      };
      const d = store.deliveries.create(input, NOW);
      expect(d.parts.map((p) => [p.part, p.nonce, p.payload, p.messageId])).toEqual([
        [0, `n${d.id}.0`, message('part 1'), null],
        [1, `n${d.id}.1`, message('part 2'), null],
      ]);
      expect(() => store.deliveries.create({ ...input, nonce: (id, part) => `m${id}.${part}` })).toThrow(
        /UNIQUE constraint failed/,
      );
      store.deliveries.markPartPosted(d.id, 0, '123', NOW);
      expect(store.deliveries.pendingFor(s.id)?.parts[0]?.messageId).toBe('123');
      store.deliveries.complete(d.id, NOW);
      expect(store.deliveries.pendingFor(s.id)).toBeUndefined();
      expect(store.deliveries.pending()).toEqual([]);
      expect(store.subscriptions.get(s.id)).toMatchObject({
        cursorSeq: 3,
        backfill: 0,
        lastRunAt: NOW.toISOString(),
      });
      expect(store.deliveries.get(d.id)?.status).toBe('delivered');
      expect(store.deliveries.forSubscription(s.id).map((x) => x.id)).toEqual([d.id]);
    });

    it('deletes deliveries with their subscription', () => {
      const { store, s, d } = oneDelivery(tempDir());
      expect(store.subscriptions.remove(s.id)).toBe(true);
      expect(store.deliveries.get(d.id)).toBeUndefined();
    });
  });

  describe('get', () => {
    it('refuses a stored part that is not a digest message, naming the delivery and the field', () => {
      const dir = tempDir();
      const { store, d } = oneDelivery(dir);
      const raw = new Database(storePath(dir));
      raw.prepare('UPDATE delivery_parts SET payload = ? WHERE delivery_id = ?').run('{"content":"x"}', d.id);
      raw.close();
      expect(() => store.deliveries.get(d.id)).toThrow(`store: delivery ${d.id} has an unreadable part:`);
      expect(() => store.deliveries.pending()).toThrow(/embeds/);
    });
  });
});
