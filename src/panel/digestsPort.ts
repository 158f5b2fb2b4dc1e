import { ChannelType, type Client, type Guild } from 'discord.js';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { checkDigestChannel } from '../digests/channel.js';
import { upcomingRuns } from '../digests/schedule.js';
import type { DigestService, SubscriptionView } from '../digests/service.js';
import type { RunOutcome } from '../digests/deliver.js';
import type { WhyAnswer } from '../digests/explain.js';
import type { Delivery } from '../store/store.js';
import { PanelError } from './errors.js';

/** A subscription as the API shows it (these fields never change; new ones may be added). */
export interface ApiSubscription {
  readonly id: number;
  readonly channelId: string;
  readonly schedule: string;
  readonly timezone: string;
  readonly query: string | null;
  readonly mentionRoleId: string | null;
  readonly status: 'active' | 'paused';
  readonly pauseReason: string | null;
  /** The next three runs (ISO), none while paused. */
  readonly nextRuns: string[];
  /** Only documents in this language (BCP 47 tag); null for every language. */
  readonly language: string | null;
}

export interface ApiDelivery {
  readonly id: number;
  readonly subscriptionId: number;
  readonly channelId: string;
  readonly status: Delivery['status'];
  readonly documentIds: string[];
  readonly messageIds: string[];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /** The last error of a delivery kept pending for a retry (null when none was recorded). */
  readonly error: string | null;
}

export const DELIVERIES_PER_PAGE = 20;

export function apiSubscription(s: SubscriptionView): ApiSubscription {
  return {
    id: s.id,
    channelId: s.channelId,
    schedule: s.cron,
    timezone: s.timezone,
    query: s.query,
    mentionRoleId: s.mentionRoleId,
    status: s.status,
    pauseReason: s.pausedReason,
    nextRuns: s.status === 'active' ? upcomingRuns(s.cron, s.timezone, 3).map((d) => d.toISOString()) : [],
    language: s.language,
  };
}

function apiDelivery(d: Delivery & { channelId: string }): ApiDelivery {
  return {
    id: d.id,
    subscriptionId: d.subscriptionId,
    channelId: d.channelId,
    status: d.status,
    // A digest message carries a Read button (or link) per item, in order: its documents.
    documentIds: [...new Set(d.parts.flatMap((p) => p.payload.buttons.map((b) => b.docId)))],
    messageIds: d.parts.flatMap((p) => (p.messageId ? [p.messageId] : [])),
    startedAt: d.createdAt,
    finishedAt: d.deliveredAt,
    error: d.lastError,
  };
}

const id = z.string().regex(/^\d{1,20}$/, 'must be a Discord id (digits)');
const optionalText = z
  .string()
  .max(1000, 'is too long')
  .optional()
  .nullable()
  .transform((v) => (v?.trim() ? v.trim() : null));

/** The fields of `/digest subscribe`, as JSON or a form sends them (forms send strings). */
const SubscriptionFields = z.object({
  channelId: id,
  schedule: z.string().min(1, 'is required').max(100, 'is at most 100 characters'),
  timezone: z.string().max(100, 'is at most 100 characters').optional().default('UTC'),
  query: optionalText,
  mentionRoleId: z
    .union([id, z.literal(''), z.null()])
    .optional()
    .transform((v) => v || null),
  backfill: z.coerce.number('must be a whole number from 0 to 25').int().min(0).max(25).optional().default(0),
  // Checked by the service as /digest subscribe checks it; '' (the form's "every language") is null,
  // absent keeps an edited subscription's own.
  language: z
    .string()
    .max(40, 'is at most 40 characters')
    .nullable()
    .optional()
    .transform((v) => (v === undefined ? undefined : v?.trim() || null)),
});
export type SubscriptionFields = z.output<typeof SubscriptionFields>;

/** Reads a create or edit request; the first problem is a 400 naming its field. */
export function parseSubscriptionFields(body: unknown): SubscriptionFields {
  const parsed = SubscriptionFields.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? 'body');
  throw new PanelError(400, 'bad-request', `${field}: ${issue.message}`, field);
}

/** The request field each of DigestService's UserErrors is about. */
const FIELD_OF: Readonly<Record<string, string>> = {
  'invalid-cron': 'schedule',
  'invalid-timezone': 'timezone',
  'invalid-backfill': 'backfill',
  'invalid-mention': 'mentionRoleId',
  'query-too-long': 'query',
  'bad-language': 'language',
  'foreign-channel': 'channelId',
  'wrong-channel-type': 'channelId',
  'missing-channel-permissions': 'channelId',
};

