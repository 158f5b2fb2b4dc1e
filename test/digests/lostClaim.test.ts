import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { docIds, dropArticle } from './articles.js';
import { startHarness, until, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A pino logger whose lines land in `lines`, parsed. */
function capturingLogger(lines: Record<string, unknown>[]) {
  return pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
}

describe('digests', () => {
  describe('a claim lost mid-delivery', () => {
    it('stops the process that lost it at once; the new owner finishes, every part posted once', async () => {
      const lines: Record<string, unknown>[] = [];
      // Process A's claim lasts 300 ms; its first post is stored by Discord at once but answered
      // only after 1.5 s, long enough for the claim to expire and process B to take it over.
      h = await startHarness(
        { claim: { owner: 'process-a', ttlMs: 300 } },
        { logger: capturingLogger(lines) },
      );
      const b = h.another({ claim: { owner: 'process-b', ttlMs: 60_000 } });
      const channel = h.server.channel('general').id;
      const s = await h.service.subscribe({
        guildId: h.server.guild.id,
        channelId: channel,
        cron: '0 9 * * *',
        timezone: 'UTC',
        query: null,
        backfill: 0,
      });
      const ids = Array.from({ length: 60 }, (_, k) => dropArticle(h!.data.raw, k, k % 2 ? 'Chad' : 'Peru'));
      await h.ingester.sync();
      const posts = () => h!.server.requestsTo('POST', `/channels/${channel}/messages`);
      h.server.inject({
        method: 'POST',
        path: `/channels/${channel}/messages`,
        fault: { kind: 'delayAnswer', ms: 1_500 },
      });

      const runA = h.service.send(s.id);
      await until(() => posts().length === 1);
      await sleep(400); // A's claim has expired; A is still waiting for its first answer
      const outcomeB = await b.service.send(s.id);
      const outcomeA = await runA;

      const delivery = (await h.store.deliveries.forSubscription(s.id))[0]!;
      const parts = delivery.parts.length;
      expect(parts).toBeGreaterThanOrEqual(3);
      expect(outcomeB).toEqual({ kind: 'delivered', deliveryIds: [delivery.id], items: 60, parts });
      expect(outcomeA).toEqual({ kind: 'claimed-elsewhere' });
      // A posted part 0 only; B found it in the channel and posted the rest: each part once.
      expect(posts()).toHaveLength(parts);
      const messages = h.server.channelMessages(channel);
      expect(messages.map((m) => m.content)).toEqual(
        messages.map((_, k) => `Migration news digest, part ${k + 1} of ${parts}`),
      );
      expect([...docIds(messages)].sort()).toEqual([...ids].sort());
      expect(delivery.status).toBe('delivered');
      expect(delivery.parts.map((p) => p.messageId)).toEqual(messages.map((m) => m.id));
      // A said why it stopped, naming the subscription and delivery.
      const lost = lines.filter(
        (l) => l.msg === 'digest claim lost; stopped posting, the new owner finishes the delivery',
      );
      expect(lost).toEqual([
        expect.objectContaining({
          level: 40,
          subscription: s.id,
          delivery: delivery.id,
          part: 1,
          reason: 'the claim expired and another process took it',
        }),
      ]);
      // Nothing more from A later: its run is over and B holds nothing either.
      await sleep(300);
      expect(posts()).toHaveLength(parts);
      expect(await h.store.subscriptions.claimed()).toEqual([]);
    });
  });
});
