import { z } from 'zod';
import { DocumentRecordSchema, type DocumentRecord } from '../core/record.js';
import type { TextFingerprint } from '../core/sources/nearDuplicate.js';
import type { SqliteDatabase } from './database.js';

/** A document fetched from a source, as stored. */
export interface WebDocument {
  readonly record: DocumentRecord;
  readonly sourceId: string;
  /** ISO 8601: when the bot first saw it (news age for undated items). */
  readonly firstSeenAt: string;
  readonly updatedAt: string;
  readonly fingerprint: TextFingerprint;
}

const fingerprintSchema = z.object({ signature: z.array(z.number()), shingles: z.number() });

const webDocumentRow = z
  .object({
    id: z.string(),
    source_id: z.string(),
    record: z.string(),
    first_seen_at: z.string(),
    updated_at: z.string(),
    fingerprint: z.string(),
  })
  .transform((r): WebDocument => ({
    record: DocumentRecordSchema.parse(JSON.parse(r.record)),
    sourceId: r.source_id,
    firstSeenAt: r.first_seen_at,
    updatedAt: r.updated_at,
    fingerprint: fingerprintSchema.parse(JSON.parse(r.fingerprint)),
  }));
const idRow = z.object({ doc_id: z.string() });
const stampRow = z
  .object({ id: z.string(), content_hash: z.string(), url_count: z.number().int().nullable() })
  .transform((r): WebDocumentStamp => ({
    id: r.id,
    contentHash: r.content_hash,
    urlCount: r.url_count ?? 0,
  }));

/** What tells whether a copy of a stored document is current, without reading the document. */
export interface WebDocumentStamp {
  readonly id: string;
  readonly contentHash: string;
  /** How many addresses it was seen under (a merged duplicate adds one, the text staying the same). */
  readonly urlCount: number;
}
const countRow = z.object({ source_id: z.string(), n: z.number().int() });
const fingerprintRow = z
  .object({ id: z.string(), fingerprint: z.string() })
  .transform((r) => ({ id: r.id, fingerprint: fingerprintSchema.parse(JSON.parse(r.fingerprint)) }));

/**
 * Documents fetched from live sources, durable across restarts, with every key they were reached by
 * (canonical URLs, each source's item id), so the same release through two ways in is one document.
 */
export class WebDocuments {
  constructor(private readonly db: SqliteDatabase) {}

  get(id: string): WebDocument | undefined {
    return webDocumentRow
      .optional()
      .parse(this.db.prepare('SELECT * FROM web_documents WHERE id = ?').get(id));
  }

  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM web_documents WHERE id = ?').get(id) !== undefined;
  }

  /** The document any of these keys (canonical URLs, item ids) already leads to. */
  findByKeys(keys: readonly string[]): string | undefined {
    const find = this.db.prepare('SELECT doc_id FROM web_document_keys WHERE key = ?');
    for (const key of keys) {
      const row = idRow.optional().parse(find.get(key));
      if (row) return row.doc_id;
    }
    return undefined;
  }

  /**
   * Fingerprints of documents first seen at or after `sinceIso` from sources other than
   * `exceptSourceId`, for near-duplicate checks.
   */
  fingerprintsSince(
    sinceIso: string,
    exceptSourceId: string,
  ): { id: string; fingerprint: TextFingerprint }[] {
    return fingerprintRow
      .array()
      .parse(
        this.db
          .prepare('SELECT id, fingerprint FROM web_documents WHERE first_seen_at >= ? AND source_id != ?')
          .all(sinceIso, exceptSourceId),
      );
  }

  /** Inserts or replaces a document and adds its keys (existing keys keep their document). */
  put(document: WebDocument, keys: readonly string[]): void {
    const { record } = document;
    this.db
      .prepare(
        `INSERT INTO web_documents (id, source_id, record, content_hash, published_at, first_seen_at, updated_at, fingerprint)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET record = excluded.record, content_hash = excluded.content_hash,
           published_at = excluded.published_at, updated_at = excluded.updated_at, fingerprint = excluded.fingerprint`,
      )
      .run(
        record.id,
        document.sourceId,
        JSON.stringify(record),
        record.contentHash,
        record.publishedAt ?? null,
        document.firstSeenAt,
        document.updatedAt,
        JSON.stringify(document.fingerprint),
      );
    const addKey = this.db.prepare('INSERT OR IGNORE INTO web_document_keys (key, doc_id) VALUES (?, ?)');
    for (const key of keys) addKey.run(key, record.id);
  }

  /** Every stored record, or those with the given ids (unknown ids are left out). */
  records(ids?: readonly string[]): DocumentRecord[] {
    if (ids === undefined) {
      return webDocumentRow
        .array()
        .parse(this.db.prepare('SELECT * FROM web_documents ORDER BY id').all())
        .map((d) => d.record);
    }
    // Many ids (a rebuild asks for all): one scan beats a lookup each.
    if (ids.length > 1000) {
      const wanted = new Set(ids);
      return this.records().filter((record) => wanted.has(record.id));
    }
    return ids.flatMap((id) => this.get(id)?.record ?? []);
  }

  /**
   * Id, content hash and address count of every stored document, in id order: a start compares
   * them with its snapshot and reads only the documents that changed (SQLite counts the addresses
   * inside the stored JSON, so no record is parsed here).
   */
  stamps(): WebDocumentStamp[] {
    return stampRow
      .array()
      .parse(
        this.db
          .prepare(
            "SELECT id, content_hash, json_array_length(record, '$.urls') AS url_count FROM web_documents ORDER BY id",
          )
          .all(),
      );
  }

  /** Ids of every stored document. */
  ids(): Set<string> {
    // Every ingester pass asks: one column, plucked, no per-row parse (30,000 rows at 100k documents).
    const ids: unknown[] = this.db.prepare('SELECT id FROM web_documents').pluck().all();
    const text = ids.filter((id): id is string => typeof id === 'string');
    if (text.length !== ids.length) throw new Error('web_documents: an id is not text');
    return new Set(text);
  }

  /** Documents per source id. */
  countBySource(): Map<string, number> {
    const rows = countRow
      .array()
      .parse(this.db.prepare('SELECT source_id, count(*) AS n FROM web_documents GROUP BY source_id').all());
    return new Map(rows.map((r) => [r.source_id, r.n]));
  }

  /** Runs `work` in one write transaction (a document, its keys and its log entry land together). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }
}
