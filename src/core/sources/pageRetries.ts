/**
 * Article pages that failed for a reason that may heal (a timeout, a 5xx, a reset), remembered per
 * item so that the feed's validators can still be kept: the next fetch retries just those pages,
 * even when the feed answers 304. A page refused by policy (robots.txt, a 4xx, a body too large)
 * is settled instead: its item keeps the feed's text and nothing is retried. Pure: `now` is an
 * argument (epoch milliseconds).
 */
import { backoffMs } from './fetchPolicy.js';
import type { SourceItem } from './sourceItem.js';

/** Attempts of one page before its item keeps the feed's text for good (5, 10, 20, 40 min apart). */
export const MAX_PAGE_ATTEMPTS = 5;

/** One item whose page is still to be read. */
export interface PageRetry {
  /** The item as the feed showed it (stored with the feed's text meanwhile). */
  readonly item: SourceItem & { readonly url: string };
  /** The page's address (the item's link). */
  readonly url: string;
  /** Failed attempts so far (1 after the first). */
  readonly attempts: number;
  readonly lastError: string;
  /** ISO 8601: not retried before this. */
  readonly nextRetryAt: string;
}

/**
 * The retry after another failure of `item`'s page (`previous` when it had failed before), or
 * null when it has now failed {@link MAX_PAGE_ATTEMPTS} times: give up, keep the feed's text.
 */
export function pageFailed(
  item: SourceItem & { readonly url: string },
  error: string,
  previous: PageRetry | undefined,
  now: number,
): PageRetry | null {
  const attempts = (previous?.attempts ?? 0) + 1;
  if (attempts >= MAX_PAGE_ATTEMPTS) return null;
  return {
    item,
    url: item.url,
    attempts,
    lastError: error,
    nextRetryAt: new Date(now + backoffMs(attempts)).toISOString(),
  };
}

/** Whether a remembered page is due for another try at `now`. */
export const isRetryDue = (retry: PageRetry, now: number): boolean => Date.parse(retry.nextRetryAt) <= now;
