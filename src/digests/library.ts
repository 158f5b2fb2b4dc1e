import { createLibrary } from '../core/library.js';
import type { DocumentRecord } from '../core/record.js';
import { MAX_PAGE_SIZE } from '../core/search/searchIndex.js';
import type { DigestLibrary } from './deliver.js';

/**
 * The ids among `records` that a topic query matches, by the search core's own rules (folding,
 * stemming, typo tolerance, phrases), with every word required: the library's any-word fallback
 * is not a match, a digest filter must not loosen itself. The query runs over a small library of
 * just the digest's candidates, so the cost follows the digest's size, not the corpus'. Throws
 * the search core's UserError for a query it cannot run (empty, too long).
 */
export function matchTopic(query: string, records: readonly DocumentRecord[]): Set<string> {
  const library = createLibrary(records);
  const ids = new Set<string>();
  for (let page = 1; ; page++) {
    const result = library.search(query, { page, pageSize: MAX_PAGE_SIZE });
    if (!result.matchedAll) break;
    for (const hit of result.results) ids.add(hit.id);
    if (page >= result.pages) break;
  }
  return ids;
}

/** Digests over the bot's documents (any lookup: the core library, the Discord port). */
export function digestLibrary(document: (id: string) => DocumentRecord | undefined): DigestLibrary {
  return { document, matching: matchTopic };
}
