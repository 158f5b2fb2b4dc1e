import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  capDigestItems,
  MAX_DIGEST_ITEMS,
  planDigest,
  selectDigestItems,
  type DigestItem,
  type DigestPlan,
} from '../core/digest.js';
import { languageOf, type DocumentRecord } from '../core/record.js';
import { matchesLanguage } from '../core/text/language.js';
import { digestNonce, renderDigestMessages, type DigestMessage } from '../discord/format/digest.js';
import { digestLanguage } from './digestLanguage.js';
import type { LogEntry } from '../store/ingestionLog.js';
import type { Delivery, DeliveryPart, Store, Subscription } from '../store/store.js';
import { isRunMissed } from './schedule.js';

/** What digests need from the search library. */
export interface DigestLibrary {
  document(id: string): DocumentRecord | undefined;
  /** The ids among `records` that match a topic query. Throws UserError for a query it cannot run. */
  matching(query: string, records: readonly DocumentRecord[]): ReadonlySet<string>;
}

/** Posts one digest message; resolves with the created (or, for a repeated nonce, the earlier) message id. */
export interface MessagePoster {
  post(channelId: string, message: DigestMessage, nonce: string): Promise<{ id: string }>;
  /**
   * The id of a recent message of the bot's in the channel with exactly this content, if any. Used
   * for the unacknowledged parts of a delivery left pending by an earlier run (a crash, an outage);
   * may reject (no Read Message History), and the part is then posted again under its nonce.
   */
  findPosted(channelId: string, message: DigestMessage): Promise<string | undefined>;
}

/** How a posting error is handled. */
export type Failure =
  | { readonly kind: 'pause'; readonly reason: string }
  | { readonly kind: 'transient'; readonly reason: string };

/** Decides what an error from the poster means; the Discord adapter knows Discord's codes. */
export type FailureClassifier = (error: unknown) => Failure;

export type RunOutcome =
  | {
      readonly kind: 'delivered';
      readonly deliveryIds: readonly number[];
      readonly items: number;
      readonly parts: number;
    }
  | { readonly kind: 'nothing-new' }
  | { readonly kind: 'paused'; readonly reason: string }
  /** A transient failure after every retry; the delivery stays pending and is finished later. */
  | { readonly kind: 'pending'; readonly reason: string }
  | { readonly kind: 'not-active'; readonly status: 'paused' | 'missing' }
  /**
   * Another process holds the subscription's claim and is running it: it held it already, or it
   * took it after this process's claim expired mid-delivery (this process then stopped posting).
   */
  | { readonly kind: 'claimed-elsewhere' }
  /** A bug or an unexpected error, logged; the subscription and its cursor are unchanged. */
  | { readonly kind: 'error'; readonly reason: string };

export interface DeliveryLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface DeliveryOptions {
  readonly store: Store;
  readonly library: DigestLibrary;
  readonly poster: MessagePoster;
  readonly classify: FailureClassifier;
  readonly now?: () => Date;
  readonly log?: DeliveryLog;
  /** Attempts per message on transient errors (on top of the REST client's own retries). Default 4. */
  readonly attempts?: number;
  /** First backoff delay, doubled each attempt. Default 2000 ms. */
  readonly backoffMs?: number;
  /**
   * Who this process is in claims (several processes may share the store), and how long a claim
   * lasts without renewal: a process that dies mid-run leaves it to expire, then another finishes
   * the delivery. Renewed before every post: a process that finds it gone stops posting. Expiry is
   * on the database's clock. Default: a random owner, 60 s.
   */
  readonly claim?: { readonly owner: string; readonly ttlMs: number };
  /** After a transient failure, try the pending delivery again this much later. Default 5 min. */
  readonly retryPendingMs?: number | undefined;
}

export interface RunOptions {
  /** Only finish a pending delivery (start-up recovery). */
  readonly pendingOnly?: boolean;
  /** Compose a new digest only if a scheduled slot passed since the last run (the scheduler's runs). */
  readonly onlyIfDue?: boolean;
}

const silent: DeliveryLog = { info: () => undefined, warn: () => undefined };

/**
 * Composes and delivers digests with the guarantee that each matching article ingested after a
 * subscription's cursor is posted exactly once: compose → record pending (with every part and its
 * nonce) → post each part not yet acknowledged (nonce + enforce_nonce, so a re-post after a crash is
 * deduplicated by Discord) → mark delivered and advance the cursor in one transaction.
 */
export class DigestDelivery {
  private readonly locks = new Map<number, Promise<unknown>>();
  /** Subscriptions whose pending delivery this process holds a claim on until its retry. */
  private readonly held = new Set<number>();
  private readonly now: () => Date;
  private readonly log: DeliveryLog;
  private readonly claim: { readonly owner: string; readonly ttlMs: number };

