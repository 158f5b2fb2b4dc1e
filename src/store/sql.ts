/**
 * The one way the repositories reach a database: SQL with `?` placeholders, rows as plain objects.
 * SQLite (better-sqlite3, synchronous underneath) and PostgreSQL (pg, pooled) each implement it, so
 * every repository is written once and the same store test suite runs on both. The SQL the
 * repositories send is the part both dialects share (`RETURNING`, `ON CONFLICT`, `CASE`); where they
 * differ, a repository asks {@link SqlDriver.dialect}.
 */
export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  /** Every row of a query. */
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** The first row, or undefined. */
  get(sql: string, params?: readonly unknown[]): Promise<Row | undefined>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * Runs `work` in one write transaction on one connection, committing when it resolves and rolling
   * back when it throws. Inside, `tx` is the connection to use; a transaction begun on `tx` joins it.
   */
  transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: waits until no other transaction holds `name`, and holds it until this
   * one ends (PostgreSQL's transaction advisory lock; SQLite's write transactions are serial already).
   */
  lock(name: string): Promise<void>;
  close(): Promise<void>;
}

export type Row = Record<string, unknown>;

/**
 * The store cannot be opened safely: the SQLite file is not a database or is damaged, the database
 * was written by a newer build, or the PostgreSQL server cannot be reached. Nothing was written.
 */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    readonly code: 'corrupt' | 'newer-schema' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

/**
 * SQL for the database server's clock plus `?` milliseconds, as ISO 8601 UTC text with
 * milliseconds: the form `Date.prototype.toISOString` writes, so it compares as text with times
 * written before. Claims set and compare their expiry with it, never with the host's clock: of
 * two processes whose hosts' clocks differ by minutes, neither takes a claim the other still holds.
 */
export function databaseTimePlusMs(dialect: SqlDriver['dialect']): string {
  return dialect === 'sqlite'
    ? // 'now' is read once per statement, so every use in one statement is the same instant.
      "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', (? / 1000.0) || ' seconds')"
    : `to_char((clock_timestamp() AT TIME ZONE 'UTC') + ?::float8 * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
