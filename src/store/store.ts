import type { DocumentKind } from '../core/record.js';
import { openDatabase, storePath, type SqliteDatabase } from './database.js';

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
}

export interface LogAppend {
  readonly docId: string;
  readonly contentHash: string | null;
  readonly kind: DocumentKind | null;
  readonly event: IngestEvent;
}

/** What the log says about a document now: its last entry. */
export interface DocumentState {
  readonly seq: number;
  readonly contentHash: string | null;
  readonly kind: DocumentKind | null;
  readonly event: IngestEvent;
}

export type SubscriptionStatus = 'active' | 'paused';

export interface Subscription {
  readonly id: number;
  readonly guildId: string;
  readonly channelId: string;
  readonly cron: string;
  readonly timezone: string;
  readonly query: string | null;
  readonly status: SubscriptionStatus;
  readonly pausedReason: string | null;
  /** Everything with seq ≤ cursor has been delivered (or was before the subscription began). */
  readonly cursorSeq: number;
  /** Latest articles (at or before the start cursor) to add to the first digest; 0 once delivered. */
  readonly backfill: number;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastRunAt: string | null;
}

export interface NewSubscription {
  readonly guildId: string;
  readonly channelId: string;
  readonly cron: string;
  readonly timezone: string;
  readonly query: string | null;
  readonly backfill: number;
  readonly createdBy?: string | null;
}

export interface DeliveryPart {
  readonly part: number;
  readonly nonce: string;
  /** The message as composed (plain data, JSON round-tripped). */
  readonly payload: unknown;
  /** Set once Discord accepted the part. */
  readonly messageId: string | null;
  readonly postedAt: string | null;
}

export interface Delivery {
  readonly id: number;
  readonly subscriptionId: number;
  /** Window covered: log entries with fromSeq < seq ≤ toSeq (plus any backfill). */
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly itemCount: number;
  readonly status: 'pending' | 'delivered';
  readonly createdAt: string;
  readonly deliveredAt: string | null;
  readonly parts: readonly DeliveryPart[];
}

type Row = Record<string, unknown>;

const toLogEntry = (r: Row): LogEntry => ({
  seq: r.seq as number,
  docId: r.doc_id as string,
  contentHash: r.content_hash as string | null,
  kind: r.kind as DocumentKind | null,
  event: r.event as IngestEvent,
  at: r.at as string,
});

const toSubscription = (r: Row): Subscription => ({
  id: r.id as number,
  guildId: r.guild_id as string,
  channelId: r.channel_id as string,
  cron: r.cron as string,
  timezone: r.timezone as string,
  query: r.query as string | null,
  status: r.status as SubscriptionStatus,
  pausedReason: r.paused_reason as string | null,
  cursorSeq: r.cursor_seq as number,
  backfill: r.backfill as number,
  createdBy: r.created_by as string | null,
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
  lastRunAt: r.last_run_at as string | null,
});

/**
 * The bot's durable state: ingestion log, subscriptions and deliveries, in one SQLite file. Every
 * method is synchronous (better-sqlite3) and each mutation is one transaction.
 */
export class Store {
  private constructor(readonly db: SqliteDatabase) {}

  /** Opens `dataDir/bot.sqlite` (see openDatabase for what is refused). */
  static open(dataDir: string): Store {
    return new Store(openDatabase(storePath(dataDir)));
  }

