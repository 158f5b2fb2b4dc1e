import { z } from 'zod';
import type { SqlDriver } from './sql.js';
import { Subscriptions } from './subscriptions.js';

/**
 * A digest message as the store keeps it (`delivery_parts.payload`, JSON): exactly what is posted,
 * so a part re-posted after a crash is the same message. The digest code's message type must stay
 * assignable both ways; the compiler says so at the one place that writes and reads it.
 */
export interface StoredMessage {
  readonly content: string | null;
  readonly embeds: readonly {
    readonly title: string;
    readonly description: string | null;
    readonly color: number;
    readonly fields: readonly { readonly name: string; readonly value: string }[];
    readonly footer: string | null;
  }[];
  /** A Read button per item; with `url`, a link to that item's original instead. */
  readonly buttons: readonly { readonly label: string; readonly docId: string; readonly url?: string }[];
  /** The role pinged by this part (the first part of a digest whose subscription has one). */
  readonly mentionRoleId?: string;
}

const storedMessage = z.object({
  content: z.string().nullable(),
  embeds: z.array(
    z.object({
      title: z.string(),
      description: z.string().nullable(),
      color: z.number().int(),
      fields: z.array(z.object({ name: z.string(), value: z.string() })),
      footer: z.string().nullable(),
    }),
  ),
  buttons: z.array(z.object({ label: z.string(), docId: z.string(), url: z.string().optional() })),
  mentionRoleId: z.string().optional(),
}) satisfies z.ZodType<StoredMessage>;

export interface DeliveryPart {
  readonly part: number;
  readonly nonce: string;
  /** The message as composed. */
  readonly payload: StoredMessage;
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
  /** The last error posting it (a pending delivery's reason to wait); null when none. */
  readonly lastError: string | null;
  readonly parts: readonly DeliveryPart[];
}

export interface NewDelivery {
  readonly subscriptionId: number;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly itemCount: number;
  readonly payloads: readonly StoredMessage[];
  readonly nonce: (deliveryId: number, part: number) => string;
}

const deliveryRow = z.object({
  id: z.number().int(),
  subscription_id: z.number().int(),
  from_seq: z.number().int(),
  to_seq: z.number().int(),
  item_count: z.number().int(),
  status: z.enum(['pending', 'delivered']),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
  last_error: z.string().nullable(),
});

/** The payload column is JSON text; a payload that is not a message is reported, not trusted. */
const payloadText = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'payload is not JSON' });
    return z.NEVER;
  }
});

const partRow = z
  .object({
    part: z.number().int(),
    nonce: z.string(),
    payload: payloadText.pipe(storedMessage),
    message_id: z.string().nullable(),
    posted_at: z.string().nullable(),
  })
  .transform((p): DeliveryPart => ({
    part: p.part,
    nonce: p.nonce,
    payload: p.payload,
    messageId: p.message_id,
    postedAt: p.posted_at,
  }));
const idRow = z.object({ id: z.number().int() });

/**
 * Digest deliveries: recorded as pending with every part and its nonce before anything is posted,
 * each part marked once Discord accepted it, completed together with the subscription's cursor.
 */
export class Deliveries {
  constructor(private readonly db: SqlDriver) {}

  /**
   * Records a composed digest as pending, with its parts and their nonces, before anything is posted.
   * Fails if the subscription already has a pending delivery.
   */
  create(input: NewDelivery, now = new Date()): Promise<Delivery> {
    const at = now.toISOString();
    return this.db.transaction(async (tx) => {
      const { id } = idRow.parse(
        await tx.get(
          `INSERT INTO deliveries (subscription_id, from_seq, to_seq, item_count, status, created_at)
           VALUES (?, ?, ?, ?, 'pending', ?) RETURNING id`,
          [input.subscriptionId, input.fromSeq, input.toSeq, input.itemCount, at],
        ),
      );
      for (const [part, payload] of input.payloads.entries()) {
        await tx.run('INSERT INTO delivery_parts (delivery_id, part, nonce, payload) VALUES (?, ?, ?, ?)', [
          id,
          part,
          input.nonce(id, part),
          JSON.stringify(payload),
        ]);
      }
      return mustGet(tx, id);
    });
  }

  get(id: number): Promise<Delivery | undefined> {
    return readDelivery(this.db, id);
  }

  /** The subscription's delivery in flight, if any. */
  async pendingFor(subscriptionId: number): Promise<Delivery | undefined> {
    const row = idRow
      .optional()
      .parse(
        await this.db.get("SELECT id FROM deliveries WHERE subscription_id = ? AND status = 'pending'", [
          subscriptionId,
        ]),
      );
    return row && mustGet(this.db, row.id);
  }

  /** How many deliveries are in flight (for /metrics, read at every scrape). */
  async pendingCount(): Promise<number> {
    const row = await this.db.get("SELECT count(*) AS n FROM deliveries WHERE status = 'pending'");
    return z.object({ n: z.number().int() }).parse(row).n;
  }

  /** Every delivery in flight, oldest first. */
  async pending(): Promise<Delivery[]> {
    return this.byIds(await this.db.all("SELECT id FROM deliveries WHERE status = 'pending' ORDER BY id"));
  }

  /** All deliveries of a subscription, oldest first. */
  async forSubscription(subscriptionId: number): Promise<Delivery[]> {
    return this.byIds(
      await this.db.all('SELECT id FROM deliveries WHERE subscription_id = ? ORDER BY id', [subscriptionId]),
    );
  }