  constructor(private readonly options: DeliveryOptions) {
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? silent;
    this.claim = options.claim ?? { owner: randomUUID(), ttlMs: 60_000 };
  }

  /** Whether a slot of the subscription's schedule passed since its last run (or its start). */
  private isDue(subscription: Subscription): boolean {
    const since = new Date(subscription.lastRunAt ?? subscription.createdAt);
    return isRunMissed(subscription.cron, subscription.timezone, since, this.now());
  }

  /**
   * The digest a subscription would get now (nothing is recorded). With `limitToBackfill`, a
   * stand-alone preview of the latest articles for a topic.
   */
  async preview(
    subscription: Pick<Subscription, 'cursorSeq' | 'backfill' | 'query' | 'lastRunAt'> & {
      /** When the subscription began; null for a stand-alone preview, which covers no period. */
      readonly createdAt: string | null;
      /** Only documents in this language (`fr` also takes `fr-*`); absent or null for every one. */
      readonly language?: string | null;
    },
    {
      track,
      writtenIn = null,
    }: {
      /** A document whose place among the items runs would take is wanted (see `position`). */
      readonly track?: string;
      /** The language the digest is written in: of a release's versions, the one it lists. */
      readonly writtenIn?: string | null;
    } = {},
  ): Promise<{
    plan: DigestPlan;
    toSeq: number;
    /** `track`'s place (0-based) among every item runs would take, in order; null when none. */
    position: number | null;
  }> {
    const { store } = this.options;
    const end = await store.log.latestSeq();
    // A window of weeks is read and filtered a page at a time, keeping only what the digest can
    // carry (one over, to tell where it ends) and a count of the rest: the memory of a run follows
    // a page, not the time the subscription was paused.
    const kept: DigestItem[] = [];
    let matched = 0;
    const seen = new Set<string>();
    let position: number | null = null;
    const take = (items: readonly DigestItem[]) => {
      const at = track === undefined ? -1 : items.findIndex((i) => i.record.id === track);
      if (at >= 0) position = matched + at;
      matched += items.length;
      for (const item of items) if (kept.length <= MAX_DIGEST_ITEMS) kept.push(item);
    };
    const disabledSources = await store.sourceStates.disabledIds();
    const backfill = await store.log.latestNewArticles(subscription.cursorSeq, subscription.backfill);
    const filter = { query: subscription.query, language: subscription.language ?? null };
    take(await this.candidates(filter, { entries: [], backfill, seen, disabledSources }));
    for await (const entries of store.log.pages(subscription.cursorSeq, end)) {
      take(await this.candidates(filter, { entries, backfill: [], seen, disabledSources }));
    }
    const { items, toSeq } = capDigestItems(kept, { cursor: subscription.cursorSeq, end });
    const plan = planDigest({
      items,
      remaining: matched - items.length,
      since: subscription.lastRunAt ?? subscription.createdAt,
      now: this.now(),
      query: subscription.query,
      language: writtenIn,
    });
    return { plan, toSeq, position };
  }

  /**
   * The items of one page of the window (or of the backfill) that a digest may carry: news, still
   * there, in the subscription's language, matching the topic. The topic filter is asked about this
   * page's candidates only.
   */
  private async candidates(
    { query, language }: { query: string | null; language: string | null },
    page: {
      entries: readonly LogEntry[];
      backfill: readonly LogEntry[];
      seen: Set<string>;
      /** Live sources disabled (after failing for days, or by `sources disable`): not posted. */
      disabledSources: ReadonlySet<string>;
    },
  ): Promise<DigestItem[]> {
    const { store, library } = this.options;
    // A document another process fetched may reach the log before this library follows it.
    const missing = [...page.entries, ...page.backfill]
      .filter((e) => e.event !== 'removed' && library.document(e.docId) === undefined)
      .map((e) => e.docId);
    const fetched =
      missing.length === 0
        ? new Map<string, DocumentRecord>()
        : new Map((await store.webDocuments.records(missing)).map((r) => [r.id, r]));
    const candidates = selectDigestItems({
      ...page,
      lookup: (id) => library.document(id) ?? fetched.get(id),
      ...(language
        ? { matches: (record: DocumentRecord) => matchesLanguage(languageOf(record), language) }
        : {}),
    }).filter((i) => i.record.sourceId === undefined || !page.disabledSources.has(i.record.sourceId));
    if (!query || candidates.length === 0) return candidates;
    const ids = library.matching(
      query,
      candidates.map((i) => i.record),
    );
    return candidates.filter((i) => ids.has(i.record.id));
  }

