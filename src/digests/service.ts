import { UserError } from '../core/errors.js';
import type { Digest } from '../core/digest.js';
import type { NewSubscription, Store, Subscription } from '../store/store.js';
import { mapBounded } from '../util/concurrency.js';
import { DigestDelivery, type DeliveryOptions, type RunOutcome } from './deliver.js';
import { isRunMissed, upcomingRuns, validateCron, validateTimeZone } from './schedule.js';

/** Where due subscriptions are scheduled (src/scheduler.ts, or nothing in the CLI). */
export interface SubscriptionScheduler {
  set(subscription: Subscription): void;
  remove(id: number): void;
  stop(): void;
}

export interface DigestServiceOptions extends DeliveryOptions {
  /** At most this many subscriptions are posted at once when several are due. Default 4. */
  readonly concurrency?: number;
  /** After a transient failure, try the pending delivery again this much later. Default 5 min. */
  readonly retryPendingMs?: number;
}

/** What `/digest subscribe` asks for: the store's new subscription, validated by the service. */
export type SubscribeInput = NewSubscription;

/** A subscription with its next scheduled run (undefined when paused or never). */
export interface SubscriptionView extends Subscription {
  readonly nextRunAt: Date | undefined;
}

/**
 * The digest services the /digest command, the CLI and main.ts use: subscriptions (validated),
 * previews, manual sends, scheduled runs with bounded concurrency, and start-up recovery.
 */
export class DigestService {
  readonly delivery: DigestDelivery;
  private scheduler: SubscriptionScheduler | undefined;
  /** Due runs waiting, with their channel (looked up once). */
  private readonly queue: { id: number; channel: string }[] = [];
  private readonly queued = new Set<number>();
  private readonly waiters = new Map<number, ((outcome: RunOutcome) => void)[]>();
  private running = 0;
  private readonly busyChannels = new Set<string>();
  /** When each channel last got a run started, for round-robin order. */
  private readonly channelTurns = new Map<string, number>();
  private turn = 0;
  private readonly retryTimers = new Map<number, NodeJS.Timeout>();
  private readonly now: () => Date;

  constructor(private readonly options: DigestServiceOptions) {
    this.delivery = new DigestDelivery(options);
    this.now = options.now ?? (() => new Date());
  }

  get store(): Store {
    return this.options.store;
  }

  /** Connects a scheduler and schedules every active subscription. */
  attachScheduler(scheduler: SubscriptionScheduler): void {
    this.scheduler = scheduler;
    for (const s of this.store.listSubscriptions()) scheduler.set(s);
  }

  // ── Subscriptions ────────────────────────────────────────────────────────────────────────────

  /** Validates and creates a subscription starting at the current end of the log; schedules it. */
  subscribe(input: SubscribeInput): SubscriptionView {
    const schedule = validateCron(input.cron);
    if (!schedule.ok) throw new UserError('invalid-cron', schedule.error);
    const zone = validateTimeZone(input.timezone);
    if (!zone.ok) throw new UserError('invalid-timezone', zone.error);
    if (!Number.isInteger(input.backfill) || input.backfill < 0 || input.backfill > 25) {
      throw new UserError('invalid-backfill', 'Backfill must be a whole number from 0 to 25.');
    }
    const query = input.query?.trim() ? input.query.trim() : null;
    if (query) {
      if (query.length > 200)
        throw new UserError('query-too-long', 'A topic filter can be at most 200 characters.');
      // Throws the library's own UserError for a query it cannot run.
      this.options.library.matching(query, []);
    }
    const subscription = this.store.createSubscription(
      { ...input, cron: schedule.value, timezone: zone.value, query },
      this.now(),
    );
    this.scheduler?.set(subscription);
    return this.view(subscription);
  }

  list(guildId: string): SubscriptionView[] {
    return this.store.listSubscriptions(guildId).map((s) => this.view(s));
  }

  /** A subscription of this guild, or a UserError that says so (ids of other guilds look unknown). */
  get(guildId: string, id: number): SubscriptionView {
    const s = this.store.getSubscription(id);
    if (!s || s.guildId !== guildId)
      throw new UserError('unknown-subscription', `There is no digest subscription #${id} in this server.`);
    return this.view(s);
  }

  remove(guildId: string, id: number): Subscription {
    const s = this.get(guildId, id);
    this.store.removeSubscription(id);
    this.scheduler?.remove(id);
    this.clearRetry(id);
    return s;
  }

  pause(guildId: string, id: number, reason = 'Paused by a moderator.'): SubscriptionView {
    this.get(guildId, id);
    const s = this.store.setStatus(id, 'paused', reason, this.now()) as Subscription;
    this.scheduler?.set(s);
    this.clearRetry(id);
    return this.view(s);
  }

  /** Resumes from the kept cursor; a delivery left pending by the pause is finished on the next run. */
  resume(guildId: string, id: number): SubscriptionView {
    this.get(guildId, id);
    const s = this.store.setStatus(id, 'active', null, this.now()) as Subscription;
    this.scheduler?.set(s);
    return this.view(s);
  }

  /** Pauses every subscription of a guild the bot has left, keeping their cursors. */
  pauseGuild(guildId: string, reason = 'The bot is no longer in this server.'): number {
    let count = 0;
    for (const s of this.store.listSubscriptions(guildId)) {
      if (s.status !== 'active') continue;
      const paused = this.store.setStatus(s.id, 'paused', reason, this.now()) as Subscription;
      this.scheduler?.set(paused);
      count++;
    }
    return count;
  }

  // ── Digests ──────────────────────────────────────────────────────────────────────────────────

