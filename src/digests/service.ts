import { UserError } from '../core/errors.js';
import { canonicalLanguage, UNDETERMINED } from '../core/text/language.js';
import type { DigestPlan } from '../core/digest.js';
import type { NewSubscription, Store, Subscription, SubscriptionChange } from '../store/store.js';

import { DigestDelivery, type DeliveryOptions, type RunOutcome } from './deliver.js';
import { DigestRunQueue, type DigestMetrics } from './runQueue.js';
import { DeliveryExplainer, type WhyAnswer } from './explain.js';
import { upcomingRuns, validateCron, validateTimeZone } from './schedule.js';

/** Where due subscriptions are scheduled (src/scheduler.ts, or nothing in the CLI). */
export interface SubscriptionScheduler {
  set(subscription: Subscription): void;
  remove(id: number): void;
  stop(): void;
}

export interface DigestServiceOptions extends DeliveryOptions {
  /** At most this many subscriptions are posted at once when several are due. Default 4. */
  readonly concurrency?: number;
  /** Counts deliveries and failed runs; absent, nothing is counted. */
  readonly metrics?: DigestMetrics | undefined;
  /** A live source's `maxAgeDays` (sources.json), so `explain` can say an item was too old. */
  readonly maxAgeDays?: ((sourceId: string) => number | undefined) | undefined;
}

/** What `/digest subscribe` asks for: the store's new subscription, validated by the service. */
export type SubscribeInput = NewSubscription;

/** A subscription with its next scheduled run (undefined when paused or never). */
export interface SubscriptionView extends Subscription {
  readonly nextRunAt: Date | undefined;
}

/**
 * The digest services the /digest command, the CLI and main.ts use: subscriptions (validated) and
 * previews here; manual sends, scheduled runs and start-up recovery through the run queue
 * (src/digests/runQueue.ts), which this service keeps in step with the scheduler.
 */
export class DigestService {
  readonly delivery: DigestDelivery;
  private scheduler: SubscriptionScheduler | undefined;
  private readonly runs: DigestRunQueue;
  private readonly now: () => Date;
  /** What the scheduler was last given per subscription, to tell changes made elsewhere. */
  private readonly scheduled = new Map<number, string>();

  constructor(private readonly options: DigestServiceOptions) {
    this.delivery = new DigestDelivery(options);
    this.now = options.now ?? (() => new Date());
    this.runs = new DigestRunQueue({
      delivery: this.delivery,
      store: options.store,
      now: this.now,
      log: options.log,
      concurrency: options.concurrency,
      retryPendingMs: options.retryPendingMs,
      metrics: options.metrics,
      onPaused: (s) => this.scheduler?.set(s),
    });
  }

  get store(): Store {
    return this.options.store;
  }

  /** Connects a scheduler and schedules every active subscription. */
  async attachScheduler(scheduler: SubscriptionScheduler): Promise<void> {
    this.scheduler = scheduler;
    await this.syncScheduler();
  }

  /**
   * Brings the scheduler in line with the store: subscriptions another process created, changed,
   * paused, resumed or removed since the last look (several processes share a PostgreSQL store).
   */
  async syncScheduler(): Promise<void> {
    const scheduler = this.scheduler;
    if (!scheduler) return;
    const seen = new Set<number>();
    for (const s of await this.store.subscriptions.list()) {
      seen.add(s.id);
      const version = `${s.updatedAt}|${s.status}|${s.cron}|${s.timezone}`;
      if (this.scheduled.get(s.id) === version) continue;
      this.scheduled.set(s.id, version);
      scheduler.set(s);
    }
    for (const id of this.scheduled.keys()) {
      if (seen.has(id)) continue;
      this.scheduled.delete(id);
      scheduler.remove(id);
      this.runs.cancelRetry(id);
    }
  }

  // ── Subscriptions ────────────────────────────────────────────────────────────────────────────

  /** Validates and creates a subscription starting at the current end of the log; schedules it. */
  async subscribe(input: SubscribeInput): Promise<SubscriptionView> {
    const valid = this.validate(input);
    if (!Number.isInteger(input.backfill) || input.backfill < 0 || input.backfill > 25) {
      throw new UserError('invalid-backfill', 'Backfill must be a whole number from 0 to 25.', {});
    }
    const language = subscriptionLanguage(input.language);
    const subscription = await this.store.subscriptions.create({ ...input, ...valid, language }, this.now());
    this.schedule(subscription);
    return this.view(subscription);
  }