  /**
   * Runs one subscription now: finishes its pending delivery if any, then (unless `pendingOnly`)
   * composes and delivers what is new. With `onlyIfDue` (a scheduled run) it composes only when a
   * slot of the schedule passed since the last run, so processes whose timers fire for the same
   * slot post one digest. Runs of one subscription never overlap: in this process by a queue, across
   * processes by the subscription's claim.
   */
  run(subscriptionId: number, options: RunOptions = {}): Promise<RunOutcome> {
    const previous = this.locks.get(subscriptionId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.runLocked(subscriptionId, options));
    this.locks.set(subscriptionId, next);
    void next.finally(() => {
      if (this.locks.get(subscriptionId) === next) this.locks.delete(subscriptionId);
    });
    return next;
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    while (this.locks.size > 0) await Promise.allSettled([...this.locks.values()]);
  }

  /**
   * Gives up the claims this process holds on deliveries kept pending for a later retry (shutting
   * down: another process retries them at its next sweep instead of after the retry delay).
   */
  async releaseHeld(): Promise<void> {
    const held = [...this.held];
    this.held.clear();
    for (const id of held) {
      await this.options.store.subscriptions.release(id, this.claim.owner).catch((error: unknown) =>
        // It expires on its own after the retry delay; until then no other process retries it.
        this.log.warn({ subscription: id, err: error }, 'could not release a digest claim on shutdown'),
      );
    }
  }

  private async runLocked(id: number, options: RunOptions): Promise<RunOutcome> {
    const { store } = this.options;
    const initial = await store.subscriptions.get(id);
    if (!initial) return { kind: 'not-active', status: 'missing' };
    if (initial.status !== 'active') return { kind: 'not-active', status: 'paused' };
    if (!(await store.subscriptions.claim(id, this.claim.owner, this.claim.ttlMs))) {
      return { kind: 'claimed-elsewhere' };
    }
    let outcome: RunOutcome | undefined;
    try {
      outcome = await this.runClaimed(initial, options);
      return outcome;
    } finally {
      // A delivery kept pending stays ours until this process retries it; if we die, the claim
      // expires then and another process retries instead (not every process at its next sweep).
      if (outcome?.kind === 'pending') {
        const holdMs = this.options.retryPendingMs ?? 300_000;
        this.held.add(id);
        await this.holdClaim(id, holdMs);
      } else {
        this.held.delete(id);
        // After a lost claim this is a no-op: the claim is the new owner's.
        await store.subscriptions
          .release(id, this.claim.owner)
          .catch((error: unknown) =>
            this.log.warn(
              { subscription: id, err: error },
              'could not release a digest claim; other processes wait for it to expire',
            ),
          );
      }
    }
  }

  /** Keeps a pending delivery's claim until its retry; a failure only lets another process retry sooner. */
  private async holdClaim(id: number, holdMs: number): Promise<void> {
    try {
      if (!(await this.options.store.subscriptions.claim(id, this.claim.owner, holdMs))) {
        this.log.info({ subscription: id }, 'another process took the pending digest; it retries it');
      }
    } catch (error) {
      this.log.warn(
        { subscription: id, err: error },
        'could not hold the claim on a pending digest; another process may retry it first',
      );
    }
  }

  private async runClaimed(initial: Subscription, options: RunOptions): Promise<RunOutcome> {
    const { store } = this.options;
    const { id } = initial;

    const deliveryIds: number[] = [];
    let items = 0;
    let parts = 0;
    const pending = await store.deliveries.pendingFor(id);
    if (pending) {
      const outcome = await this.post(initial, pending, { resumed: true });
      if (outcome) return outcome;
      deliveryIds.push(pending.id);
      items += pending.itemCount;
      parts += pending.parts.length;
    }
    // Read again: the cursor moved if a pending delivery was just completed, here or elsewhere.
    const subscription = options.pendingOnly ? undefined : await store.subscriptions.get(id);
    if (!options.pendingOnly && !subscription) return { kind: 'not-active', status: 'missing' };
    // Paused by another process since the first read: nothing new is composed.
    if (subscription && subscription.status !== 'active') return { kind: 'not-active', status: 'paused' };
    if (subscription && (!options.onlyIfDue || this.isDue(subscription))) {
      const language = await digestLanguage(store.guildSettings, subscription.guildId, subscription.language);
      const { plan, toSeq } = await this.preview(subscription, { writtenIn: language });
      const messages = renderDigestMessages(plan, { mentionRoleId: subscription.mentionRoleId, language });
      if (messages.length === 0) {
        if (toSeq > subscription.cursorSeq || subscription.backfill > 0)
          await store.subscriptions.skipTo(id, toSeq, this.now());
        else await store.subscriptions.markRun(id, this.now());
      } else {
        const instanceId = await store.instanceId();
        const delivery = await store.deliveries.create(
          {
            subscriptionId: id,
            fromSeq: subscription.cursorSeq,
            toSeq,
            itemCount: plan.articleCount + plan.projectCount,
            payloads: messages,
            nonce: (deliveryId, part) => digestNonce(instanceId, id, deliveryId, part),
          },
          this.now(),
        );
        const outcome = await this.post(subscription, delivery, { resumed: false });
        if (outcome) return outcome;
        deliveryIds.push(delivery.id);
        items += delivery.itemCount;
        parts += delivery.parts.length;
      }
    }
    return deliveryIds.length > 0
      ? { kind: 'delivered', deliveryIds, items, parts }
      : { kind: 'nothing-new' };
  }

