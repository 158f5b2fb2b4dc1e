import { z } from 'zod';
import type { SqliteDatabase } from './database.js';
import type { IngestionLog } from './ingestionLog.js';

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
  /** A role pinged once per digest (its first message); null for none. */
  readonly mentionRoleId: string | null;
}

export interface NewSubscription {
  readonly guildId: string;
  readonly channelId: string;
  readonly cron: string;
  readonly timezone: string;
  readonly query: string | null;
  readonly backfill: number;
  readonly createdBy?: string | null;
  /** A role to ping once per digest. */
  readonly mentionRoleId?: string | null;
}

/** A row of `subscriptions` as SQLite returns it, checked and renamed on the way out. */
const subscriptionRow = z
  .object({
    id: z.number().int(),
    guild_id: z.string(),
    channel_id: z.string(),
    cron: z.string(),
    timezone: z.string(),
    query: z.string().nullable(),
    status: z.enum(['active', 'paused']),
    paused_reason: z.string().nullable(),
    cursor_seq: z.number().int(),
    backfill: z.number().int(),
    created_by: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    last_run_at: z.string().nullable(),
    mention_role_id: z.string().nullable(),
  })
  .transform((r): Subscription => ({
    id: r.id,
    guildId: r.guild_id,
    channelId: r.channel_id,
    cron: r.cron,
    timezone: r.timezone,
    query: r.query,
    status: r.status,
    pausedReason: r.paused_reason,
    cursorSeq: r.cursor_seq,
    backfill: r.backfill,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastRunAt: r.last_run_at,
    mentionRoleId: r.mention_role_id,
  }));

/** Digest subscriptions: one channel, schedule and topic each, with a cursor into the ingestion log. */
export class Subscriptions {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly log: IngestionLog,
  ) {}

  /** A new active subscription starting at the current end of the log. */
  create(input: NewSubscription, now = new Date()): Subscription {
    const at = now.toISOString();
    return this.db.transaction(() =>
      subscriptionRow.parse(
        this.db
          .prepare(
            `INSERT INTO subscriptions (guild_id, channel_id, cron, timezone, query, status, cursor_seq, backfill,
               created_by, created_at, updated_at, mention_role_id)
             VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?) RETURNING *`,
          )
          .get(
            input.guildId,
            input.channelId,
            input.cron,
            input.timezone,
            input.query,
            this.log.latestSeq(),
            input.backfill,
            input.createdBy ?? null,
            at,
            at,
            input.mentionRoleId ?? null,
          ),
      ),
    )();
  }

  get(id: number): Subscription | undefined {
    return subscriptionRow
      .optional()
      .parse(this.db.prepare('SELECT * FROM subscriptions WHERE id = ?').get(id));
  }

  /** All subscriptions, or one guild's, by id. */
  list(guildId?: string): Subscription[] {
    const rows =
      guildId === undefined
        ? this.db.prepare('SELECT * FROM subscriptions ORDER BY id').all()
        : this.db.prepare('SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY id').all(guildId);
    return subscriptionRow.array().parse(rows);
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
      .get(status, status === 'paused' ? reason : null, now.toISOString(), id);
    return subscriptionRow.optional().parse(row);
  }

  /** Deletes a subscription and its deliveries. Returns whether it existed. */
  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM subscriptions WHERE id = ?').run(id).changes > 0;
  }

  /**
   * Moves the cursor forward (entries arrived but none matched the query, or a delivery completed)
   * and ends any backfill. Never moves it back.
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
}