  /**
   * Changes a subscription's channel, schedule, time zone, topic, mention or (when the change names
   * it) language (the web panel's edit), with subscribe's checks and messages; keeps its cursor and
   * status; reschedules it.
   */
  async update(guildId: string, id: number, change: SubscriptionChange): Promise<SubscriptionView> {
    await this.get(guildId, id);
    const valid = this.validate({ ...change, guildId });
    const language = change.language === undefined ? {} : { language: subscriptionLanguage(change.language) };
    const s = await this.store.subscriptions.update(
      id,
      { channelId: change.channelId, ...valid, ...language },
      this.now(),
    );
    if (!s)
      throw new UserError('unknown-subscription', `There is no digest subscription #${id} any more.`, {
        key: 'errors.subscription-gone',
        values: { id },
      });
    this.schedule(s);
    return this.view(s);
  }

  /** What subscribe and update check, normalised: cron, time zone, mention, topic. */
  private validate(
    input: Pick<SubscribeInput, 'guildId' | 'cron' | 'timezone' | 'query' | 'mentionRoleId'>,
  ): { cron: string; timezone: string; query: string | null; mentionRoleId: string | null } {
    const schedule = validateCron(input.cron);
    if (!schedule.ok) throw new UserError('invalid-cron', schedule.error);
    const zone = validateTimeZone(input.timezone);
    if (!zone.ok) throw new UserError('invalid-timezone', zone.error);
    const mention = input.mentionRoleId ?? null;
    if (mention !== null && !/^\d{1,20}$/.test(mention))
      throw new UserError('invalid-mention', 'The mention must be a role of this server.', {
        key: 'errors.mention-not-role',
      });
    // @everyone's role id is the guild's: a digest may ping a role, never the whole server.
    if (mention === input.guildId)
      throw new UserError('invalid-mention', 'A digest cannot ping @everyone; choose a role.', {
        key: 'errors.mention-everyone',
      });
    const query = input.query?.trim() ? input.query.trim() : null;
    if (query) {
      if (query.length > 200)
        throw new UserError('query-too-long', 'A topic filter can be at most 200 characters.', {
          key: 'errors.topic-too-long',
          values: { limit: 200 },
        });
      // Throws the library's own UserError for a query it cannot run.
      this.options.library.matching(query, []);
    }
    return { cron: schedule.value, timezone: zone.value, query, mentionRoleId: mention };
  }

  async list(guildId: string): Promise<SubscriptionView[]> {
    return (await this.store.subscriptions.list(guildId)).map((s) => this.view(s));
  }

  /** A subscription of this guild, or a UserError that says so (ids of other guilds look unknown). */
  async get(guildId: string, id: number): Promise<SubscriptionView> {
    const s = await this.store.subscriptions.get(id);
    if (!s || s.guildId !== guildId)
      throw new UserError('unknown-subscription', `There is no digest subscription #${id} in this server.`, {
        values: { id },
      });
    return this.view(s);
  }

  async remove(guildId: string, id: number): Promise<Subscription> {
    const s = await this.get(guildId, id);
    await this.store.subscriptions.remove(id);
    this.scheduled.delete(id);
    this.scheduler?.remove(id);
    this.runs.cancelRetry(id);
    return s;
  }

  async pause(guildId: string, id: number, reason = 'Paused by a moderator.'): Promise<SubscriptionView> {
    await this.get(guildId, id);
    const s = await this.mustSetStatus(id, 'paused', reason);
    this.runs.cancelRetry(id);
    return this.view(s);
  }

  /** Resumes from the kept cursor; a delivery left pending by the pause is finished on the next run. */
  async resume(guildId: string, id: number): Promise<SubscriptionView> {
    await this.get(guildId, id);
    const s = await this.mustSetStatus(id, 'active', null);
    return this.view(s);
  }

  /** Pauses every subscription of a guild the bot has left, keeping their cursors. */
  async pauseGuild(guildId: string, reason = 'The bot is no longer in this server.'): Promise<number> {
    let count = 0;
    for (const s of await this.store.subscriptions.list(guildId)) {
      if (s.status !== 'active') continue;
      await this.mustSetStatus(s.id, 'paused', reason);
      count++;
    }
    return count;
  }

