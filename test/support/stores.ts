import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { StoreLocation } from '../../src/store/store.js';

/** The two stores the bot ships; the store test suite runs on each. */
export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/**
 * The run's PostgreSQL server (test/support/postgresServer.ts). When it did not start, throws why,
 * so each PostgreSQL test fails with the reason while the rest of the run goes on.
 */
export function postgresServerUrl(): string {
  const error = inject('postgresError');
  if (error !== undefined) throw new Error(`the test PostgreSQL server did not start: ${error}`);
  return inject('postgresUrl');
}

/** A new, empty database on the run's PostgreSQL server. */
export async function freshDatabaseUrl(): Promise<string> {
  const server = postgresServerUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return `${server}/${name}`;
}

/**
 * Where a fresh store of `kind` lives: a new temporary data folder, plus for PostgreSQL a new
 * database. Opening the location twice gives two connections to the same data, as two processes.
 * `cleanup` removes the folder (databases go with the server at the end of the run).
 */
export async function freshLocation(kind: StoreKind): Promise<StoreLocation & { cleanup: () => void }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mnb-store-'));
  const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
  return kind === 'postgres'
    ? { dataDir, databaseUrl: await freshDatabaseUrl(), cleanup }
    : { dataDir, cleanup };
}
