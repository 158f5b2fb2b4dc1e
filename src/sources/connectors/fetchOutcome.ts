import type { SourceItem } from '../../core/sources/sourceItem.js';

/** HTTP validators kept between fetches and sent back (If-None-Match / If-Modified-Since). */
export interface Validators {
  readonly etag: string | null;
  readonly lastModified: string | null;
}

export const NO_VALIDATORS: Validators = { etag: null, lastModified: null };

/** An item with a link: one whose page can be fetched. */
export type LinkedItem = SourceItem & { readonly url: string };

/** An item whose page failed in a way that may heal (its item is in `items` with the feed's text). */
export interface PageFailure {
  readonly item: LinkedItem;
  readonly error: string;
}

/**
 * What one fetch of a source gave: nothing new (304), or its items with the new validators.
 * `problems` are per-item failures that did not fail the source (an article page that could not be
 * fetched: the item keeps its feed summary), one line each, for the log.
 */
export type SourceFetchOutcome =
  | { readonly kind: 'not-modified' }
  | {
      readonly kind: 'ok';
      readonly items: readonly SourceItem[];
      readonly validators: Validators;
      readonly problems: readonly string[];
      /** Items left out because they are stored exactly as the source shows them now. */
      readonly skipped?: number;
      /** Pages to try again at a later fetch (feeds: the validators are kept all the same). */
      readonly retryPages?: readonly PageFailure[];
    };

/** A date as ISO 8601 (UTC), or null when absent or unreadable. */
export function toIsoDate(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const time = value instanceof Date ? value.getTime() : Date.parse(value.trim());
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
