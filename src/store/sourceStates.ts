import { z } from 'zod';
import type { PageRetry } from '../core/sources/pageRetries.js';
import { databaseTimePlusMs, type SqlDriver } from './sql.js';

/** What the bot remembers about one source between fetches and restarts. */
export interface SourceState {
  readonly sourceId: string;
  /** Set by `sources disable` or after repeated failures; only `sources enable` clears it. */
  readonly disabledReason: string | null;
  /** Consecutive failures (0 when healthy). */
  readonly failures: number;
  readonly failingSince: string | null;
  readonly lastError: string | null;
  readonly lastStatus: 'ok' | 'not-modified' | 'failed' | null;
  readonly lastFetchedAt: string | null;
  readonly nextFetchAt: string | null;
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** When the first successful fetch happened: before it, a fetch is the source's first. */
  readonly firstFetchedAt: string | null;
  /** Item pages to read again at a later fetch (see core/sources/pageRetries). */
  readonly pageRetries: readonly PageRetry[];
}

const pageRetry = z.object({
  item: z.object({
    sourceId: z.string(),
    guid: z.string().nullable(),
    url: z.string(),
    alternateUrls: z.array(z.string()),
    title: z.string(),
    publishedAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
    summary: z.string().nullable(),
    text: z.string(),
    tag: z.string().nullable(),
    country: z.string().nullable(),
  }),
  url: z.string(),
  attempts: z.number().int(),
  lastError: z.string(),
  nextRetryAt: z.string(),
}) satisfies z.ZodType<PageRetry>;

const stateRow = z
  .object({
    source_id: z.string(),
    disabled_reason: z.string().nullable(),
    failures: z.number().int(),
    failing_since: z.string().nullable(),
    last_error: z.string().nullable(),
    last_status: z.enum(['ok', 'not-modified', 'failed']).nullable(),
    last_fetched_at: z.string().nullable(),
    next_fetch_at: z.string().nullable(),
    etag: z.string().nullable(),
    last_modified: z.string().nullable(),
    first_fetched_at: z.string().nullable(),
    page_retries: z.string(),
  })
  .transform((r): SourceState => ({
    sourceId: r.source_id,
    disabledReason: r.disabled_reason,
    failures: r.failures,
    failingSince: r.failing_since,
    lastError: r.last_error,
    lastStatus: r.last_status,
    lastFetchedAt: r.last_fetched_at,
    nextFetchAt: r.next_fetch_at,
    etag: r.etag,
    lastModified: r.last_modified,
    firstFetchedAt: r.first_fetched_at,
    pageRetries: pageRetry.array().parse(JSON.parse(r.page_retries)),
  }));

/** A source never fetched: due now, healthy, no validators. */
const initialState = (sourceId: string): SourceState => ({
  sourceId,
  disabledReason: null,
  failures: 0,
  failingSince: null,
  lastError: null,
  lastStatus: null,
  lastFetchedAt: null,
  nextFetchAt: null,
  etag: null,
  lastModified: null,
  firstFetchedAt: null,
  pageRetries: [],
});

/** Fetch state per source id (sources.json holds the configuration, this table what happened). */
export class SourceStates {
  constructor(private readonly db: SqlDriver) {}

  async get(sourceId: string): Promise<SourceState> {
    const row = stateRow
      .optional()
      .parse(await this.db.get('SELECT * FROM source_states WHERE source_id = ?', [sourceId]));
    return row ?? initialState(sourceId);
  }

  /** Ids of the sources disabled in the store (after failing for days, or by `sources disable`). */
  async disabledIds(): Promise<Set<string>> {
    const rows = await this.db.all('SELECT source_id FROM source_states WHERE disabled_reason IS NOT NULL');
    return new Set(
      z
        .object({ source_id: z.string() })
        .array()
        .parse(rows)
        .map((r) => r.source_id),
    );
  }

  /** Writes the changed fields of a source's state (creating its row on first use). */
  update(sourceId: string, change: Partial<Omit<SourceState, 'sourceId'>>): Promise<SourceState> {
    return this.db.transaction(async (tx) => {
      const next = { ...(await new SourceStates(tx).get(sourceId)), ...change };
      await tx.run(
        `INSERT INTO source_states (source_id, disabled_reason, failures, failing_since, last_error, last_status,
           last_fetched_at, next_fetch_at, etag, last_modified, first_fetched_at, page_retries)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (source_id) DO UPDATE SET disabled_reason = excluded.disabled_reason,
           failures = excluded.failures, failing_since = excluded.failing_since, last_error = excluded.last_error,
           last_status = excluded.last_status, last_fetched_at = excluded.last_fetched_at,
           next_fetch_at = excluded.next_fetch_at, etag = excluded.etag, last_modified = excluded.last_modified,
           first_fetched_at = excluded.first_fetched_at, page_retries = excluded.page_retries`,
        [
          sourceId,
          next.disabledReason,
          next.failures,
          next.failingSince,
          next.lastError,
          next.lastStatus,
          next.lastFetchedAt,
          next.nextFetchAt,
          next.etag,
          next.lastModified,
          next.firstFetchedAt,
          JSON.stringify(next.pageRetries),
        ],
      );
      return next;
    });
  }

  /**
   * Claims the right to fetch a source for `owner` for `ttlMs`: true when nobody held it, the claim
   * expired, or `owner` held it already. Of several processes claiming at once, one wins. Expiry is
   * set and compared on the database's clock, so hosts whose clocks differ agree on it.
   */
  async claim(sourceId: string, owner: string, ttlMs: number): Promise<boolean> {
    const at = databaseTimePlusMs(this.db.dialect);
    const row = await this.db.get(
      `INSERT INTO source_states (source_id, claimed_by, claim_expires_at) VALUES (?, ?, ${at})
       ON CONFLICT (source_id) DO UPDATE SET claimed_by = excluded.claimed_by,
         claim_expires_at = excluded.claim_expires_at
       WHERE source_states.claimed_by IS NULL OR source_states.claimed_by = excluded.claimed_by
         OR source_states.claim_expires_at < ${at}
       RETURNING source_id`,
      [sourceId, owner, ttlMs, 0],
    );
    return row !== undefined;
  }

  /** Gives up `owner`'s claim on a source (a no-op when another process holds it now). */
  async release(sourceId: string, owner: string): Promise<void> {
    await this.db.run(
      'UPDATE source_states SET claimed_by = NULL, claim_expires_at = NULL WHERE source_id = ? AND claimed_by = ?',
      [sourceId, owner],
    );
  }
}
