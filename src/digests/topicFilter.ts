import { createLibrary, type Library } from '../core/library.js';
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

/** What the topic filter uses of the bot's library, when it has one. */
export type TopicIndex = Pick<Library, 'has' | 'matchIds' | 'documentCount'>;

/**
 * Building a small library costs about 200 times more per document than querying the bot's whole
 * index does per indexed document, so past this share of the corpus the whole index is asked.
 */
const INDEX_SHARE = 1 / 200;

/**
 * Digests over the bot's documents, looked up by id. With `index` (the bot's library), many
 * candidates at once (a subscription paused for weeks) are filtered by one query on that index
 * instead of by a library built over them; candidates it does not hold (fetched by another
 * process, not yet followed here) still get a small library of their own. A match is a property
 * of the document alone, so both ways agree (test/digests/topicFilter.test.ts).
 */
export function digestLibrary(
  document: (id: string) => DocumentRecord | undefined,
  index?: TopicIndex,
): DigestLibrary {
  return {
    document,
    matching(query, records) {
      if (!index || records.length < index.documentCount * INDEX_SHARE) return matchTopic(query, records);
      // Candidates were looked up in this same library, so one it holds is its own record.
      const indexed = records.filter((r) => index.has(r.id));
      const others = records.filter((r) => !index.has(r.id));
      const hits = new Set(index.matchIds(query));
      const ids = new Set(indexed.filter((r) => hits.has(r.id)).map((r) => r.id));
      if (others.length > 0) for (const id of matchTopic(query, others)) ids.add(id);
      return ids;
    },
  };
}
