import { z } from 'zod';
import { DocumentRecordSchema, type DocumentRecord } from '../core/record.js';
import type { FingerprintedDocument, TextFingerprint } from '../core/sources/nearDuplicate.js';
import type { SqlDriver } from './sql.js';

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
  .object({ id: z.string(), fingerprint: z.string(), record: z.string() })
  .transform((r): FingerprintedDocument => {
    const record = DocumentRecordSchema.parse(JSON.parse(r.record));
    return {
      id: r.id,
      fingerprint: fingerprintSchema.parse(JSON.parse(r.fingerprint)),
      identity: { urls: record.urls ?? [], title: record.title },
    };
  });

/**
 * Documents fetched from live sources, durable across restarts, with every key they were reached by
 * (canonical URLs, each source's item id), so the same release through two ways in is one document.
 */
export class WebDocuments {
  constructor(private readonly db: SqlDriver) {}

  async get(id: string): Promise<WebDocument | undefined> {
    return webDocumentRow
      .optional()
      .parse(await this.db.get('SELECT * FROM web_documents WHERE id = ?', [id]));
  }

  async has(id: string): Promise<boolean> {
    return (await this.db.get('SELECT 1 AS found FROM web_documents WHERE id = ?', [id])) !== undefined;
  }

  /** The document any of these keys (canonical URLs, item ids) already leads to. */
  async findByKeys(keys: readonly string[]): Promise<string | undefined> {
    for (const key of keys) {
      const row = idRow
        .optional()
        .parse(await this.db.get('SELECT doc_id FROM web_document_keys WHERE key = ?', [key]));
      if (row) return row.doc_id;
    }
    return undefined;
  }

  /**
   * Fingerprints of documents first seen at or after `sinceIso` from sources other than
   * `exceptSourceId`, with their URLs and titles, for near-duplicate checks.
   */
  async fingerprintsSince(sinceIso: string, exceptSourceId: string): Promise<FingerprintedDocument[]> {
    return fingerprintRow
      .array()
      .parse(
        await this.db.all(
          'SELECT id, fingerprint, record FROM web_documents WHERE first_seen_at >= ? AND source_id != ?',
          [sinceIso, exceptSourceId],
        ),
      );
  }

  /** Inserts or replaces a document and adds its keys (existing keys keep their document). */
  put(document: WebDocument, keys: readonly string[]): Promise<void> {
    const { record } = document;
    return this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO web_documents (id, source_id, record, content_hash, published_at, first_seen_at, updated_at, fingerprint)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET record = excluded.record, content_hash = excluded.content_hash,
           published_at = excluded.published_at, updated_at = excluded.updated_at, fingerprint = excluded.fingerprint`,
        [
          record.id,
          document.sourceId,
          JSON.stringify(record),
          record.contentHash,
          record.publishedAt ?? null,
          document.firstSeenAt,
          document.updatedAt,
          JSON.stringify(document.fingerprint),
        ],
      );
      for (const key of keys) {
        await tx.run(
          'INSERT INTO web_document_keys (key, doc_id) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
          [key, record.id],
        );
      }
    });
  }

  /** Every stored record, or those with the given ids (unknown ids are left out). */
  async records(ids?: readonly string[]): Promise<DocumentRecord[]> {
    if (ids === undefined) {
      return webDocumentRow
        .array()
        .parse(await this.db.all(`SELECT * FROM web_documents ORDER BY ${inByteOrder(this.db, 'id')}`))
        .map((d) => d.record);
    }
    // Many ids (a rebuild asks for all): one scan beats a lookup each.
    if (ids.length > 1000) {
      const wanted = new Set(ids);
      return (await this.records()).filter((record) => wanted.has(record.id));
    }
    const records: DocumentRecord[] = [];
    for (const id of ids) {
      const document = await this.get(id);
      if (document) records.push(document.record);
    }
    return records;
  }

  /**
   * Id, content hash and address count of every stored document, in id order: a start compares
   * them with its snapshot and reads only the documents that changed (the database counts the
   * addresses inside the stored JSON, so no record is parsed here).
   */
  async stamps(): Promise<WebDocumentStamp[]> {
    const urlCount =
      this.db.dialect === 'sqlite'
        ? "json_array_length(record, '$.urls')"
        : "jsonb_array_length(CASE WHEN jsonb_typeof(record::jsonb -> 'urls') = 'array' THEN record::jsonb -> 'urls' END)";
    return stampRow
      .array()
      .parse(
        await this.db.all(
          `SELECT id, content_hash, ${urlCount} AS url_count FROM web_documents ORDER BY ${inByteOrder(this.db, 'id')}`,
        ),
      );
  }

  /** Ids of every stored document. */
  async ids(): Promise<Set<string>> {
    // Every ingester pass asks: one column, no per-row parse (30,000 rows at 100k documents).
    const rows = await this.db.all('SELECT id FROM web_documents');
    const ids = new Set<string>();
    for (const { id } of rows) {
      if (typeof id !== 'string') throw new Error('web_documents: an id is not text');
      ids.add(id);
    }
    return ids;
  }

  /** Documents per source id. */
  async countBySource(): Promise<Map<string, number>> {
    const rows = countRow
      .array()
      .parse(await this.db.all('SELECT source_id, count(*) AS n FROM web_documents GROUP BY source_id'));
    return new Map(rows.map((r) => [r.source_id, r.n]));
  }
}

/** `column` for ORDER BY in byte order, as SQLite compares text (PostgreSQL would use the locale's). */
const inByteOrder = (db: SqlDriver, column: string) =>
  db.dialect === 'postgres' ? `${column} COLLATE "C"` : column;