  /** Sets a status and reschedules; a subscription removed meanwhile (by another process) is unknown. */
  private async mustSetStatus(
    id: number,
    status: Subscription['status'],
    reason: string | null,
  ): Promise<Subscription> {
    const s = await this.store.subscriptions.setStatus(id, status, reason, this.now());
    if (!s) {
      throw new UserError('unknown-subscription', `There is no digest subscription #${id} any more.`, {
        key: 'errors.subscription-gone',
        values: { id },
      });
    }
    this.schedule(s);
    return s;
  }

  private schedule(s: Subscription): void {
    this.scheduled.set(s.id, `${s.updatedAt}|${s.status}|${s.cron}|${s.timezone}`);
    this.scheduler?.set(s);
  }

  // ── Digests ──────────────────────────────────────────────────────────────────────────────────

  /**
   * What a subscription's next digest would hold (with `query`, when given, in place of its topic);
   * or, without one, the latest `latest` articles for a topic.
   */
  async preview(input: {
    subscription?: Subscription;
    query?: string | null;
    latest?: number;
    /** The language it would be written in: of a release's versions, the one it lists. */
    language?: string | null;
  }): Promise<DigestPlan> {
    const topic = input.query?.trim() ? input.query.trim() : null;
    const language = input.language ?? null;
    if (input.subscription) {
      const subscription = topic ? { ...input.subscription, query: topic } : input.subscription;
      return (await this.delivery.preview(subscription, { writtenIn: language })).plan;
    }
    const cursor = await this.store.log.latestSeq();
    return (
      await this.delivery.preview(
        {
          cursorSeq: cursor,
          backfill: input.latest ?? 10,
          query: topic,
          lastRunAt: null,
          createdAt: null,
        },
        { writtenIn: language },
      )
    ).plan;
  }

  /**
   * Why a document was or was not posted to each subscription of the guild, or to the one asked
   * (the panel's `why`, `/digest why`, `digest why`). UserError for an unknown document or
   * subscription.
   */
  async explain(guildId: string, documentId: string, subscriptionId?: number): Promise<WhyAnswer> {
    const subscriptions =
      subscriptionId === undefined
        ? await this.store.subscriptions.list(guildId)
        : [await this.get(guildId, subscriptionId)];
    const { store, library, maxAgeDays } = this.options;
    return new DeliveryExplainer({ store, library, delivery: this.delivery, maxAgeDays }).explain(
      documentId,
      subscriptions,
    );
  }

  /** Runs a subscription now (the /digest send path). */
  send(id: number): Promise<RunOutcome> {
    return this.runs.send(id);
  }

  /** Queues a run (the scheduler's path); see {@link DigestRunQueue.due}. */
  due(id: number): Promise<RunOutcome> {
    return this.runs.due(id);
  }

  /**
   * Start-up, and every sweep after: pending deliveries first (those another process left when it
   * died, once its claim expired), then one catch-up per missed schedule.
   */
  recover(): Promise<{ finished: RunOutcome[]; caughtUp: RunOutcome[] }> {
    return this.runs.recover();
  }

  /** Stops scheduling and retries and waits for runs in progress. */
  async stop(): Promise<void> {
    this.scheduler?.stop();
    await this.runs.stop();
  }

  private view(s: Subscription): SubscriptionView {
    // The next run node-cron's live task will fire (it counts from the wall clock, not this.now()).
    return { ...s, nextRunAt: s.status === 'active' ? upcomingRuns(s.cron, s.timezone, 1)[0] : undefined };
  }
}

/**
 * A subscription's language filter as stored: a canonical BCP 47 tag (`und` for documents whose
 * language could not be told), null for every language, or UserError `bad-language`.
 */
export function subscriptionLanguage(typed: string | null | undefined): string | null {
  const text = typed?.trim();
  if (!text) return null;
  if (text.toLowerCase() === UNDETERMINED) return UNDETERMINED;
  const tag = canonicalLanguage(text);
  if (tag === null || tag.length > 35)
    throw new UserError(
      'bad-language',
      `“${text.slice(0, 40)}” is not a language tag (such as fr, ar or fa-AF).`,
      {
        values: { value: text.slice(0, 40) },
      },
    );
  return tag;
}
