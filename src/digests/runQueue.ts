import type { BotMetrics } from '../ops/metrics.js';
import type { Store, Subscription } from '../store/store.js';
import { mapBounded } from '../util/concurrency.js';
import type { DeliveryLog, DigestDelivery, RunOptions, RunOutcome } from './deliver.js';
import { isRunMissed } from './schedule.js';

export interface RunQueueOptions {
  readonly delivery: DigestDelivery;
  readonly store: Store;
  readonly now: () => Date;
  readonly log?: DeliveryLog | undefined;
  /** At most this many subscriptions are posted at once when several are due. Default 4. */
  readonly concurrency?: number | undefined;
  /** After a transient failure, try the pending delivery again this much later. Default 5 min. */
  readonly retryPendingMs?: number | undefined;
  /** A run paused its subscription (Missing Access...): the scheduler must hear of it. */
  readonly onPaused: (subscription: Subscription) => void;
  /** Counts deliveries and failed runs; absent, nothing is counted. */
  readonly metrics?: DigestMetrics | undefined;
}

/** What digests report to the process's metrics. */
export type DigestMetrics = Pick<BotMetrics, 'digestsDelivered' | 'digestFailed' | 'collectPendingDigests'>;

/**
 * When digests run: the bounded queue of due runs (channels in turn, one run per channel at once),
 * manual sends, start-up recovery, and the later retry of a delivery left pending.
 */
export class DigestRunQueue {
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
  private stopping = false;

  constructor(private readonly options: RunQueueOptions) {}

  /** Runs a subscription now (the /digest send path). */
  send(id: number): Promise<RunOutcome> {
    return this.execute(id, {});
  }

  /**
   * Queues a run (the scheduler's path): at most `concurrency` at once, a subscription at most once
   * in the queue. It composes a digest only if a slot of the schedule passed since the last run, so
   * when several processes' timers fire for one slot, one digest is posted. Resolves with the run's
   * outcome; never rejects (a failure is an `error` outcome).
   */
  due(id: number): Promise<RunOutcome> {
    if (this.stopping) return Promise.resolve({ kind: 'not-active', status: 'paused' });
    const done = new Promise<RunOutcome>((resolve) => {
      this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]);
    });
    if (!this.queued.has(id)) {
      this.queued.add(id);
      void this.options.store.subscriptions.get(id).then(
        (s) => this.enqueue(id, s?.channelId ?? `missing-${id}`),
        (error: unknown) => {
          // The run itself reads the subscription again and reports what it finds.
          this.options.log?.warn(
            { subscription: id, err: error },
            'could not read a due digest’s channel; queued on its own',
          );
          this.enqueue(id, `missing-${id}`);
        },
      );
    }
    return done;
  }

  private enqueue(id: number, channel: string): void {
    // Stopped meanwhile: stop() answered the waiters already.
    if (!this.queued.has(id)) return;
    this.queue.push({ id, channel });
    this.pump();
  }

  /**
   * Start-up: first finish every pending delivery, then give each active subscription whose schedule
   * passed while the bot was down one catch-up digest (never one per missed slot). Bounded concurrency.
   */
  async recover(): Promise<{ finished: RunOutcome[]; caughtUp: RunOutcome[] }> {
    const { store } = this.options;
    const pending = (await store.deliveries.pending()).map((d) => d.subscriptionId);
    const finished = await mapBounded(pending, this.options.concurrency ?? 4, (id) =>
      this.execute(id, { pendingOnly: true }),
    );
    const now = this.options.now();
    const missed = (await store.subscriptions.list())
      .filter(
        (s) =>
          s.status === 'active' && isRunMissed(s.cron, s.timezone, new Date(s.lastRunAt ?? s.createdAt), now),
      )
      .map((s) => s.id);
    // Through the queue: bounded, and channels take turns under Discord's per-channel limit.
    const caughtUp = await Promise.all(missed.map((id) => this.due(id)));
    return { finished, caughtUp };
  }

  /** Forgets the retry of a subscription's pending delivery (it was paused or removed). */
  cancelRetry(id: number): void {
    clearTimeout(this.retryTimers.get(id));
    this.retryTimers.delete(id);
  }

  /** Drops queued runs and retries and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const id of [...this.retryTimers.keys()]) this.cancelRetry(id);
    // Every waiter, queued or still looking up its channel.
    for (const resolvers of this.waiters.values()) {
      for (const resolve of resolvers) resolve({ kind: 'not-active', status: 'paused' });
    }
    this.waiters.clear();
    this.queue.length = 0;
    this.queued.clear();
    await this.options.delivery.idle();
    await this.options.delivery.releaseHeld();
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
      void this.execute(id, { onlyIfDue: true })
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

  /** Every run goes through here: its outcome is counted, then acted on. */
  private async execute(id: number, options: RunOptions): Promise<RunOutcome> {
    // Shutting down: no new run takes a claim.
    if (this.stopping) return { kind: 'not-active', status: 'paused' };
    const { metrics } = this.options;
    let outcome: RunOutcome;
    try {
      outcome = await this.options.delivery.run(id, options);
    } catch (error) {
      metrics?.digestFailed('error');
      throw error;
    }
    if (outcome.kind === 'delivered') metrics?.digestsDelivered(outcome.deliveryIds.length);
    else if (outcome.kind === 'paused' || outcome.kind === 'pending' || outcome.kind === 'error')
      metrics?.digestFailed(outcome.kind);
    await this.afterRun(id, outcome);
    return outcome;
  }

  private async afterRun(id: number, outcome: RunOutcome): Promise<void> {
    if (outcome.kind === 'paused') {
      const s = await this.options.store.subscriptions.get(id);
      if (s) this.options.onPaused(s);
    }
    this.cancelRetry(id);
    if (outcome.kind === 'pending') {
      const timer = setTimeout(() => {
        this.retryTimers.delete(id);
        void this.due(id);
      }, this.options.retryPendingMs ?? 300_000);
      timer.unref();
      this.retryTimers.set(id, timer);
    }
  }
}
