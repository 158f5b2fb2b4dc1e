/**
 * Why a document was or was not posted to one digest subscription: the question feed bots are
 * asked most. The answer is data (an outcome and the facts it names); adapters say it in their
 * readers' language. Pure: every fact, `now` included, is an argument.
 */
import { MAX_DIGEST_ITEMS } from './digest.js';
// Through ../core/: the boundary lint reads `./sources/` as the adapters' src/sources.
import { decideNews } from '../core/sources/newsPolicy.js';

/** Every answer, in the order they are checked (the first that applies wins). */
export const EXPLANATION_OUTCOMES = [
  'duplicate',
  'delivered',
  'pending',
  'paused',
  'source-disabled',
  'will-deliver',
  'over-limit',
  'not-news',
  'before-subscription',
  'filtered',
] as const;

export type ExplanationOutcome = (typeof EXPLANATION_OUTCOMES)[number];

/** Why a document was logged without being news. */
export type NotNewsCause = 'update' | 'first-fetch' | 'too-old';

/** The answer for one document and one subscription. */
export type DeliveryExplanation =
  /** Merged into another document when fetched (same item, URL or near-identical text). */
  | { readonly outcome: 'duplicate'; readonly duplicateOf: string }
  | {
      readonly outcome: 'delivered';
      readonly deliveryId: number;
      /** When the part carrying it was accepted by Discord (ISO). */
      readonly postedAt: string | null;
      readonly messageId: string | null;
      readonly channelId: string;
    }
  /** In a digest recorded but not fully posted: it is retried. */
  | { readonly outcome: 'pending'; readonly deliveryId: number; readonly lastError: string | null }
  | { readonly outcome: 'paused'; readonly pauseReason: string | null }
  | { readonly outcome: 'source-disabled'; readonly sourceId: string; readonly disabledReason: string }
  /** In the next digest; `nextRunAt` null when the schedule has no next run. */
  | { readonly outcome: 'will-deliver'; readonly nextRunAt: string | null }
  /** Matches, but beyond the items one digest carries: it follows in a later one. */
  | {
      readonly outcome: 'over-limit';
      /** 1 for the digest after the next, and so on. */
      readonly digestsAhead: number;
      readonly followsAt: string | null;
    }
  | {
      readonly outcome: 'not-news';
      readonly cause: NotNewsCause;
      /** For `too-old`: the source's limit. */
      readonly maxAgeDays: number | null;
    }
  | { readonly outcome: 'before-subscription'; readonly ingestedAt: string; readonly subscribedAt: string }
  | {
      readonly outcome: 'filtered';
      readonly query: string;
      /** Words (or quoted phrases) of the query the document does not match; empty when it matches now. */
      readonly unmatchedWords: readonly string[];
    };

/** One ingestion-log line of the document. */
export interface ExplanationLogEntry {
  readonly seq: number;
  readonly event: 'new' | 'updated' | 'removed';
  readonly at: string;
  readonly news: boolean;
}

/** A digest of the subscription whose messages carry the document (its Read button). */
export interface MentioningDelivery {
  readonly id: number;
  readonly status: 'pending' | 'delivered';
  /** The part that carries it. */
  readonly messageId: string | null;
  readonly postedAt: string | null;
  readonly lastError: string | null;
}

/** Everything the decision looks at, gathered by the adapter (src/digests/explain.ts). */
export interface ExplanationFacts {
  /** Set when the id asked about was merged into this other document. */
  readonly duplicateOf: string | null;
  /** The document's log entries, oldest first. */
  readonly entries: readonly ExplanationLogEntry[];
  /** For a fetched document: its publication date and its source's `maxAgeDays` (when configured). */
  readonly news: { readonly publishedAt: string | null; readonly maxAgeDays: number | null } | null;
  /** Its live source, when it is disabled. */
  readonly disabledSource: { readonly id: string; readonly reason: string } | null;
  readonly subscription: {
    readonly channelId: string;
    readonly status: 'active' | 'paused';
    readonly pausedReason: string | null;
    readonly cursorSeq: number;
    readonly createdAt: string;
    readonly query: string | null;
  };
  /** Digests of this subscription carrying the document, oldest first. */
  readonly deliveries: readonly MentioningDelivery[];
  /**
   * Its place among the items the subscription's next digests would carry, in the order a run
   * takes them (0-based, from the digest selection itself); null when a run would not take it.
   */
  readonly position: number | null;
  /** The subscription's next runs, soonest first (ISO). */
  readonly upcomingRuns: readonly string[];
  /** The topic filter's verdict; null when the subscription has no topic. */
  readonly topic: { readonly matches: boolean; readonly unmatchedWords: readonly string[] } | null;
}

