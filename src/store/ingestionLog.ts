import { z } from 'zod';
import type { DocumentKind } from '../core/record.js';
import { yieldToEventLoop } from '../util/timeSlices.js';
import type { SqlDriver } from './sql.js';

export type IngestEvent = 'new' | 'updated' | 'removed';

/** One line of the ingestion log. `seq` grows strictly and is never reused. */
export interface LogEntry {
  readonly seq: number;
  readonly docId: string;
  /** sha256 of the file; null for `removed`. */
  readonly contentHash: string | null;
  readonly kind: DocumentKind | null;
  readonly event: IngestEvent;
  /** ISO 8601 time of ingestion. */
  readonly at: string;
  /**
   * False for a document indexed but not announced (found on a live source's first fetch, or too
   * old): digests skip it.
   */
  readonly news: boolean;
}

export interface LogAppend {
  readonly docId: string;
  readonly contentHash: string | null;
  readonly kind: DocumentKind | null;
  readonly event: IngestEvent;
  /** Default true; see LogEntry.news. */
  readonly news?: boolean;
}

/** What the log says about a document now: its last entry. */
export interface DocumentState {
  readonly seq: number;
  readonly contentHash: string | null;
  readonly kind: DocumentKind | null;
  readonly event: IngestEvent;
}

/** Log entries per page of {@link IngestionLog.pages}. */
const ENTRY_PAGE = 500;

/** Log rows read per slice of {@link IngestionLog.documentStates}. */
const STATE_SLICE = 5000;

/** A row of `ingestion_log` as the database returns it, checked and renamed on the way out. */
const logRow = z
  .object({
    seq: z.number().int(),
    doc_id: z.string(),
    content_hash: z.string().nullable(),
    kind: z.enum(['article', 'project']).nullable(),
    event: z.enum(['new', 'updated', 'removed']),
    at: z.string(),
    news: z.union([z.literal(0), z.literal(1)]),
  })
  .transform((r): LogEntry => ({
    seq: r.seq,
    docId: r.doc_id,
    contentHash: r.content_hash,
    kind: r.kind,
    event: r.event,
    at: r.at,
    news: r.news === 1,
  }));
const seqRow = z.object({ seq: z.number().int() });

/** The append-only ingestion log: what was ingested, in order, each change once. */
export class IngestionLog {
  constructor(private readonly db: SqlDriver) {}

  /**
   * Appends entries in order, in one write transaction (joining the caller's, if any), and returns
   * those appended with their sequence numbers. Each entry is checked against the document's last
   * entry inside the transaction, so two processes ingesting the same documents never log a change
   * twice: a `new` for a known id becomes `updated` (or nothing when the hash is the same), an
   * `updated` with the current hash and a `removed` of a removed document are dropped. Appends are
   * serial across processes, so sequence numbers become visible in order: a reader that has seen
   * seq n has seen every entry before it.
   */
  append(entries: readonly LogAppend[], now = new Date()): Promise<LogEntry[]> {
    const at = now.toISOString();
    return this.db.transaction(async (tx) => {
      await tx.lock('ingestion_log');
      const appended: LogEntry[] = [];
      for (const e of entries) {
        const previous = logRow
          .optional()
          .parse(
            await tx.get('SELECT * FROM ingestion_log WHERE doc_id = ? ORDER BY seq DESC LIMIT 1', [e.docId]),
          );
        let event = e.event;
        if (previous) {
          const wasRemoved = previous.event === 'removed';
          if (event === 'removed' && wasRemoved) continue;
          if (event !== 'removed') {
            if (!wasRemoved && previous.contentHash === e.contentHash) continue;
            event = 'updated';
          }
        } else if (event !== 'new') {
          if (event === 'removed') continue;
          event = 'new';
        }
        appended.push(
          logRow.parse(
            await tx.get(
              'INSERT INTO ingestion_log (doc_id, content_hash, kind, event, at, news) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
              [e.docId, e.contentHash, e.kind, event, at, e.news === false ? 0 : 1],
            ),
          ),
        );
      }
      return appended;
    });
  }

