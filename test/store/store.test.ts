import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION, StoreOpenError, storePath } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';
import { HASH, message, NOW, open, sub, tempDir } from './fixtures.js';

describe('store', () => {
  describe('openDatabase', () => {
    it('creates the file in WAL mode with foreign keys, a busy timeout and the current schema version', () => {
      const file = storePath(path.join(tempDir(), 'nested', 'data'));
      const db = openDatabase(file);
      try {
        expect(readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
        expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
        expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      } finally {
        db.close();
      }
    });
  });

  describe('Store.open', () => {
    it('creates DATA_DIR/bot.sqlite with a random instance id', () => {
      const dir = path.join(tempDir(), 'nested', 'data');
      const store = open(dir);
      expect(readFileSync(storePath(dir)).subarray(0, 15).toString()).toBe('SQLite format 3');
      expect(store.instanceId).toMatch(/^[0-9a-f]{16}$/);
      expect(Object.keys(store).sort()).toEqual([
        'deliveries',
        'log',
        'sourceStates',
        'subscriptions',
        'webDocuments',
      ]);
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
      store.log.append(
        Array.from({ length: 400 }, (_, k) => ({
          docId: `doc-${k}`,
          contentHash: HASH('a'),
          kind: 'article' as const,
          event: 'new' as const,
        })),
      );
      // The last connection to close checkpoints the WAL into the file.
      store.close();
      const bytes = readFileSync(storePath(dir));
      expect(bytes.length).toBeGreaterThan(4096 * 3);
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
      first.log.append([{ docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' }], NOW);
      const s = first.subscriptions.create(sub, NOW);
      const d = first.deliveries.create(
        {
          subscriptionId: s.id,
          fromSeq: 0,
          toSeq: 1,
          itemCount: 1,
          payloads: [message('part 1')],
          nonce: (id, part) => `n${id}.${part}`,
        },
        NOW,
      );
      const instance = first.instanceId;
      first.close();
      const second = open(dir);
      expect(second.instanceId).toBe(instance);
      expect(second.log.entries(0)).toEqual([
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
      expect(second.subscriptions.get(s.id)).toEqual(s);
      expect(second.deliveries.pending()).toEqual([d]);
    });
  });
});
