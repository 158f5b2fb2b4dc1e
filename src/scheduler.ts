import cron, { type ScheduledTask } from 'node-cron';

/** What the scheduler needs to know about a subscription. */
export interface Schedulable {
  readonly id: number;
  readonly cron: string;
  readonly timezone: string;
  readonly status: 'active' | 'paused';
}

/**
 * node-cron wiring only: one task per active subscription, in its own time zone, calling `onDue(id)`
 * when it fires. `set` and `remove` take effect at once; the decisions live in the digest service.
 */
export class DigestScheduler {
  private readonly tasks = new Map<number, { task: ScheduledTask; key: string }>();
  private stopped = false;

  constructor(private readonly onDue: (subscriptionId: number) => void) {}

  /** Creates, replaces or (for a paused subscription) removes the task of one subscription. */
  set(subscription: Schedulable): void {
    if (this.stopped) return;
    const key = `${subscription.cron}|${subscription.timezone}`;
    const existing = this.tasks.get(subscription.id);
    if (subscription.status !== 'active') {
      this.remove(subscription.id);
      return;
    }
    if (existing?.key === key) return;
    this.remove(subscription.id);
    const task = cron.schedule(subscription.cron, () => this.onDue(subscription.id), {
      timezone: subscription.timezone,
      name: `digest-${subscription.id}`,
      noOverlap: true,
      // Never keep the process alive for a schedule: shutdown is SIGINT/SIGTERM's job.
      unref: true,
    });
    this.tasks.set(subscription.id, { task, key });
  }

  remove(subscriptionId: number): void {
    const entry = this.tasks.get(subscriptionId);
    if (!entry) return;
    this.tasks.delete(subscriptionId);
    void entry.task.destroy();
  }

  /** Ids with a live task, for tests and /digest list. */
  scheduledIds(): number[] {
    return [...this.tasks.keys()].sort((a, b) => a - b);
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.tasks.keys()]) this.remove(id);
  }
}
