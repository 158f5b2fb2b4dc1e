import { itemToRecord } from '../../src/core/sources/itemRecord.js';
import type { DocumentRecord } from '../../src/core/record.js';
import type { SourceItem } from '../../src/core/sources/sourceItem.js';
import type { WebDocument } from '../../src/store/store.js';

/** A fetched item as a connector would hand it over; override what the test is about. */
export function sourceItem(fields: Partial<SourceItem> & Pick<SourceItem, 'sourceId' | 'title'>): SourceItem {
  return {
    guid: null,
    url: null,
    alternateUrls: [],
    publishedAt: null,
    updatedAt: null,
    summary: null,
    text: '',
    tag: null,
    country: null,
    ...fields,
  };
}

/** The record the live pipeline stores for an item (itemToRecord), or a thrown error naming why not. */
export function fetchedRecord(fields: Parameters<typeof sourceItem>[0]): DocumentRecord {
  const result = itemToRecord(sourceItem(fields));
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

/** A fetched record as the store keeps it (seen 29 November 2026, no text fingerprint). */
export function storedDocument(record: DocumentRecord): WebDocument {
  return {
    record,
    sourceId: record.sourceId!,
    firstSeenAt: '2026-11-29T12:00:00Z',
    updatedAt: '2026-11-29T12:00:00Z',
    fingerprint: { signature: [], shingles: 0 },
  };
}
