import { itemToRecord } from '../../src/core/sources/itemRecord.js';
import type { DocumentRecord } from '../../src/core/record.js';
import type { SourceItem } from '../../src/core/sources/sourceItem.js';
import type { WebDocument } from '../../src/store/store.js';
import { parseIomPage } from '../../src/sources/connectors/iom.js';
import { webFixture } from '../sources/webFixtures.js';

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

/** The three language versions of one IOM release (test/fixtures/web/translations/README.md). */
export const NADOR_MELILLA = {
  en: 'https://www.iom.int/news/iom-and-unhcr-deplore-loss-life-nador-melilla-crossing',
  fr: 'https://www.iom.int/fr/news/loim-et-le-hcr-deplorent-les-pertes-en-vies-humaines-au-point-de-passage-de-nador-melilla',
  it: 'https://italy.iom.int/it/news/oim-e-unhcr-deplorano-la-perdita-di-vite-al-confine-tra-nador-e-melilla',
} as const;

/** A fixture page of the release read by the IOM connector, as the item it hands over. */
export function nadorMelillaItem(language: keyof typeof NADOR_MELILLA): SourceItem {
  const url = NADOR_MELILLA[language];
  const page = parseIomPage(webFixture(`translations/nador-melilla-${language}.html`), url);
  if (!page) throw new Error(`no page in nador-melilla-${language}.html`);
  return sourceItem({
    sourceId: 'iom-press',
    url,
    title: page.title,
    text: page.text,
    language: page.language,
    translations: page.translations,
    publishedAt: '2022-06-25T00:00:00.000Z',
  });
}
