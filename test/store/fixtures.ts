import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { Store, type StoredMessage } from '../../src/store/store.js';

let dirs: string[] = [];
let stores: Store[] = [];
afterEach(() => {
  for (const s of stores) s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
  stores = [];
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mnb-store-'));
  dirs.push(dir);
  return dir;
}

/** The real store over `dir`, closed after the test. */
export function open(dir: string): Store {
  const store = Store.open(dir);
  stores.push(store);
  return store;
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
