/**
 * The fetched share of a synthetic corpus: documents the live sources would have brought in, with
 * `url`, `urls`, `publishedAt` and `sourceId`, kept in the bot's SQLite store rather than in raw/.
 *
 * A seeded roll per page index decides whether page `i` of a corpus is a file in raw/ or a fetched
 * document; a fetched one is the same generated page turned into a feed item and converted by the
 * real `itemToRecord`, then stored the way the source fetcher stores a new item (`webDocuments.put`
 * with its keys and fingerprint, plus a `new` entry in the ingestion log). Publication dates are
 * seeded over the two years before {@link BENCH_NOW}, the benchmark's fixed clock, so `since 30d`
 * means the same documents on every run.
 */
import type { DocumentRecord } from '../src/core/record.js';
import { fingerprintText } from '../src/core/sources/nearDuplicate.js';
import { itemEntryKey, itemToRecord } from '../src/core/sources/itemRecord.js';
import type { SourceItem } from '../src/core/sources/sourceItem.js';
import type { Store } from '../src/store/store.js';
import { mulberry32 } from '../src/util/random.js';
import { generatePage, type CorpusOptions } from './syntheticCorpus.js';

/** The benchmark's clock: publication dates lie before it, and `since 30d` is read against it. */
export const BENCH_NOW = new Date('2026-06-01T00:00:00.000Z');
/** Share of a corpus's documents that are fetched (stored in SQLite) rather than files in raw/. */
export const DEFAULT_WEB_SHARE = 0.3;
/** How far back publication dates go. */
const SPAN_MS = 730 * 24 * 3_600_000;
/** Share of fetched documents whose feed gave no date (they sort last and drop out of `since`). */
const UNDATED_SHARE = 0.02;

/** The live sources a synthetic fetched document claims to come from, with their sites. */
const SOURCES = [
  { id: 'iom-news', site: 'https://www.iom.int/news/' },
  { id: 'reliefweb', site: 'https://reliefweb.int/report/' },
  { id: 'un-news', site: 'https://news.un.org/en/story/' },
  { id: 'infomigrants', site: 'https://www.infomigrants.net/en/post/' },
] as const;

/** Page `index`'s own stream for the web share (independent of the page's text stream). */
function webRng(seed: number, index: number): () => number {
  return mulberry32((Math.imul(seed | 0, 0x27d4eb2d) ^ Math.imul(index + 1, 0x165667b1)) >>> 0);
}

/** Whether page `index` of a corpus is a fetched document (true for about `share` of them). */
export function isWebPage(index: number, seed: number, share = DEFAULT_WEB_SHARE): boolean {
  return webRng(seed, index)() < share;
}

/**
 * Page `index` as the feed item a live source would give for it: its title, its body after the
 * title (dateline, paragraphs, contact block or project fields), a link on the source's site and a
 * publication date within the two years before BENCH_NOW (a few have none).
 */
export function webItem(index: number, options: CorpusOptions): SourceItem {
  const seed = options.seed ?? 1;
  const next = webRng(seed, index);
  next(); // the web-or-file roll
  const dateRoll = next();
  const source = SOURCES[Math.floor(next() * SOURCES.length)] ?? SOURCES[0];
  const page = generatePage(index, options);
  const lines = page.text.split('\n');
  // Line 0 is the site navigation, then the title on one line or two.
  const body = lines.slice(page.truth.layout.titleWrapped ? 3 : 2).join('\n');
  const slug = page.truth.id.replace(/^\d+_/, '');
  const publishedAt =
    dateRoll < UNDATED_SHARE
      ? null
      : new Date(
          BENCH_NOW.getTime() - Math.floor(((dateRoll - UNDATED_SHARE) / (1 - UNDATED_SHARE)) * SPAN_MS),
        ).toISOString();
  return {
    sourceId: source.id,
    guid: `${source.id}-${seed}-${index}`,
    url: `${source.site}${slug}`,
    alternateUrls: [],
    title: page.truth.title,
    publishedAt,
    updatedAt: null,
    summary: null,
    text: body,
    tag: page.truth.kind === 'project' ? 'Project' : 'Press Release',
    country: page.truth.country,
  };
}

/** Page `index` as the record the source fetcher would store (the real itemToRecord). */
export function webRecord(
  index: number,
  options: CorpusOptions,
): { item: SourceItem; record: DocumentRecord } {
  const item = webItem(index, options);
  const converted = itemToRecord(item);
  if (!converted.ok) throw new Error(`web page ${index}: ${converted.error}`);
  return { item, record: converted.value };
}

/**
 * Stores fetched documents as SourceFetcher.ingest stores a new item: the record with its keys
 * (item id, canonical URLs, the entry key) and text fingerprint, and a `new` entry in the ingestion
 * log. The fetcher commits each item on its own; here a batch shares one transaction, which changes
 * the time it takes to write, not the rows written.
 */
export async function storeWebDocuments(
  store: Store,
  fetched: ReadonlyArray<{ item: SourceItem; record: DocumentRecord }>,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await store.transaction(async (tx) => {
    for (const { item, record } of fetched) {
      const keys = [
        `item:${record.id}`,
        ...(record.urls ?? []).map((url) => `url:${url}`),
        itemEntryKey(item),
      ];
      await tx.webDocuments.put(
        {
          record,
          sourceId: item.sourceId,
          firstSeenAt: at,
          updatedAt: at,
          fingerprint: fingerprintText(record.paragraphs.join('\n')),
        },
        keys,
      );
      await tx.log.append(
        [{ docId: record.id, contentHash: record.contentHash, kind: record.kind, event: 'new', news: false }],
        now,
      );
    }
  });
}

/**
 * Writes the fetched share of a corpus of `options.count` pages into `store`, a batch at a time so
 * memory stays flat. Returns how many documents were stored. `onProgress(done)` every 5,000.
 */
export async function writeWebCorpus(
  store: Store,
  options: CorpusOptions,
  share = DEFAULT_WEB_SHARE,
  onProgress?: (done: number) => void,
  /** Pages that are something else (the multilingual share): never fetched documents. */
  isTaken: (index: number) => boolean = () => false,
): Promise<number> {
  const seed = options.seed ?? 1;
  let batch: Array<{ item: SourceItem; record: DocumentRecord }> = [];
  let done = 0;
  for (let index = 0; index < options.count; index++) {
    if (!isWebPage(index, seed, share) || isTaken(index)) continue;
    batch.push(webRecord(index, options));
    if (batch.length === 1000) {
      await storeWebDocuments(store, batch, BENCH_NOW);
      done += batch.length;
      batch = [];
      if (done % 5000 === 0) onProgress?.(done);
    }
  }
  await storeWebDocuments(store, batch, BENCH_NOW);
  return done + batch.length;
}