export function fieldOf(error: UserError): string | undefined {
  return FIELD_OF[error.code] ?? (error.code.includes('channel') ? 'channelId' : undefined);
}

/**
 * One server's digests as the panel reads and changes them: the same DigestService calls and checks
 * as /digest (channel permissions through the bot's client, by REST, whatever shard holds it).
 */
export class GuildDigests {
  constructor(
    private readonly digests: DigestService,
    private readonly client: Client,
    readonly guildId: string,
  ) {}

  private guild(): Promise<Guild> {
    return this.client.guilds.fetch(this.guildId);
  }

  async list(): Promise<SubscriptionView[]> {
    return this.digests.list(this.guildId);
  }

  get(id: number): Promise<SubscriptionView> {
    return this.digests.get(this.guildId, id);
  }

  async create(fields: SubscriptionFields, createdBy: string): Promise<SubscriptionView> {
    await checkDigestChannel(await this.guild(), fields.channelId);
    return this.digests.subscribe({
      guildId: this.guildId,
      channelId: fields.channelId,
      cron: fields.schedule,
      timezone: fields.timezone,
      query: fields.query,
      backfill: fields.backfill,
      createdBy,
      mentionRoleId: fields.mentionRoleId,
      language: fields.language ?? null,
    });
  }

  async update(id: number, fields: SubscriptionFields): Promise<SubscriptionView> {
    const current = await this.get(id);
    if (fields.channelId !== current.channelId)
      await checkDigestChannel(await this.guild(), fields.channelId);
    return this.digests.update(this.guildId, id, {
      channelId: fields.channelId,
      cron: fields.schedule,
      timezone: fields.timezone,
      query: fields.query,
      mentionRoleId: fields.mentionRoleId,
      language: fields.language,
    });
  }

  setStatus(id: number, status: 'active' | 'paused'): Promise<SubscriptionView> {
    return status === 'paused' ? this.digests.pause(this.guildId, id) : this.digests.resume(this.guildId, id);
  }

  remove(id: number): Promise<unknown> {
    return this.digests.remove(this.guildId, id);
  }

  async send(id: number): Promise<RunOutcome> {
    await this.get(id);
    return this.digests.send(id);
  }

  /** The items the next digest would hold (with `query` in place of its topic, when given). */
  async preview(
    id: number,
    query?: string,
  ): Promise<{ documentId: string; title: string; publishedAt: string | null }[]> {
    const plan = await this.digests.preview({ subscription: await this.get(id), query: query ?? null });
    return plan.sections.flatMap((s) =>
      s.items.map((item) => ({ documentId: item.id, title: item.title, publishedAt: item.publishedAt })),
    );
  }

  async deliveries(page: number): Promise<{ deliveries: ApiDelivery[]; page: number; pages: number }> {
    const { deliveries, total } = await this.digests.store.deliveries.pageForGuild(
      this.guildId,
      page,
      DELIVERIES_PER_PAGE,
    );
    return {
      deliveries: deliveries.map(apiDelivery),
      page,
      pages: Math.max(1, Math.ceil(total / DELIVERIES_PER_PAGE)),
    };
  }

  /** The page of the delivery log (newest first) that shows delivery `id`. */
  async deliveryPage(id: number): Promise<number> {
    const newer = await this.digests.store.deliveries.newerInGuild(this.guildId, id);
    return Math.floor(newer / DELIVERIES_PER_PAGE) + 1;
  }

  /** Why a document was or was not posted to each of the server's digests (or the one given). */
  why(documentId: string, subscriptionId?: number): Promise<WhyAnswer> {
    return this.digests.explain(this.guildId, documentId, subscriptionId);
  }

  /** The text and announcement channels and the roles a form offers, by name. */
  async choices(): Promise<{
    channels: { id: string; name: string }[];
    roles: { id: string; name: string }[];
  }> {
    const guild = await this.guild();
    const [channels, roles] = await Promise.all([guild.channels.fetch(), guild.roles.fetch()]);
    return {
      channels: [...channels.values()]
        .filter(
          (c) => c !== null && (c.type === ChannelType.GuildText || c.type === ChannelType.GuildAnnouncement),
        )
        .map((c) => ({ id: c.id, name: c.name })),
      roles: [...roles.values()]
        .filter((r) => r.id !== this.guildId && !r.managed)
        .map((r) => ({ id: r.id, name: r.name })),
    };
  }
}

/** A positive whole number from a path or query parameter, else 400 naming it. */
export function wholeNumber(value: unknown, field: string, fallback?: number): number {
  if ((value === undefined || value === '') && fallback !== undefined) return fallback;
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1)
    throw new PanelError(400, 'bad-request', `${field}: must be a whole number, 1 or more`, field);
  return n;
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