/**
 * Why a document was, will be or was not posted to a subscription. Checked in the order of
 * {@link EXPLANATION_OUTCOMES}: what happened (delivered, pending) before what stops it (paused,
 * source disabled), before what a run would do (next digest, a later one), before why the window
 * passed it (not news, before the subscription, the topic).
 */
export function explainDelivery(facts: ExplanationFacts): DeliveryExplanation {
  if (facts.duplicateOf !== null) return { outcome: 'duplicate', duplicateOf: facts.duplicateOf };
  const { subscription: sub } = facts;
  const delivered = facts.deliveries.find((d) => d.status === 'delivered');
  if (delivered) {
    const { id: deliveryId, postedAt, messageId } = delivered;
    return { outcome: 'delivered', deliveryId, postedAt, messageId, channelId: sub.channelId };
  }
  const pending = facts.deliveries.find((d) => d.status === 'pending');
  if (pending) return { outcome: 'pending', deliveryId: pending.id, lastError: pending.lastError };
  if (sub.status === 'paused') return { outcome: 'paused', pauseReason: sub.pausedReason };
  if (facts.disabledSource) {
    const { id: sourceId, reason: disabledReason } = facts.disabledSource;
    return { outcome: 'source-disabled', sourceId, disabledReason };
  }
  if (facts.position !== null) return scheduled(facts.position, facts.upcomingRuns);
  return passedBy(facts);
}

/** In the next digest, or in the one its place in the queue of items reaches. */
function scheduled(position: number, runs: readonly string[]): DeliveryExplanation {
  const digestsAhead = Math.floor(position / MAX_DIGEST_ITEMS);
  if (digestsAhead === 0) return { outcome: 'will-deliver', nextRunAt: runs[0] ?? null };
  return { outcome: 'over-limit', digestsAhead, followsAt: runs[digestsAhead] ?? null };
}

/** Why a run does not take it: not news, logged before the subscription, or the topic. */
function passedBy(facts: ExplanationFacts): DeliveryExplanation {
  const { subscription: sub, entries } = facts;
  const first = entries.find((e) => e.event === 'new');
  const subscribedAt = sub.createdAt;
  // A subscription starts at the end of the log when it is created: entries up to its first cursor.
  const isBefore = (e: ExplanationLogEntry) =>
    e.seq <= sub.cursorSeq && Date.parse(e.at) <= Date.parse(subscribedAt);
  if (first && !first.news) return { outcome: 'not-news', ...notNewsCause(first, facts.news) };
  if (first && isBefore(first)) {
    // Edited since the subscription began: an edit is never news.
    if (entries.some((e) => e.event === 'updated' && !isBefore(e)))
      return { outcome: 'not-news', cause: 'update', maxAgeDays: null };
    return { outcome: 'before-subscription', ingestedAt: first.at, subscribedAt };
  }
  return { outcome: 'filtered', query: sub.query ?? '', unmatchedWords: facts.topic?.unmatchedWords ?? [] };
}

/**
 * Which of the news rules held a new document back. The log keeps only that it was not news, so
 * the rules are asked again as of its ingestion: too old by the source's `maxAgeDays`, else it
 * came with the source's first fetch (the only other rule).
 */
function notNewsCause(
  entry: ExplanationLogEntry,
  news: ExplanationFacts['news'],
): { cause: NotNewsCause; maxAgeDays: number | null } {
  const maxAgeDays = news?.maxAgeDays ?? null;
  if (news && maxAgeDays !== null) {
    const now = Date.parse(entry.at);
    const answer = decideNews({ publishedAt: news.publishedAt, now, isFirstFetch: false, maxAgeDays });
    if (answer.reason === 'too-old') return { cause: 'too-old', maxAgeDays };
  }
  return { cause: 'first-fetch', maxAgeDays };
}