  static openFile(file: string): Store {
    return new Store(openDatabase(file));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Random per-database id, fixed at creation; salts delivery nonces. */
  get instanceId(): string {
    return (this.db.prepare("SELECT value FROM meta WHERE key = 'instance_id'").get() as Row).value as string;
  }

  // ── Ingestion log ────────────────────────────────────────────────────────────────────────────

  /**
   * Appends entries in order, in one write transaction, and returns those appended with their
   * sequence numbers. Each entry is checked against the document's last entry inside the
   * transaction, so two processes ingesting the same folder (the bot and the CLI) never log a change
   * twice: a `new` for a known id becomes `updated` (or nothing when the hash is the same), an
   * `updated` with the current hash and a `removed` of a removed document are dropped.
   */
  appendLog(entries: readonly LogAppend[], now = new Date()): LogEntry[] {
    const last = this.db.prepare('SELECT * FROM ingestion_log WHERE doc_id = ? ORDER BY seq DESC LIMIT 1');
    const insert = this.db.prepare(
      'INSERT INTO ingestion_log (doc_id, content_hash, kind, event, at) VALUES (?, ?, ?, ?, ?) RETURNING *',
    );
    const at = now.toISOString();
    return this.db
      .transaction(() => {
        const appended: LogEntry[] = [];
        for (const e of entries) {
          const previous = last.get(e.docId) as Row | undefined;
          let event = e.event;
          if (previous) {
            const wasRemoved = previous.event === 'removed';
            if (event === 'removed' && wasRemoved) continue;
            if (event !== 'removed') {
              if (!wasRemoved && previous.content_hash === e.contentHash) continue;
              event = 'updated';
            }
          } else if (event !== 'new') {
            if (event === 'removed') continue;
            event = 'new';
          }
          appended.push(toLogEntry(insert.get(e.docId, e.contentHash, e.kind, event, at) as Row));
        }
        return appended;
      })
      .immediate();
  }

  /** The highest sequence number ever used (0 when the log is empty). */
  latestSeq(): number {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'ingestion_log'").get() as
      Row | undefined;
    return (row?.seq as number | undefined) ?? 0;
  }

  /** Entries with afterSeq < seq ≤ uptoSeq, in order. */
  logEntries(afterSeq: number, uptoSeq = Number.MAX_SAFE_INTEGER): LogEntry[] {
    return (
      this.db
        .prepare('SELECT * FROM ingestion_log WHERE seq > ? AND seq <= ? ORDER BY seq')
        .all(afterSeq, uptoSeq) as Row[]
    ).map(toLogEntry);
  }

  /** The `limit` latest `new` entries of articles at or before `uptoSeq`, oldest first. */
  latestNewArticles(uptoSeq: number, limit: number): LogEntry[] {
    if (limit <= 0) return [];
    return (
      this.db
        .prepare(
          `SELECT * FROM ingestion_log WHERE event = 'new' AND kind = 'article' AND seq <= ?
           ORDER BY seq DESC LIMIT ?`,
        )
        .all(uptoSeq, limit) as Row[]
    )
      .map(toLogEntry)
      .reverse();
  }

  /** Each document's last log entry, by id. */
  documentStates(): Map<string, DocumentState> {
    const rows = this.db
      .prepare(
        `SELECT l.* FROM ingestion_log l
         JOIN (SELECT doc_id, max(seq) AS seq FROM ingestion_log GROUP BY doc_id) m ON m.seq = l.seq`,
      )
      .all() as Row[];
    return new Map(
      rows.map((r) => {
        const e = toLogEntry(r);
        return [e.docId, { seq: e.seq, contentHash: e.contentHash, kind: e.kind, event: e.event }];
      }),
    );
  }

  // ── Subscriptions ────────────────────────────────────────────────────────────────────────────

  /** A new active subscription starting at the current end of the log. */
  createSubscription(input: NewSubscription, now = new Date()): Subscription {
    const at = now.toISOString();
    return this.db.transaction(() => {
      const cursor = this.latestSeq();
      const row = this.db
        .prepare(
          `INSERT INTO subscriptions (guild_id, channel_id, cron, timezone, query, status, cursor_seq, backfill,
             created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          input.guildId,
          input.channelId,
          input.cron,
          input.timezone,
          input.query,
          cursor,
          input.backfill,
          input.createdBy ?? null,
          at,
          at,
        ) as Row;
      return toSubscription(row);
    })();
  }

  getSubscription(id: number): Subscription | undefined {
    const row = this.db.prepare('SELECT * FROM subscriptions WHERE id = ?').get(id) as Row | undefined;
    return row && toSubscription(row);
  }

  /** All subscriptions, or one guild's, by id. */
  listSubscriptions(guildId?: string): Subscription[] {
    const rows =
      guildId === undefined
        ? this.db.prepare('SELECT * FROM subscriptions ORDER BY id').all()
        : this.db.prepare('SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY id').all(guildId);
    return (rows as Row[]).map(toSubscription);
  }

  /** Pauses with a reason people can act on, or resumes (reason cleared). The cursor is kept. */
  setStatus(
    id: number,
    status: SubscriptionStatus,
    reason: string | null,
    now = new Date(),
  ): Subscription | undefined {
    const row = this.db
      .prepare(
        'UPDATE subscriptions SET status = ?, paused_reason = ?, updated_at = ? WHERE id = ? RETURNING *',
      )
      .get(status, status === 'paused' ? reason : null, now.toISOString(), id) as Row | undefined;
    return row && toSubscription(row);
  }

  /** Deletes a subscription and its deliveries. Returns whether it existed. */
  removeSubscription(id: number): boolean {
    return this.db.prepare('DELETE FROM subscriptions WHERE id = ?').run(id).changes > 0;
  }

  /**
   * Moves the cursor forward without a delivery (entries arrived but none matched the query).
   * Never moves it back.
   */
  skipTo(id: number, toSeq: number, now = new Date()): void {
    this.db
      .prepare(
        `UPDATE subscriptions SET cursor_seq = max(cursor_seq, ?), backfill = 0, last_run_at = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(toSeq, now.toISOString(), now.toISOString(), id);
  }

  /** Records a run that found nothing to post. */
  markRun(id: number, now = new Date()): void {
    this.db.prepare('UPDATE subscriptions SET last_run_at = ? WHERE id = ?').run(now.toISOString(), id);
  }

  // ── Deliveries ───────────────────────────────────────────────────────────────────────────────

  /**
   * Records a composed digest as pending, with its parts and their nonces, before anything is posted.
   * Fails if the subscription already has a pending delivery.
   */
  createDelivery(
    input: {
      subscriptionId: number;
      fromSeq: number;
      toSeq: number;
      itemCount: number;
      payloads: readonly unknown[];
      nonce: (deliveryId: number, part: number) => string;
    },
    now = new Date(),
  ): Delivery {
    const at = now.toISOString();
    return this.db.transaction(() => {
      const { id } = this.db
        .prepare(
          `INSERT INTO deliveries (subscription_id, from_seq, to_seq, item_count, status, created_at)
           VALUES (?, ?, ?, ?, 'pending', ?) RETURNING id`,
        )
        .get(input.subscriptionId, input.fromSeq, input.toSeq, input.itemCount, at) as { id: number };
      const insertPart = this.db.prepare(
        'INSERT INTO delivery_parts (delivery_id, part, nonce, payload) VALUES (?, ?, ?, ?)',
      );
      input.payloads.forEach((payload, part) =>
        insertPart.run(id, part, input.nonce(id, part), JSON.stringify(payload)),
      );
      return this.getDelivery(id) as Delivery;
    })();
  }

  getDelivery(id: number): Delivery | undefined {
    const row = this.db.prepare('SELECT * FROM deliveries WHERE id = ?').get(id) as Row | undefined;
    if (!row) return undefined;
    const parts = (
      this.db.prepare('SELECT * FROM delivery_parts WHERE delivery_id = ? ORDER BY part').all(id) as Row[]
    ).map((p): DeliveryPart => ({
      part: p.part as number,
      nonce: p.nonce as string,
      payload: JSON.parse(p.payload as string) as unknown,
      messageId: p.message_id as string | null,
      postedAt: p.posted_at as string | null,
    }));
    return {
      id: row.id as number,
      subscriptionId: row.subscription_id as number,
      fromSeq: row.from_seq as number,
      toSeq: row.to_seq as number,
      itemCount: row.item_count as number,
      status: row.status as Delivery['status'],
      createdAt: row.created_at as string,
      deliveredAt: row.delivered_at as string | null,
      parts,
    };
  }

  /** The subscription's delivery in flight, if any. */
  pendingDelivery(subscriptionId: number): Delivery | undefined {
    const row = this.db
      .prepare("SELECT id FROM deliveries WHERE subscription_id = ? AND status = 'pending'")
      .get(subscriptionId) as Row | undefined;
    return row && this.getDelivery(row.id as number);
  }

  /** Every delivery in flight, oldest first. */
  pendingDeliveries(): Delivery[] {
    const rows = this.db
      .prepare("SELECT id FROM deliveries WHERE status = 'pending' ORDER BY id")
      .all() as Row[];
    return rows.map((r) => this.getDelivery(r.id as number) as Delivery);
  }

  /** All deliveries of a subscription, oldest first. */
  deliveries(subscriptionId: number): Delivery[] {
    const rows = this.db
      .prepare('SELECT id FROM deliveries WHERE subscription_id = ? ORDER BY id')
      .all(subscriptionId) as Row[];
    return rows.map((r) => this.getDelivery(r.id as number) as Delivery);
  }

  /** Notes that Discord accepted one part, so a restart does not need to send it again. */
  markPartPosted(deliveryId: number, part: number, messageId: string, now = new Date()): void {
    this.db
      .prepare('UPDATE delivery_parts SET message_id = ?, posted_at = ? WHERE delivery_id = ? AND part = ?')
      .run(messageId, now.toISOString(), deliveryId, part);
  }

  /**
   * Marks the delivery delivered and advances its subscription's cursor to the window's end, in one
   * transaction: after a crash either both happened or neither did.
   */
  completeDelivery(deliveryId: number, now = new Date()): void {
    const at = now.toISOString();
    this.db.transaction(() => {
      const d = this.db
        .prepare(
          "UPDATE deliveries SET status = 'delivered', delivered_at = ? WHERE id = ? AND status = 'pending' RETURNING *",
        )
        .get(at, deliveryId) as Row | undefined;
      if (!d) return;
      this.db
        .prepare(
          `UPDATE subscriptions SET cursor_seq = max(cursor_seq, ?), backfill = 0, last_run_at = ?, updated_at = ?
           WHERE id = ?`,
        )
        .run(d.to_seq, at, at, d.subscription_id);
    })();
  }
}
