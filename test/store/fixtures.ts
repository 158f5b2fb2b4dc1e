import { afterEach } from 'vitest';
import { PostgresDriver } from '../../src/store/postgresDriver.js';
import type { SqlDriver } from '../../src/store/sql.js';
import { SqliteDriver, storePath } from '../../src/store/sqliteDriver.js';
import { Store, type StoredMessage, type StoreLocation } from '../../src/store/store.js';
import { freshLocation, type StoreKind } from '../support/stores.js';

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A fresh store location of `kind` (SQLite file in a temp folder, or a new PostgreSQL database). */
export async function fresh(kind: StoreKind): Promise<StoreLocation> {
  const location = await freshLocation(kind);
  cleanups.push(location.cleanup);
  return location;
}

/** The real store at `location`, closed after the test. */
export async function open(location: StoreLocation): Promise<Store> {
  const store = await Store.open(location);
  cleanups.push(() => store.close());
  return store;
}

/** A bare SQL driver on the store at `location` (for rows no repository writes), closed after the test. */
export async function openDriver(location: StoreLocation): Promise<SqlDriver> {
  const db = location.databaseUrl
    ? await PostgresDriver.open(location.databaseUrl, { poolSize: 1 })
    : SqliteDriver.open(storePath(location.dataDir));
  cleanups.push(() => db.close());
  return db;
}

/** A fresh store of `kind`, closed after the test. */
export async function openFresh(kind: StoreKind): Promise<Store> {
  return open(await fresh(kind));
}

export const NOW = new Date('2026-11-23T12:00:00Z');
export const HASH = (c: string) => c.repeat(64);
export const sub = {
  guildId: '1'.repeat(18),
  channelId: '2'.repeat(18),
  cron: '0 9 * * *',
  timezone: 'Europe/Paris',
  query: null,
  backfill: 0,
};

/** A digest part as the store keeps it. */
export const message = (content: string): StoredMessage => ({
  content,
  embeds: [
    { title: 'News', description: null, color: 0x0033a0, fields: [{ name: 'A', value: 'b' }], footer: null },
  ],
  buttons: [{ label: 'Read', docId: 'doc-1' }],
});
