import { createLibrary } from '../core/library.js';
import type { DocumentRecord } from '../core/record.js';
import type { DigestLibrary } from './deliver.js';

/**
 * The ids among `records` that a topic query matches, by the search core's own rules (folding,
 * stemming, typo tolerance, phrases), with every word required: the library's any-word fallback
 * is not a match, a digest filter must not loosen itself. The query runs over a small library of
 * just the digest's candidates, so the cost follows the digest's size, not the corpus'. Throws
 * the search core's UserError for a query it cannot run (empty, too long).
 */
export function matchTopic(query: string, records: readonly DocumentRecord[]): Set<string> {
  return new Set(createLibrary(records).matchIds(query));
}

/** Digests over the bot's documents, looked up by id. */
export function digestLibrary(document: (id: string) => DocumentRecord | undefined): DigestLibrary {
  return { document, matching: matchTopic };
}
