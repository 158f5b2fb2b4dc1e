import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { MIGRATIONS } from './migrations.js';

export type SqliteDatabase = Database.Database;

/** The bot's state file under the data folder. */
export const storePath = (dataDir: string) => path.join(dataDir, 'bot.sqlite');

/**
 * The store cannot be opened safely: the file is not an SQLite database, is damaged, or was written by
 * a newer build. The file is left exactly as it was.
 */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    readonly code: 'corrupt' | 'newer-schema',
    message: string,
  ) {
    super(message);
  }
}

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Opens (creating when missing) the SQLite file, checks it, and migrates it to the current schema.
 * Refuses, without writing anything, a file that is not a database, fails its integrity check, or has
 * a schema newer than this build.
 */
export function openDatabase(file: string): SqliteDatabase {
  const isNew = !existsSync(file);
  if (isNew) mkdirSync(path.dirname(file), { recursive: true });
  // Read-only first: nothing below may write to a file we are going to refuse.
  if (!isNew) inspectExisting(file);

  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // WAL with synchronous=NORMAL loses at most the last commits on power loss, never consistency;
    // a delivery's nonce makes a re-post after such a loss harmless.
    db.pragma('synchronous = NORMAL');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function inspectExisting(file: string): void {
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const version = z.number().parse(db.pragma('user_version', { simple: true }));
    const check = z.string().parse(db.pragma('quick_check', { simple: true }));
    if (check !== 'ok') {
      throw new StoreOpenError(
        'corrupt',
        `${file} failed SQLite's integrity check (${check}); refusing to use or overwrite it. ` +
          'Restore a backup or move the file aside to start with an empty store.',
      );
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreOpenError(
        'newer-schema',
        `${file} has schema version ${version}, newer than this build knows (${SCHEMA_VERSION}); ` +
          'refusing to open it so a newer bot’s data is not damaged. Run the newer version, or move the file aside.',
      );
    }
  } catch (error) {
    if (error instanceof StoreOpenError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreOpenError(
      'corrupt',
      `${file} is not a readable SQLite database (${reason}); refusing to use or overwrite it. ` +
        'Restore a backup or move the file aside to start with an empty store.',
    );
  } finally {
    db?.close();
  }
}

function migrate(db: SqliteDatabase): void {
  const current = z.number().parse(db.pragma('user_version', { simple: true }));
  for (const [k, sql] of MIGRATIONS.entries()) {
    const version = k + 1;
    if (version <= current) continue;
    db.transaction(() => {
      db.exec(sql);
      if (version === 1) {
        // A per-database id salts delivery nonces, so a fresh store never collides with the
        // nonces of a deleted one that Discord may still remember.
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(
          'instance_id',
          randomBytes(8).toString('hex'),
        );
      }
      db.pragma(`user_version = ${version}`);
    })();
  }
}
