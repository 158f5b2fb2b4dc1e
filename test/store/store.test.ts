import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, StoreOpenError, storePath } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';

let dirs: string[] = [];
let stores: Store[] = [];
afterEach(() => {
  for (const s of stores) s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
  stores = [];
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mnb-store-'));
  dirs.push(dir);
  return dir;
}
function open(dir: string): Store {
  const store = Store.open(dir);
  stores.push(store);
  return store;
}

const NOW = new Date('2026-11-23T12:00:00Z');
const HASH = (c: string) => c.repeat(64);
const sub = {
  guildId: '1'.repeat(18),
  channelId: '2'.repeat(18),
  cron: '0 9 * * *',
  timezone: 'Europe/Paris',
  query: null,
  backfill: 0,
};

describe('store', () => {
  describe('Store.open', () => {
    it('creates DATA_DIR/bot.sqlite in WAL mode with foreign keys and the current schema version', () => {
      const dir = path.join(tempDir(), 'nested', 'data');
      const store = open(dir);
      expect(readFileSync(storePath(dir)).subarray(0, 15).toString()).toBe('SQLite format 3');
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(store.instanceId).toMatch(/^[0-9a-f]{16}$/);
    });

    it('refuses a file that is not a database and leaves its bytes untouched', () => {
      const dir = tempDir();
      const junk = 'this is not sqlite, it is a text file that happens to sit where the store goes\n'.repeat(
        20,
      );
      writeFileSync(storePath(dir), junk);
      expect(() => Store.open(dir)).toThrow(StoreOpenError);
      expect(() => Store.open(dir)).toThrow(
        /bot\.sqlite is not a readable SQLite database \(file is not a database\); refusing to use or overwrite it/,
      );
      expect(readFileSync(storePath(dir), 'utf8')).toBe(junk);
    });

    it('refuses a database whose pages are damaged, and leaves it as it was', () => {
      const dir = tempDir();
      const store = Store.open(dir);
      store.appendLog(
        Array.from({ length: 400 }, (_, k) => ({
          docId: `doc-${k}`,
          contentHash: HASH('a'),
          kind: 'article' as const,
          event: 'new' as const,
        })),
      );
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      store.close();
      const bytes = readFileSync(storePath(dir));
      // Scribble over the second page (the first table's b-tree), keep the header valid.
      const damaged = Buffer.from(bytes);
      damaged.fill(0xab, 4096, 4096 * 3);
      writeFileSync(storePath(dir), damaged);
      let error: unknown;
      try {
        Store.open(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StoreOpenError);
      expect((error as StoreOpenError).code).toBe('corrupt');
      expect(readFileSync(storePath(dir)).equals(damaged)).toBe(true);
    });

    it('refuses a newer schema version with a clear message and does not modify the file', () => {
      const dir = tempDir();
      open(dir).close();
      const raw = new Database(storePath(dir));
      raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      raw.close();
      const before = readFileSync(storePath(dir));
      expect(() => Store.open(dir)).toThrow(
        `${storePath(dir)} has schema version ${SCHEMA_VERSION + 1}, newer than this build knows (${SCHEMA_VERSION}); refusing to open it`,
      );
      expect(readFileSync(storePath(dir)).equals(before)).toBe(true);
    });

    it('keeps the log, subscriptions, deliveries and instance id across a restart', () => {
      const dir = tempDir();
      const first = Store.open(dir);
      first.appendLog([{ docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' }], NOW);
      const s = first.createSubscription(sub, NOW);
      const d = first.createDelivery(
        {
          subscriptionId: s.id,
          fromSeq: 0,
          toSeq: 1,
          itemCount: 1,
          payloads: [{ x: 1 }],
          nonce: (id, part) => `n${id}.${part}`,
        },
        NOW,
      );
      const instance = first.instanceId;
      first.close();
      const second = open(dir);
      expect(second.instanceId).toBe(instance);
      expect(second.logEntries(0)).toEqual([
        { seq: 1, docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new', at: NOW.toISOString() },
      ]);
      expect(second.getSubscription(s.id)).toEqual(s);
      expect(second.pendingDeliveries()).toEqual([d]);
    });
  });

  describe('ingestion log', () => {
    it('numbers entries in order and never reuses a sequence number', () => {
      const store = open(tempDir());
      expect(store.latestSeq()).toBe(0);
      const appended = store.appendLog([
        { docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' },
        { docId: 'b', contentHash: HASH('b'), kind: 'project', event: 'new' },
      ]);
      expect(appended.map((e) => e.seq)).toEqual([1, 2]);
      store.db.prepare('DELETE FROM ingestion_log WHERE seq = 2').run();
      expect(store.latestSeq()).toBe(2);
      expect(
        store.appendLog([{ docId: 'a', contentHash: HASH('c'), kind: 'article', event: 'updated' }])[0]?.seq,
      ).toBe(3);
    });

    it('reports each document’s last state and the latest new articles for backfill', () => {
      const store = open(tempDir());
      store.appendLog([
        { docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' },
        { docId: 'p', contentHash: HASH('p'), kind: 'project', event: 'new' },
        { docId: 'b', contentHash: HASH('b'), kind: 'article', event: 'new' },
        { docId: 'a', contentHash: HASH('c'), kind: 'article', event: 'updated' },
        { docId: 'b', contentHash: null, kind: 'article', event: 'removed' },
        { docId: 'c', contentHash: HASH('d'), kind: 'article', event: 'new' },
      ]);
      const states = store.documentStates();
      expect(states.get('a')).toEqual({ seq: 4, contentHash: HASH('c'), kind: 'article', event: 'updated' });
      expect(states.get('b')?.event).toBe('removed');
      expect(store.latestNewArticles(6, 2).map((e) => e.docId)).toEqual(['b', 'c']);
      expect(store.latestNewArticles(5, 5).map((e) => e.docId)).toEqual(['a', 'b']);
      expect(store.logEntries(3, 5).map((e) => e.seq)).toEqual([4, 5]);
    });
  });

  describe('subscriptions and deliveries', () => {
    it('starts a subscription at the current end of the log', () => {
      const store = open(tempDir());
      store.appendLog([{ docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' }]);
      const s = store.createSubscription(
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
      expect(store.listSubscriptions(sub.guildId)).toEqual([s]);
      expect(store.listSubscriptions('other')).toEqual([]);
    });

    it('pauses with a reason, resumes clearing it, and keeps the cursor', () => {
      const store = open(tempDir());
      const s = store.createSubscription(sub, NOW);
      const paused = store.setStatus(s.id, 'paused', 'Missing Permissions in the channel', NOW);
      expect(paused).toMatchObject({
        status: 'paused',
        pausedReason: 'Missing Permissions in the channel',
        cursorSeq: 0,
      });
      expect(store.setStatus(s.id, 'active', 'ignored', NOW)).toMatchObject({
        status: 'active',
        pausedReason: null,
      });
      expect(store.setStatus(999, 'paused', 'x')).toBeUndefined();
    });

    it('allows one pending delivery per subscription and completes it with the cursor in one step', () => {
      const store = open(tempDir());
      store.appendLog([
        { docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' },
        { docId: 'b', contentHash: HASH('b'), kind: 'article', event: 'new' },
      ]);
      const s = store.createSubscription({ ...sub, backfill: 2 }, NOW);
      store.appendLog([{ docId: 'c', contentHash: HASH('c'), kind: 'article', event: 'new' }]);
      const input = {
        subscriptionId: s.id,
        fromSeq: 2,
        toSeq: 3,
        itemCount: 3,
        payloads: [{ p: 0 }, { p: 1 }],
        nonce: (id: number, part: number) => `n${id}.${part}`,
      };
      const d = store.createDelivery(input, NOW);
      expect(d.parts.map((p) => [p.part, p.nonce, p.payload, p.messageId])).toEqual([
        [0, `n${d.id}.0`, { p: 0 }, null],
        [1, `n${d.id}.1`, { p: 1 }, null],
      ]);
      expect(() => store.createDelivery({ ...input, nonce: (id, part) => `m${id}.${part}` })).toThrow(
        /UNIQUE constraint failed/,
      );
      store.markPartPosted(d.id, 0, '123', NOW);
      expect(store.pendingDelivery(s.id)?.parts[0]?.messageId).toBe('123');
      store.completeDelivery(d.id, NOW);
      expect(store.pendingDelivery(s.id)).toBeUndefined();
      expect(store.getSubscription(s.id)).toMatchObject({
        cursorSeq: 3,
        backfill: 0,
        lastRunAt: NOW.toISOString(),
      });
      expect(store.getDelivery(d.id)?.status).toBe('delivered');
    });

    it('never moves a cursor back and deletes deliveries with their subscription', () => {
      const store = open(tempDir());
      const s = store.createSubscription(sub, NOW);
      store.skipTo(s.id, 5, NOW);
      store.skipTo(s.id, 2, NOW);
      expect(store.getSubscription(s.id)?.cursorSeq).toBe(5);
      const d = store.createDelivery(
        { subscriptionId: s.id, fromSeq: 5, toSeq: 6, itemCount: 1, payloads: [{}], nonce: () => 'n' },
        NOW,
      );
      expect(store.removeSubscription(s.id)).toBe(true);
      expect(store.getDelivery(d.id)).toBeUndefined();
      expect(store.removeSubscription(s.id)).toBe(false);
    });
  });
});

describe('store', () => {
  describe('appendLog', () => {
    it('never logs the same change twice when two processes ingest the same folder', () => {
      const dir = tempDir();
      const bot = open(dir);
      const cli = open(dir);
      const change = { docId: 'a', contentHash: HASH('a'), kind: 'article' as const, event: 'new' as const };
      expect(bot.appendLog([change]).map((e) => e.event)).toEqual(['new']);
      expect(cli.appendLog([change])).toEqual([]);
      expect(cli.appendLog([{ ...change, contentHash: HASH('b') }]).map((e) => e.event)).toEqual(['updated']);
      expect(bot.appendLog([{ ...change, contentHash: HASH('b'), event: 'updated' }])).toEqual([]);
      const removal = { docId: 'a', contentHash: null, kind: 'article' as const, event: 'removed' as const };
      expect(bot.appendLog([removal]).map((e) => e.event)).toEqual(['removed']);
      expect(cli.appendLog([removal])).toEqual([]);
      expect(cli.appendLog([{ ...removal, docId: 'never-seen' }])).toEqual([]);
      expect(bot.appendLog([change]).map((e) => e.event)).toEqual(['updated']);
      expect(bot.latestSeq()).toBe(4);
    });
  });
});
