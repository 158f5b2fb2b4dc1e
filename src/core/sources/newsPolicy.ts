/**
 * Whether a document seen for the first time is news (goes into digests) or only indexed. Feed bots
 * are disliked most for floods of old items when a feed is added and for edits re-posted as news:
 * this is where both are prevented (edits never reach here: a known document is an update).
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** On a source's first fetch, only items published this recently are news. */
export const FIRST_FETCH_NEWS_WINDOW_MS = DAY_MS;

export interface NewsQuestion {
  /** ISO 8601 publication date from the source, or null when it gave none. */
  readonly publishedAt: string | null;
  /** Epoch ms now (also the first time the item is seen). */
  readonly now: number;
  /** True while the source has never been fetched successfully. */
  readonly isFirstFetch: boolean;
  /** The source's `maxAgeDays`: older items are never news. */
  readonly maxAgeDays: number;
}

export interface NewsAnswer {
  readonly isNews: boolean;
  /** The date the item counts from: its publication date, clamped to `now` when in the future. */
  readonly effectiveAt: number;
  /** Why it is not news, for logs and tests; null when it is. */
  readonly reason: 'first-fetch' | 'too-old' | null;
}

/**
 * Decides news for a new document:
 * - an item without a date counts from when it is first seen (now); on a source's first fetch an
 *   undated item is not news, since nothing says it is recent;
 * - a date in the future counts as now (a wrong clock or a scheduled post must not stay on top);
 * - older than `maxAgeDays`: never news;
 * - on a source's first fetch, only what was published in the last 24 hours is news.
 */
export function decideNews(question: NewsQuestion): NewsAnswer {
  const { now } = question;
  const parsed = question.publishedAt === null ? Number.NaN : Date.parse(question.publishedAt);
  const isDated = Number.isFinite(parsed);
  const effectiveAt = isDated ? Math.min(parsed, now) : now;
  const age = now - effectiveAt;
  if (age > question.maxAgeDays * DAY_MS) return { isNews: false, effectiveAt, reason: 'too-old' };
  if (question.isFirstFetch && (!isDated || age > FIRST_FETCH_NEWS_WINDOW_MS)) {
    return { isNews: false, effectiveAt, reason: 'first-fetch' };
  }
  return { isNews: true, effectiveAt, reason: null };
}
