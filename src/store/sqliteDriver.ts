import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { MIGRATIONS } from './sqliteMigrations.js';
import { StoreOpenError, type Row, type SqlDriver } from './sql.js';

type SqliteDatabase = Database.Database;

/** The bot's state file under the data folder. */
export const storePath = (dataDir: string) => path.join(dataDir, 'bot.sqlite');

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

/** One better-sqlite3 connection per file in this process, with its statements and open transaction. */
interface Connection {
  readonly db: SqliteDatabase;
  readonly statements: Map<string, Database.Statement>;
  transaction: Promise<void> | undefined;
  handles: number;
}
const connections = new Map<string, Connection>();

/**
 * {@link SqlDriver} over better-sqlite3. Statements run synchronously; a transaction spans awaits,
 * so while one is open every other call waits for it to end instead of landing inside it (and being
 * rolled back with it). Every driver on one file in this process shares one connection: a second
 * connection's write would wait on SQLite's busy timeout, blocking the very thread that must finish
 * the first transaction.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite';
  readonly #file: string;
  readonly #connection: Connection;
  #closed = false;

  private constructor(file: string, connection: Connection) {
    this.#file = file;
    this.#connection = connection;
  }

  /** Opens (creating, checking and migrating) the file, or shares this process's connection to it. */
  static open(file: string): SqliteDriver {
    const key = path.resolve(file);
    let connection = connections.get(key);
    if (!connection) {
      connection = { db: openDatabase(file), statements: new Map(), transaction: undefined, handles: 0 };
      connections.set(key, connection);
    }
    connection.handles++;
    return new SqliteDriver(key, connection);
  }

  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    await this.#idle();
    return this.allNow(sql, params);
  }

  async get(sql: string, params: readonly unknown[] = []): Promise<Row | undefined> {
    await this.#idle();
    return this.getNow(sql, params);
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    await this.#idle();
    return this.runNow(sql, params);
  }

  async transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T> {
    const connection = this.#connection;
    // Checked and taken in one turn: waiters woken by the same commit must not all start.
    while (connection.transaction) await connection.transaction;
    if (this.#closed) throw new Error('store: the SQLite store is closed');
    let end!: () => void;
    connection.transaction = new Promise((resolve) => (end = resolve));
    try {
      // IMMEDIATE takes the write lock now: another process (the CLI) waits at BEGIN, not mid-way.
      connection.db.exec('BEGIN IMMEDIATE');
      const result = await work(new SqliteTransaction(this));
      connection.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (connection.db.inTransaction) connection.db.exec('ROLLBACK');
      throw error;
    } finally {
      connection.transaction = undefined;
      end();
    }
  }

  lock(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    if (--this.#connection.handles === 0) {
      connections.delete(this.#file);
      if (this.#connection.db.open) this.#connection.db.close();
    }
    return Promise.resolve();
  }

  /** Runs at once, for the open transaction. */
  allNow(sql: string, params: readonly unknown[]): Row[] {
    return this.#statement(sql).all(...params) as Row[];
  }

  getNow(sql: string, params: readonly unknown[]): Row | undefined {
    return this.#statement(sql).get(...params) as Row | undefined;
  }

  runNow(sql: string, params: readonly unknown[]): number {
    return this.#statement(sql).run(...params).changes;
  }

  async #idle(): Promise<void> {
    if (this.#closed) throw new Error('store: the SQLite store is closed');
    while (this.#connection.transaction) await this.#connection.transaction;
  }

  #statement(sql: string): Database.Statement {
    const { statements, db } = this.#connection;
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }
}

/** The open transaction's side of a {@link SqliteDriver}: runs at once, nests by joining. */
class SqliteTransaction implements SqlDriver {
  readonly dialect = 'sqlite';
  constructor(private readonly driver: SqliteDriver) {}

  all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return Promise.resolve(this.driver.allNow(sql, params));
  }

  get(sql: string, params: readonly unknown[] = []): Promise<Row | undefined> {
    return Promise.resolve(this.driver.getNow(sql, params));
  }

  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return Promise.resolve(this.driver.runNow(sql, params));
  }

  transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T> {
    return work(this);
  }

  lock(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.reject(new Error('store: close the driver, not its transaction'));
  }
}
