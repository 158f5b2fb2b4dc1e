import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, storePath } from '../../src/store/store.js';
import { freshDatabaseUrl, freshLocation } from '../support/stores.js';

/** A schema as both stores can describe it, in words that mean the same in each. */
interface Schema {
  /** table → column → "type family, NOT NULL?" */
  readonly columns: Record<string, Record<string, string>>;
  /** table → its primary key's columns, in order. */
  readonly primaryKeys: Record<string, string>;
  /** "table (columns) unique? partial?", sorted; primary keys apart. */
  readonly indexes: readonly string[];
  /** "table.column → table.column on delete …", sorted. */
  readonly foreignKeys: readonly string[];
}

/** The type families the repositories rely on; a store's own spelling of each maps to one. */
function family(declared: string): string {
  const type = declared.toLowerCase();
  if (/^(integer|int|bigint|smallint|int[248]|bigserial|serial)$/.test(type)) return 'integer';
  if (/^(text|character varying.*|varchar.*|char.*)$/.test(type)) return 'text';
  if (/^(real|double precision|float.*|numeric.*)$/.test(type)) return 'real';
  if (/^(blob|bytea)$/.test(type)) return 'blob';
  if (/^bool(ean)?$/.test(type)) return 'boolean';
  if (/^timestamp/.test(type)) return 'timestamp';
  return `unknown: ${type}`;
}

const column = (type: string, isNotNull: boolean) => `${family(type)}${isNotNull ? ' not null' : ''}`;
const indexLine = (table: string, columns: readonly string[], isUnique: boolean, isPartial: boolean) =>
  `${table} (${columns.join(', ')})${isUnique ? ' unique' : ''}${isPartial ? ' partial' : ''}`;

function sqliteSchema(file: string): Schema {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    const schema = { columns: {}, primaryKeys: {}, indexes: [], foreignKeys: [] } as {
      columns: Record<string, Record<string, string>>;
      primaryKeys: Record<string, string>;
      indexes: string[];
      foreignKeys: string[];
    };
    for (const table of tables) {
      const info = db.pragma(`table_xinfo(${table})`) as {
        name: string;
        type: string;
        notnull: number;
        pk: number;
      }[];
      // A primary key column is NOT NULL in a STRICT table, as in PostgreSQL.
      schema.columns[table] = Object.fromEntries(
        info.map((c) => [c.name, column(c.type, c.notnull === 1 || c.pk > 0)]),
      );
      schema.primaryKeys[table] = info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name)
        .join(', ');
      const indexes = db.pragma(`index_list(${table})`) as {
        name: string;
        unique: number;
        origin: string;
        partial: number;
      }[];
      for (const index of indexes.filter((i) => i.origin !== 'pk')) {
        const columns = (db.pragma(`index_info(${index.name})`) as { seqno: number; name: string }[])
          .sort((a, b) => a.seqno - b.seqno)
          .map((c) => c.name);
        schema.indexes.push(indexLine(table, columns, index.unique === 1, index.partial === 1));
      }
      const keys = db.pragma(`foreign_key_list(${table})`) as {
        table: string;
        from: string;
        to: string;
        on_delete: string;
      }[];
      for (const key of keys)
        schema.foreignKeys.push(
          `${table}.${key.from} → ${key.table}.${key.to} on delete ${key.on_delete.toLowerCase()}`,
        );
    }
    return { ...schema, indexes: schema.indexes.sort(), foreignKeys: schema.foreignKeys.sort() };
  } finally {
    db.close();
  }
}

async function postgresSchema(url: string): Promise<Schema> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns: Record<string, Record<string, string>> = {};
    const rows = await client.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    );
    for (const r of rows.rows)
      (columns[r.table_name] ??= {})[r.column_name] = column(r.data_type, r.is_nullable === 'NO');

    const indexRows = await client.query<{
      table: string;
      columns: string[];
      unique: boolean;
      primary: boolean;
      partial: boolean;
    }>(
      `SELECT t.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
              i.indpred IS NOT NULL AS partial,
              array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = 'public'::regnamespace`,
    );
    const primaryKeys: Record<string, string> = Object.fromEntries(Object.keys(columns).map((t) => [t, '']));
    const indexes: string[] = [];
    for (const r of indexRows.rows) {
      if (r.primary) primaryKeys[r.table] = r.columns.join(', ');
      else indexes.push(indexLine(r.table, r.columns, r.unique, r.partial));
    }

    const keyRows = await client.query<{ line: string }>(
      `SELECT c.conrelid::regclass::text || '.' || a.attname || ' → ' || c.confrelid::regclass::text || '.' ||
              af.attname || ' on delete ' ||
              CASE c.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'r' THEN 'restrict'
                                 WHEN 'd' THEN 'set default' ELSE 'no action' END AS line
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
    );
    return {
      columns,
      primaryKeys,
      indexes: indexes.sort(),
      foreignKeys: keyRows.rows.map((r) => r.line).sort(),
    };
  } finally {
    await client.end();
  }
}

/**
 * The two migration lists are written by hand, one per dialect; this is what keeps them one schema.
 * Both stores are migrated from empty, then described in the same words and compared whole.
 */
describe('store schemas (SQLite and PostgreSQL after migration)', () => {
  let sqlite: Schema;
  let postgres: Schema;
  let cleanup: () => void;

  beforeAll(async () => {
    const location = await freshLocation('sqlite');
    cleanup = location.cleanup;
    await (await Store.open(location)).close();
    sqlite = sqliteSchema(storePath(location.dataDir));
    const url = await freshDatabaseUrl();
    await (await Store.open({ dataDir: location.dataDir, databaseUrl: url })).close();
    postgres = await postgresSchema(url);
  });
  afterAll(() => cleanup());

  it('describes something: the tables the repositories use', () => {
    expect(Object.keys(sqlite.columns).sort()).toEqual(
      expect.arrayContaining(['deliveries', 'ingestion_log', 'meta', 'source_states', 'subscriptions']),
    );
  });

  it('has the same tables, columns, type families and NOT NULLs', () => {
    expect(postgres.columns).toEqual(sqlite.columns);
  });

  it('has the same primary keys', () => {
    expect(postgres.primaryKeys).toEqual(sqlite.primaryKeys);
  });

  it('has the same indexes (table, columns, unique, partial)', () => {
    expect(postgres.indexes).toEqual(sqlite.indexes);
  });

  it('has the same foreign keys and their ON DELETE', () => {
    expect(postgres.foreignKeys).toEqual(sqlite.foreignKeys);
  });
});
