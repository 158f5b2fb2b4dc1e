import { z } from 'zod';
import { latestSeq } from './ingestionLog.js';
import { databaseTimePlusMs, type SqlDriver } from './sql.js';

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
  /**
   * BCP 47 tag: only documents in this language (`fr` also takes `fr-*`), and the digest is written
   * in it when it has a catalog; null for every language.
   */
  readonly language: string | null;
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
  /** Only documents in this language (BCP 47); null or absent for every language. */
  readonly language?: string | null;
}

/** What an edit may change: everything `/digest subscribe` sets except the backfill. */
export interface SubscriptionChange {
  readonly channelId: string;
  readonly cron: string;
  readonly timezone: string;
  readonly query: string | null;
  readonly mentionRoleId: string | null;
  /** A new language filter (null: every language); absent, the subscription keeps its own. */
  readonly language?: string | null;
}

/** A row of `subscriptions` as the database returns it, checked and renamed on the way out. */
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
    language: z.string().nullable(),
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
    language: r.language,
  }));

/** Digest subscriptions: one channel, schedule and topic each, with a cursor into the ingestion log. */
export class Subscriptions {
  constructor(private readonly db: SqlDriver) {}

  /** A new active subscription starting at the current end of the log. */
  create(input: NewSubscription, now = new Date()): Promise<Subscription> {
    const at = now.toISOString();
    return this.db.transaction(async (tx) =>
      subscriptionRow.parse(
        await tx.get(
          `INSERT INTO subscriptions (guild_id, channel_id, cron, timezone, query, status, cursor_seq, backfill,
             created_by, created_at, updated_at, mention_role_id, language)
           VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
          [
            input.guildId,
            input.channelId,
            input.cron,
            input.timezone,
            input.query,
            await latestSeq(tx),
            input.backfill,
            input.createdBy ?? null,
            at,
            at,
            input.mentionRoleId ?? null,
            input.language ?? null,
          ],
        ),
      ),
    );
  }

  async get(id: number): Promise<Subscription | undefined> {
    return subscriptionRow
      .optional()
      .parse(await this.db.get('SELECT * FROM subscriptions WHERE id = ?', [id]));
  }

  /** All subscriptions, or one guild's, by id. */
  async list(guildId?: string): Promise<Subscription[]> {
    const rows =
      guildId === undefined
        ? await this.db.all('SELECT * FROM subscriptions ORDER BY id')
        : await this.db.all('SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY id', [guildId]);
    return subscriptionRow.array().parse(rows);
  }

  /** Pauses with a reason people can act on, or resumes (reason cleared). The cursor is kept. */
  async setStatus(
    id: number,
    status: SubscriptionStatus,
    reason: string | null,
    now = new Date(),
  ): Promise<Subscription | undefined> {
    const row = await this.db.get(
      'UPDATE subscriptions SET status = ?, paused_reason = ?, updated_at = ? WHERE id = ? RETURNING *',
      [status, status === 'paused' ? reason : null, now.toISOString(), id],
    );
    return subscriptionRow.optional().parse(row);
  }

  /**
   * Changes where, when and what a subscription posts (the web panel's edit), and its language when
   * the change names one, keeping its cursor and status. Returns undefined when it no longer exists.
   */
  async update(id: number, change: SubscriptionChange, now = new Date()): Promise<Subscription | undefined> {
    // The language is only written when the change names it, so an edit without it keeps it.
    const language = change.language === undefined ? '' : 'language = ?, ';
    const row = await this.db.get(
      `UPDATE subscriptions SET channel_id = ?, cron = ?, timezone = ?, query = ?, mention_role_id = ?,
         ${language}updated_at = ? WHERE id = ? RETURNING *`,
      [
        change.channelId,
        change.cron,
        change.timezone,
        change.query,
        change.mentionRoleId,
        ...(change.language === undefined ? [] : [change.language]),
        now.toISOString(),
        id,
      ],
    );
    return subscriptionRow.optional().parse(row);
  }

  /** Deletes a subscription and its deliveries. Returns whether it existed. */
  async remove(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM subscriptions WHERE id = ?', [id])) > 0;
  }

  /**
   * Moves the cursor forward (entries arrived but none matched the query, or a delivery completed)
   * and ends any backfill. Never moves it back.
   */
  async skipTo(id: number, toSeq: number, now = new Date()): Promise<void> {
    await this.db.run(
      `UPDATE subscriptions SET cursor_seq = CASE WHEN cursor_seq > ? THEN cursor_seq ELSE ? END, backfill = 0,
         last_run_at = ?, updated_at = ?
       WHERE id = ?`,
      [toSeq, toSeq, now.toISOString(), now.toISOString(), id],
    );
  }

  /** Records a run that found nothing to post. */
  async markRun(id: number, now = new Date()): Promise<void> {
    await this.db.run('UPDATE subscriptions SET last_run_at = ? WHERE id = ?', [now.toISOString(), id]);
  }

  /**
   * Claims the subscription's runs for `owner` for `ttlMs`: true when it was free, expired, or
   * already `owner`'s (which extends it). One conditional update, so of several processes claiming
   * at once exactly one wins; a process that dies leaves its claim to expire. Expiry is set and
   * compared on the database's clock, so hosts whose clocks differ agree on it.
   */
  async claim(id: number, owner: string, ttlMs: number): Promise<boolean> {
    const at = databaseTimePlusMs(this.db.dialect);
    const changed = await this.db.run(
      `UPDATE subscriptions SET claimed_by = ?, claim_expires_at = ${at}
       WHERE id = ? AND (claimed_by IS NULL OR claimed_by = ? OR claim_expires_at < ${at})`,
      [owner, ttlMs, id, owner, 0],
    );
    return changed > 0;
  }

  /** Gives up `owner`'s claim (a no-op when another process holds it now). */
  async release(id: number, owner: string): Promise<void> {
    await this.db.run(
      'UPDATE subscriptions SET claimed_by = NULL, claim_expires_at = NULL WHERE id = ? AND claimed_by = ?',
      [id, owner],
    );
  }

  /** Subscriptions some process holds a claim on that has not expired (on the database's clock). */
  async claimed(): Promise<{ id: number; owner: string }[]> {
    const rows = await this.db.all(
      `SELECT id, claimed_by FROM subscriptions
       WHERE claimed_by IS NOT NULL AND claim_expires_at >= ${databaseTimePlusMs(this.db.dialect)} ORDER BY id`,
      [0],
    );
    return claimRow.array().parse(rows);
  }
}

const claimRow = z
  .object({ id: z.number().int(), claimed_by: z.string() })
  .transform((r) => ({ id: r.id, owner: r.claimed_by }));
