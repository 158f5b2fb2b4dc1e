import type { LibraryPort } from '../discord/library.js';
import type { DigestLibrary } from './deliver.js';

/** Results per page read to decide which documents match a topic (all pages are read). */
const PAGE_SIZE = 1000;

/**
 * Digests over the bot's search library: a topic matches the documents the search finds with every
 * word (the library's any-word fallback is not a match: a digest filter must not loosen itself).
 */
export function digestLibrary(library: Pick<LibraryPort, 'document' | 'search'>): DigestLibrary {
  return {
    document: (id) => library.document(id),
    matcher(query) {
      const ids = new Set<string>();
      for (let page = 1; ; page++) {
        const result = library.search(query, { page, pageSize: PAGE_SIZE });
        if (result.anyWord) break;
        for (const hit of result.results) ids.add(hit.id);
        if (page >= result.pages) break;
      }
      return (record) => ids.has(record.id);
    },
  };
}