  /**
   * What a subscription's next digest would hold (with `query`, when given, in place of its topic);
   * or, without one, the latest `latest` articles for a topic.
   */
  preview(input: { subscription?: Subscription; query?: string | null; latest?: number }): Digest {
    const topic = input.query?.trim() ? input.query.trim() : null;
    if (input.subscription) {
      return this.delivery.preview(topic ? { ...input.subscription, query: topic } : input.subscription)
        .digest;
    }
    const cursor = this.store.latestSeq();
    return this.delivery.preview({
      cursorSeq: cursor,
      backfill: input.latest ?? 10,
      query: topic,
      lastRunAt: null,
      createdAt: this.now().toISOString(),
    }).digest;
  }

  /** Runs a subscription now (the /digest send path and the scheduler's). */
  async send(id: number): Promise<RunOutcome> {
    const outcome = await this.delivery.run(id);
    this.afterRun(id, outcome);
    return outcome;
  }

  /**
   * Queues a run (the scheduler's path): at most `concurrency` at once, a subscription at most once
   * in the queue. Resolves with the run's outcome; never rejects (a failure is an `error` outcome).
   */
  due(id: number): Promise<RunOutcome> {
    const done = new Promise<RunOutcome>((resolve) => {
      this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]);
    });
    if (!this.queued.has(id)) {
      this.queued.add(id);
      this.queue.push({ id, channel: this.store.getSubscription(id)?.channelId ?? `missing-${id}` });
      this.pump();
    }
    return done;
  }

  /**
   * Starts queued runs up to the concurrency bound, one channel at a time per channel and channels
   * in round-robin order: Discord limits messages per channel (5 per 5 s), so a worker waiting on
   * a busy channel's rate limit must not hold up the other channels.
   */
  private pump(): void {
    const limit = this.options.concurrency ?? 4;
    while (this.running < limit && this.queue.length > 0) {
      let pick = -1;
      let pickTurn = Infinity;
      for (let k = 0; k < this.queue.length; k++) {
        const { channel } = this.queue[k] as { channel: string };
        if (this.busyChannels.has(channel)) continue;
        const turn = this.channelTurns.get(channel) ?? -1;
        if (turn < pickTurn) {
          pick = k;
          pickTurn = turn;
          if (turn === -1) break;
        }
      }
      if (pick < 0) return; // every queued run waits for its channel
      const [{ id, channel }] = this.queue.splice(pick, 1) as [{ id: number; channel: string }];
      this.queued.delete(id);
      this.running++;
      this.busyChannels.add(channel);
      this.channelTurns.set(channel, this.turn++);
      const waiters = this.waiters.get(id) ?? [];
      this.waiters.delete(id);
      void this.send(id)
        .catch((error: unknown): RunOutcome => {
          this.options.log?.warn({ subscription: id, err: error }, 'scheduled digest failed');
          return { kind: 'error', reason: error instanceof Error ? error.message : String(error) };
        })
        .then((outcome) => {
          for (const resolve of waiters) resolve(outcome);
        })
        .finally(() => {
          this.running--;
          this.busyChannels.delete(channel);
          this.pump();
        });
    }
  }

  /**
   * Start-up: first finish every pending delivery, then give each active subscription whose schedule
   * passed while the bot was down one catch-up digest (never one per missed slot). Bounded concurrency.
   */
  async recover(): Promise<{ finished: RunOutcome[]; caughtUp: RunOutcome[] }> {
    const concurrency = this.options.concurrency ?? 4;
    const pending = this.store.pendingDeliveries().map((d) => d.subscriptionId);
    const finished = await mapBounded(pending, concurrency, async (id) => {
      const outcome = await this.delivery.run(id, { pendingOnly: true });
      this.afterRun(id, outcome);
      return outcome;
    });
    const now = this.now();
    const missed = this.store
      .listSubscriptions()
      .filter(
        (s) =>
          s.status === 'active' && isRunMissed(s.cron, s.timezone, new Date(s.lastRunAt ?? s.createdAt), now),
      )
      .map((s) => s.id);
    // Through the queue: bounded, and channels take turns under Discord's per-channel limit.
    const caughtUp = await Promise.all(missed.map((id) => this.due(id)));
    return { finished, caughtUp };
  }

  /** Stops scheduling and retries and waits for runs in progress. */
  async stop(): Promise<void> {
    this.scheduler?.stop();
    for (const id of [...this.retryTimers.keys()]) this.clearRetry(id);
    for (const { id } of this.queue) {
      for (const resolve of this.waiters.get(id) ?? []) resolve({ kind: 'not-active', status: 'paused' });
    }
    this.waiters.clear();
    this.queue.length = 0;
    this.queued.clear();
    await this.delivery.idle();
  }

  private afterRun(id: number, outcome: RunOutcome): void {
    if (outcome.kind === 'paused') {
      const s = this.store.getSubscription(id);
      if (s) this.scheduler?.set(s);
    }
    this.clearRetry(id);
    if (outcome.kind === 'pending') {
      const timer = setTimeout(() => {
        this.retryTimers.delete(id);
        void this.due(id);
      }, this.options.retryPendingMs ?? 300_000);
      timer.unref();
      this.retryTimers.set(id, timer);
    }
  }

  private clearRetry(id: number): void {
    clearTimeout(this.retryTimers.get(id));
    this.retryTimers.delete(id);
  }

  private view(s: Subscription): SubscriptionView {
    // The next run node-cron's live task will fire (it counts from the wall clock, not this.now()).
    return { ...s, nextRunAt: s.status === 'active' ? upcomingRuns(s.cron, s.timezone, 1)[0] : undefined };
  }
}