  /**
   * The subscription's deliveries whose messages carry `docId` (a Read button), oldest first. The
   * payload is matched as text first, then each candidate's buttons are checked.
   */
  async mentioning(subscriptionId: number, docId: string): Promise<Delivery[]> {
    const needle = JSON.stringify({ docId })
      .slice(1, -1)
      .replace(/[\\%_]/g, (c) => `\\${c}`);
    const candidates = await this.byIds(
      await this.db.all(
        `SELECT DISTINCT d.id FROM deliveries d JOIN delivery_parts p ON p.delivery_id = d.id
         WHERE d.subscription_id = ? AND p.payload LIKE ? ESCAPE '\\' ORDER BY d.id`,
        [subscriptionId, `%${needle}%`],
      ),
    );
    return candidates.filter((d) => d.parts.some((p) => p.payload.buttons.some((b) => b.docId === docId)));
  }

  /** Keeps why a delivery is still pending (shown by /digest why and the panel). */
  async recordError(deliveryId: number, error: string): Promise<void> {
    await this.db.run('UPDATE deliveries SET last_error = ? WHERE id = ?', [error, deliveryId]);
  }

  /** How many of the guild's deliveries are newer than `id`: its place in the log, newest first. */
  async newerInGuild(guildId: string, id: number): Promise<number> {
    return z
      .object({ n: z.coerce.number().int() })
      .parse(
        await this.db.get(
          'SELECT count(*) AS n FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE s.guild_id = ? AND d.id > ?',
          [guildId, id],
        ),
      ).n;
  }

  /**
   * One page of a guild's delivery log, newest first, with the channel each went to and how many
   * deliveries the guild has in all (the number of pages).
   */
  async pageForGuild(
    guildId: string,
    page: number,
    perPage: number,
  ): Promise<{ deliveries: (Delivery & { channelId: string })[]; total: number }> {
    const total = z
      .object({ n: z.coerce.number().int() })
      .parse(
        await this.db.get(
          'SELECT count(*) AS n FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE s.guild_id = ?',
          [guildId],
        ),
      ).n;
    const rows = z
      .object({ id: z.number().int(), channel_id: z.string() })
      .array()
      .parse(
        await this.db.all(
          `SELECT d.id, s.channel_id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
         WHERE s.guild_id = ? ORDER BY d.id DESC LIMIT ? OFFSET ?`,
          [guildId, perPage, (page - 1) * perPage],
        ),
      );
    const deliveries: (Delivery & { channelId: string })[] = [];
    for (const row of rows) {
      // Removed with its subscription between the two reads (another process): left out.
      const delivery = await readDelivery(this.db, row.id);
      if (delivery) deliveries.push({ ...delivery, channelId: row.channel_id });
    }
    return { deliveries, total };
  }

  /** Notes that Discord accepted one part, so a restart does not need to send it again. */
  async markPartPosted(deliveryId: number, part: number, messageId: string, now = new Date()): Promise<void> {
    await this.db.run(
      'UPDATE delivery_parts SET message_id = ?, posted_at = ? WHERE delivery_id = ? AND part = ?',
      [messageId, now.toISOString(), deliveryId, part],
    );
  }

  /**
   * Marks the delivery delivered and advances its subscription's cursor to the window's end, in one
   * transaction: after a crash either both happened or neither did.
   */
  complete(deliveryId: number, now = new Date()): Promise<void> {
    return this.db.transaction(async (tx) => {
      const done = deliveryRow
        .optional()
        .parse(
          await tx.get(
            "UPDATE deliveries SET status = 'delivered', delivered_at = ? WHERE id = ? AND status = 'pending' RETURNING *",
            [now.toISOString(), deliveryId],
          ),
        );
      if (done) await new Subscriptions(tx).skipTo(done.subscription_id, done.to_seq, now);
    });
  }

  private async byIds(rows: unknown[]): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    for (const { id } of idRow.array().parse(rows)) {
      // Another process may remove its subscription between the two reads: leave it out.
      const delivery = await readDelivery(this.db, id);
      if (delivery) deliveries.push(delivery);
    }
    return deliveries;
  }
}

async function readDelivery(db: SqlDriver, id: number): Promise<Delivery | undefined> {
  const row = deliveryRow.optional().parse(await db.get('SELECT * FROM deliveries WHERE id = ?', [id]));
  if (!row) return undefined;
  const read = partRow
    .array()
    .safeParse(await db.all('SELECT * FROM delivery_parts WHERE delivery_id = ? ORDER BY part', [id]));
  // A part that is not a message would be posted wrong or not at all: refuse it by name.
  if (!read.success)
    throw new Error(`store: delivery ${id} has an unreadable part: ${z.prettifyError(read.error)}`);
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    fromSeq: row.from_seq,
    toSeq: row.to_seq,
    itemCount: row.item_count,
    status: row.status,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    lastError: row.last_error,
    parts: read.data,
  };
}

/** A delivery whose id was just read; its absence means another process removed it meanwhile. */
async function mustGet(db: SqlDriver, id: number): Promise<Delivery> {
  const delivery = await readDelivery(db, id);
  if (!delivery) throw new Error(`store: delivery ${id} vanished while being read`);
  return delivery;
}