  /**
   * Posts the parts not yet acknowledged; undefined when all went out and the delivery is complete.
   * A part of a `resumed` delivery may have reached the channel while its answer was lost (a crash
   * between Discord storing it and us recording it). Its nonce only protects us while Discord still
   * remembers it ("a few minutes", undocumented, and a restart can take longer), so the channel's
   * history is looked at first; the nonce stays as the second guard.
   */
  private async post(
    subscription: Subscription,
    delivery: Delivery,
    { resumed }: { resumed: boolean },
  ): Promise<RunOutcome | undefined> {
    const { store } = this.options;
    for (const part of delivery.parts) {
      if (part.messageId !== null) continue;
      if (resumed && (await this.foundInChannel(subscription, delivery, part))) continue;
      const outcome = await this.postPart(subscription, delivery, part);
      if (outcome) return outcome;
    }
    await store.deliveries.complete(delivery.id, this.now());
    this.log.info(
      {
        subscription: subscription.id,
        delivery: delivery.id,
        items: delivery.itemCount,
        parts: delivery.parts.length,
      },
      'digest delivered',
    );
    return undefined;
  }

  /**
   * Whether a part of a resumed delivery is in the channel already (then recorded as posted). A
   * failed lookup (no Read Message History) is logged and the part posted again under its nonce.
   */
  private async foundInChannel(
    subscription: Subscription,
    delivery: Delivery,
    part: DeliveryPart,
  ): Promise<boolean> {
    const context = { subscription: subscription.id, delivery: delivery.id, part: part.part };
    let found: string | undefined;
    try {
      found = await this.options.poster.findPosted(subscription.channelId, part.payload);
    } catch (error) {
      this.log.warn(
        { ...context, err: error },
        'could not read the channel before resuming a digest part; posting it again under its nonce',
      );
      return false;
    }
    if (!found) return false;
    await this.options.store.deliveries.markPartPosted(delivery.id, part.part, found, this.now());
    this.log.info(context, 'digest part found in the channel, not posted again');
    return true;
  }

  /**
   * Posts one part, retrying transient failures with backoff; undefined once Discord accepted it.
   * Before every attempt the claim is renewed: a slow delivery (rate limits, retries) must not look
   * abandoned to other processes, and once the claim is gone (it expired and another process took
   * it) nothing more is posted here; the new owner finishes the delivery, its history check and the
   * parts' nonces keeping every part single.
   */
  private async postPart(
    subscription: Subscription,
    delivery: Delivery,
    part: DeliveryPart,
  ): Promise<RunOutcome | undefined> {
    const { store, poster, classify } = this.options;
    const attempts = this.options.attempts ?? 4;
    const backoffMs = this.options.backoffMs ?? 2000;
    for (let attempt = 1; ; attempt++) {
      const context = { subscription: subscription.id, delivery: delivery.id, part: part.part, attempt };
      if (!(await store.subscriptions.claim(subscription.id, this.claim.owner, this.claim.ttlMs))) {
        this.log.warn(
          { ...context, reason: 'the claim expired and another process took it' },
          'digest claim lost; stopped posting, the new owner finishes the delivery',
        );
        return { kind: 'claimed-elsewhere' };
      }
      let messageId: string;
      try {
        messageId = (await poster.post(subscription.channelId, part.payload, part.nonce)).id;
      } catch (error) {
        const failure = classify(error);
        if (failure.kind === 'pause') {
          await store.subscriptions.setStatus(subscription.id, 'paused', failure.reason, this.now());
          this.log.warn({ ...context, reason: failure.reason }, 'digest subscription paused');
          return { kind: 'paused', reason: failure.reason };
        }
        if (attempt >= attempts) {
          await store.deliveries.recordError(delivery.id, failure.reason);
          this.log.warn({ ...context, reason: failure.reason }, 'digest delivery kept pending');
          return { kind: 'pending', reason: failure.reason };
        }
        this.log.info({ ...context, reason: failure.reason }, 'digest post failed, retrying');
        await sleep(backoffMs * 2 ** (attempt - 1));
        continue;
      }
      await store.deliveries.markPartPosted(delivery.id, part.part, messageId, this.now());
      return undefined;
    }
  }
}
