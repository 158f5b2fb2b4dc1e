import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { POSTGRES_SCHEMA_VERSION } from '../../src/store/postgresDriver.js';
import { openDatabase, SCHEMA_VERSION, storePath } from '../../src/store/sqliteDriver.js';
import { Store, StoreOpenError } from '../../src/store/store.js';
import { freshDatabaseUrl } from '../support/stores.js';
import { fresh, HASH, open } from './fixtures.js';

describe('store', () => {
  describe('openDatabase', () => {
    it('creates the file in WAL mode with foreign keys, a busy timeout and the current schema version', async () => {
      const file = storePath(path.join((await fresh('sqlite')).dataDir, 'nested', 'data'));
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
    it('creates DATA_DIR/bot.sqlite with a random instance id', async () => {
      const dir = path.join((await fresh('sqlite')).dataDir, 'nested', 'data');
      const store = await open({ dataDir: dir });
      expect(store.kind).toBe('sqlite');
      expect(readFileSync(storePath(dir)).subarray(0, 15).toString()).toBe('SQLite format 3');
      expect(await store.instanceId()).toMatch(/^[0-9a-f]{16}$/);
      expect(Object.keys(store).sort()).toEqual([
        'deliveries',
        'guildSettings',
        'log',
        'sourceStates',
        'subscriptions',
        'webDocuments',
      ]);
    });

    it('refuses a file that is not a database and leaves its bytes untouched', async () => {
      const dir = (await fresh('sqlite')).dataDir;
      const junk = 'this is not sqlite, it is a text file that happens to sit where the store goes\n'.repeat(
        20,
      );
      writeFileSync(storePath(dir), junk);
      await expect(Store.open(dir)).rejects.toThrow(StoreOpenError);
      await expect(Store.open(dir)).rejects.toThrow(
        /bot\.sqlite is not a readable SQLite database \(file is not a database\); refusing to use or overwrite it/,
      );
      expect(readFileSync(storePath(dir), 'utf8')).toBe(junk);
    });

    it('refuses a database whose pages are damaged, and leaves it as it was', async () => {
      const dir = (await fresh('sqlite')).dataDir;
      const store = await Store.open(dir);
      await store.log.append(
        Array.from({ length: 400 }, (_, k) => ({
          docId: `doc-${k}`,
          contentHash: HASH('a'),
          kind: 'article' as const,
          event: 'new' as const,
        })),
      );
      // The last connection to close checkpoints the WAL into the file.
      await store.close();
      const bytes = readFileSync(storePath(dir));
      expect(bytes.length).toBeGreaterThan(4096 * 3);
      // Scribble over the second page (the first table's b-tree), keep the header valid.
      const damaged = Buffer.from(bytes);
      damaged.fill(0xab, 4096, 4096 * 3);
      writeFileSync(storePath(dir), damaged);
      let error: unknown;
      try {
        await Store.open(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StoreOpenError);
      expect((error as StoreOpenError).code).toBe('corrupt');
      expect(readFileSync(storePath(dir)).equals(damaged)).toBe(true);
    });

    it('refuses a newer schema version with a clear message and does not modify the file', async () => {
      const dir = (await fresh('sqlite')).dataDir;
      await (await Store.open(dir)).close();
      const raw = new Database(storePath(dir));
      raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      raw.close();
      const before = readFileSync(storePath(dir));
      await expect(Store.open(dir)).rejects.toThrow(
        `${storePath(dir)} has schema version ${SCHEMA_VERSION + 1}, newer than this build knows (${SCHEMA_VERSION}); refusing to open it`,
      );
      expect(readFileSync(storePath(dir)).equals(before)).toBe(true);
    });
  });
});

describe('store (postgres)', () => {
  it('creates the schema once when several processes start at once, and says where it is', async () => {
    const location = await fresh('postgres');
    const stores = await Promise.all([open(location), open(location), open(location)]);
    const ids = await Promise.all(stores.map((s) => s.instanceId()));
    expect(new Set(ids).size).toBe(1);
    expect(stores[0].kind).toBe('postgres');
    // The server and database, never the password.
    expect(stores[0].location).toMatch(/^PostgreSQL at 127\.0\.0\.1:\d+\/t_[0-9a-f]+$/);
  });

  it('refuses a database written by a newer build, and leaves it as it was', async () => {
    const url = await freshDatabaseUrl();
    const first = await Store.open({ dataDir: 'unused', databaseUrl: url });
    await first.log.append([{ docId: 'a', contentHash: HASH('a'), kind: 'article', event: 'new' }]);
    await first.close();
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    try {
      await raw.query("UPDATE meta SET value = $1 WHERE key = 'schema_version'", [
        String(POSTGRES_SCHEMA_VERSION + 1),
      ]);
      const error: unknown = await Store.open({ dataDir: 'unused', databaseUrl: url }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreOpenError);
      expect((error as StoreOpenError).code).toBe('newer-schema');
      expect((error as Error).message).toMatch(
        new RegExp(
          `has schema version ${POSTGRES_SCHEMA_VERSION + 1}, newer than this build knows \\(${POSTGRES_SCHEMA_VERSION}\\); refusing`,
        ),
      );
      const rows = await raw.query('SELECT doc_id FROM ingestion_log');
      expect(rows.rows).toEqual([{ doc_id: 'a' }]);
    } finally {
      await raw.end();
    }
  });

  it('says which server it could not reach, without the password', async () => {
    const error: unknown = await Store.open({
      dataDir: 'unused',
      databaseUrl: 'postgres://bot:s3cret@127.0.0.1:1/news',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as StoreOpenError).code).toBe('unreachable');
    expect((error as Error).message).toMatch(/^could not connect to PostgreSQL at 127\.0\.0\.1:1\/news \(/);
    expect((error as Error).message).not.toContain('s3cret');
  });
});
