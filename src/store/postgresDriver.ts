import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from './postgresMigrations.js';
import { StoreOpenError, type Row, type SqlDriver } from './sql.js';

/** The newest PostgreSQL schema version this build knows. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/** 64-bit integers (sequence numbers, ids, counts) as numbers: ours stay far below 2^53. */
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8
      ? (value: string) => Number(value)
      : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
};

/** Every `?` placeholder as `$1`, `$2`… (our SQL has no `?` inside literals). */
const converted = new Map<string, string>();
function toPostgres(sql: string): string {
  let text = converted.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    converted.set(sql, text);
  }
  return text;
}

/** The server part of a connection string, never its password, for messages and logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'the configured server';
  }
}

/** Runs SQL on a pool or on one checked-out client. */
type Queryable = pg.Pool | pg.PoolClient;

async function query(on: Queryable, sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
  return on.query(toPostgres(sql), params as unknown[]);
}

/** {@link SqlDriver} over a pg pool: each call takes a free connection, a transaction holds one. */
export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres';
  readonly #pool: pg.Pool;
  #closed = false;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /**
   * Connects, then creates or migrates the schema under an advisory lock (several processes
   * starting at once migrate once). Throws StoreOpenError, having written nothing, for a server it
   * cannot reach or a database written by a newer build.
   */
  static async open(
    url: string,
    {
      poolSize = 10,
      onIdleError,
    }: {
      poolSize?: number;
      /** An idle connection failed; absent, a process warning (stderr). */
      onIdleError?: ((error: Error) => void) | undefined;
    } = {},
  ): Promise<PostgresDriver> {
    const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
    // An idle connection the server drops (restart, failover) must not crash the process (an
    // 'error' event nobody listens to would): pg discards it, and it is reported here.
    pool.on('error', (error) => {
      if (onIdleError) onIdleError(error);
      else process.emitWarning(`an idle PostgreSQL connection failed: ${error.message}`);
    });
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      await pool.end();
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreOpenError(
        'unreachable',
        `could not connect to PostgreSQL at ${describeDatabaseUrl(url)} (${reason}); check DATABASE_URL and that the server is up.`,
      );
    }
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', ['migration-news-bot:migrate']);
      try {
        await migrate(client, url);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['migration-news-bot:migrate']);
      }
    } catch (error) {
      client.release();
      await pool.end();
      throw error;
    }
    client.release();
    return new PostgresDriver(pool);
  }

  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await query(this.#pool, sql, params)).rows as Row[];
  }

  async get(sql: string, params: readonly unknown[] = []): Promise<Row | undefined> {
    return (await query(this.#pool, sql, params)).rows[0] as Row | undefined;
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await query(this.#pool, sql, params)).rowCount ?? 0;
  }

  async transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(new PostgresTransaction(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // The work's error is the one to report; a connection that cannot even roll back is in an
      // unknown state, so it is destroyed on release instead of going back to the pool.
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  lock(): Promise<void> {
    return Promise.reject(new Error('store: lock() outside a transaction'));
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return this.#pool.end();
  }
}

/** One connection inside BEGIN…COMMIT; a nested transaction joins it. */
class PostgresTransaction implements SqlDriver {
  readonly dialect = 'postgres';
  constructor(private readonly client: pg.PoolClient) {}

  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await query(this.client, sql, params)).rows as Row[];
  }

  async get(sql: string, params: readonly unknown[] = []): Promise<Row | undefined> {
    return (await query(this.client, sql, params)).rows[0] as Row | undefined;
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await query(this.client, sql, params)).rowCount ?? 0;
  }

  transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T> {
    return work(this);
  }

  async lock(name: string): Promise<void> {
    await this.client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]);
  }

  close(): Promise<void> {
    return Promise.reject(new Error('store: close the driver, not its transaction'));
  }
}

async function migrate(client: pg.PoolClient, url: string): Promise<void> {
  // Read before writing anything: a newer build's database is refused untouched.
  const exists = await client.query<{ present: boolean }>(
    "SELECT to_regclass('meta') IS NOT NULL AS present",
  );
  let current = 0;
  if (exists.rows[0]?.present === true) {
    const row = await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'");
    current = Number(row.rows[0]?.value ?? 0);
  }
  if (current > POSTGRES_SCHEMA_VERSION) {
    throw new StoreOpenError(
      'newer-schema',
      `the PostgreSQL database at ${describeDatabaseUrl(url)} has schema version ${current}, newer than this build knows ` +
        `(${POSTGRES_SCHEMA_VERSION}); refusing to use it so a newer bot’s data is not damaged. Run the newer version.`,
    );
  }
  for (const [k, sql] of POSTGRES_MIGRATIONS.entries()) {
    const version = k + 1;
    if (version <= current) continue;
    await client.query('BEGIN');
    try {
      if (version === 1) {
        await client.query('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
        // Salts delivery nonces, as in SQLite: a fresh database never collides with a deleted one's.
        await client.query("INSERT INTO meta (key, value) VALUES ('instance_id', $1)", [
          randomBytes(8).toString('hex'),
        ]);
      }
      await client.query(sql);
      await client.query(
        `INSERT INTO meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(version)],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