  /** The highest sequence number ever used (0 when the log is empty). */
  async latestSeq(): Promise<number> {
    return latestSeq(this.db);
  }

  /** Entries with afterSeq < seq ≤ uptoSeq, in order. */
  async entries(afterSeq: number, uptoSeq = Number.MAX_SAFE_INTEGER): Promise<LogEntry[]> {
    return logRow
      .array()
      .parse(
        await this.db.all('SELECT * FROM ingestion_log WHERE seq > ? AND seq <= ? ORDER BY seq', [
          afterSeq,
          uptoSeq,
        ]),
      );
  }

  /**
   * Entries with afterSeq < seq ≤ uptoSeq, in order, at most `size` at a time: a reader of a long
   * window (a subscription paused for weeks) holds one page, not the whole window.
   */
  async *pages(afterSeq: number, uptoSeq: number, size = ENTRY_PAGE): AsyncGenerator<LogEntry[]> {
    for (let after = afterSeq; after < uptoSeq;) {
      const page = logRow
        .array()
        .parse(
          await this.db.all('SELECT * FROM ingestion_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?', [
            after,
            uptoSeq,
            size,
          ]),
        );
      if (page.length === 0) return;
      yield page;
      after = page.at(-1)!.seq;
      if (page.length < size) return;
    }
  }

  /** Every entry of one document, oldest first. */
  async forDocument(docId: string): Promise<LogEntry[]> {
    return logRow
      .array()
      .parse(await this.db.all('SELECT * FROM ingestion_log WHERE doc_id = ? ORDER BY seq', [docId]));
  }

  /** The `limit` latest `new` entries of articles at or before `uptoSeq`, oldest first. */
  async latestNewArticles(uptoSeq: number, limit: number): Promise<LogEntry[]> {
    if (limit <= 0) return [];
    const rows = await this.db.all(
      `SELECT * FROM ingestion_log WHERE event = 'new' AND news = 1 AND kind = 'article' AND seq <= ?
       ORDER BY seq DESC LIMIT ?`,
      [uptoSeq, limit],
    );
    return logRow.array().parse(rows).reverse();
  }

  /**
   * Each document's last log entry, by id. Read a slice of the log at a time with a turn of the
   * event loop between slices: at 100,000 documents one read holds the thread for a fifth of a
   * second. Later rows replace earlier ones, as the latest event counts.
   */
  async documentStates(): Promise<Map<string, DocumentState>> {
    const states = new Map<string, DocumentState>();
    for (let after = 0; ;) {
      const rows = await this.db.all(
        'SELECT seq, doc_id, content_hash, kind, event FROM ingestion_log WHERE seq > ? ORDER BY seq LIMIT ?',
        [after, STATE_SLICE],
      );
      for (const { seq, doc_id: docId, content_hash: contentHash, kind, event } of rows) {
        if (
          typeof seq !== 'number' ||
          typeof docId !== 'string' ||
          (contentHash !== null && typeof contentHash !== 'string') ||
          (kind !== null && kind !== 'article' && kind !== 'project') ||
          (event !== 'new' && event !== 'updated' && event !== 'removed')
        ) {
          throw new Error(`ingestion_log: malformed row for document ${String(docId)}`);
        }
        states.set(docId, { seq, contentHash, kind, event });
        after = seq;
      }
      if (rows.length < STATE_SLICE) return states;
      await yieldToEventLoop();
    }
  }
}

/**
 * The highest sequence number ever used. SQLite keeps it in sqlite_sequence (AUTOINCREMENT never
 * reuses one, even after the last row is deleted); the log is append-only, so on PostgreSQL the
 * largest committed seq is that number.
 */
export async function latestSeq(db: SqlDriver): Promise<number> {
  const row =
    db.dialect === 'sqlite'
      ? await db.get("SELECT seq FROM sqlite_sequence WHERE name = 'ingestion_log'")
      : await db.get('SELECT coalesce(max(seq), 0) AS seq FROM ingestion_log');
  return seqRow.optional().parse(row)?.seq ?? 0;
}
