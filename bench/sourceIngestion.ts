/**
 * `tsx bench/sourceIngestion.ts [--items 10000] [--json]`: ingestion from live sources, end to end
 * over loopback HTTP. A loopback web server serves feeds (500 items each, the most sources.json
 * allows per fetch) of seeded synthetic articles and one HTML page per item; the real SourceFetcher,
 * PoliteClient (no per-host gap: one host serves every feed here), store and library fetch,
 * extract (Readability), parse, store, log and index them, as the bot does.
 *
 * Reports items per second, the RSS peak while ingesting, and how long a new item takes from
 * appearing in its feed to answering a search (one fetch of its source: feed, page, parse, index);
 * in the bot the source's schedule (`everyMinutes`) adds up to that much waiting before the fetch.
 * Raw MiniSearch indexing the same records in the same process is the side-by-side figure: it is
 * the indexing share of the work, with no fetching, extraction, parsing or storing.
 *
 * Used by bench/run.ts (its last stdout line with --json is a flat JSON object of numbers).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { createLibrary } from '../src/core/library.js';
import type { DocumentRecord } from '../src/core/record.js';
import { PoliteClient } from '../src/sources/politeClient.js';
import { SourceFetcher } from '../src/sources/sourceFetcher.js';
import { parseSourcesFile, type SourceConfig } from '../src/sources/sourcesFile.js';
import { Store } from '../src/store/store.js';
import { mapBounded } from '../src/util/concurrency.js';
import { html, json, LOOPBACK_WEB_NETWORKS, LoopbackWeb, loopbackOnlyLookup } from '../loopback/web.js';
import { generatePage } from './syntheticCorpus.js';

const ITEMS_PER_FEED = 500;
/**
 * The server runs in this process, so it compresses with gzip: its brotli at quality 11 would cost
 * more than everything the client does and count against our side. The client still decompresses.
 */
const GZIP = { encoding: 'gzip' } as const;
const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Article {
  readonly title: string;
  readonly html: string;
  readonly publishedAt: string;
}

/** The k-th synthetic article as a web page, with a dateline, paragraphs and a contact block. */
function article(k: number, count: number, now: number): Article {
  const { truth } = generatePage(k, { count, projectShare: 0 });
  const contact = truth.contacts
    .map(
      (c) =>
        `<p>${escapeHtml(c.name)}<br>${escapeHtml(c.office ?? '')}<br>Email: ${escapeHtml(c.email ?? '')}</p>`,
    )
    .join('');
  const [first = '', ...rest] = truth.paragraphs;
  const lead = truth.country ? `${truth.country} - ${first}` : first;
  const body = [lead, ...rest].map((p) => `<p>${escapeHtml(p)}</p>`).join('');
  return {
    title: truth.title,
    publishedAt: new Date(now - (count - k) * 60_000).toISOString(),
    html:
      `<!doctype html><html><head><title>${escapeHtml(truth.title)}</title><script>track()</script></head>` +
      `<body><nav>Home News About</nav><article><h1>${escapeHtml(truth.title)}</h1>${body}` +
      (contact ? `<p>For more information, please contact</p>${contact}` : '') +
      `</article><footer>© the publisher</footer></body></html>`,
  };
}

function feedOf(web: LoopbackWeb, items: readonly { k: number; a: Article }[]) {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Synthetic migration news',
    items: items.map(({ k, a }) => ({
      id: `item-${k}`,
      url: web.url(`/news/${k}`),
      title: a.title,
      date_published: a.publishedAt,
      summary: a.title,
    })),
  };
}

export interface IngestionResult {
  readonly items: number;
  readonly sources: number;
  readonly ingestSeconds: number;
  readonly itemsPerSecond: number;
  readonly documents: number;
  readonly peakRssMb: number;
  readonly rssBeforeMb: number;
  readonly newItemToSearchableMs: number;
  readonly rawMiniSearchIndexSeconds: number;
  readonly rawMiniSearchItemsPerSecond: number;
}

export async function runSourceIngestion(items: number): Promise<IngestionResult> {
  const now = Date.now();
  const feeds = Math.ceil(items / ITEMS_PER_FEED);
  const web = await LoopbackWeb.start({});
  const articles: Article[] = [];
  for (let k = 0; k < items; k++) {
    const a = article(k, items + 1, now);
    articles.push(a);
    web.route(`/news/${k}`, html(a.html, GZIP));
  }
  const itemsOf = (f: number) =>
    articles
      .slice(f * ITEMS_PER_FEED, (f + 1) * ITEMS_PER_FEED)
      .map((a, j) => ({ k: f * ITEMS_PER_FEED + j, a }));
  for (let f = 0; f < feeds; f++)
    web.route(`/feed-${f}.json`, json(feedOf(web, itemsOf(f)), { ...GZIP, etag: '"v1"' }));
  const { sources } = parseSourcesFile({
    sources: Array.from({ length: feeds }, (_, f) => ({
      id: `feed-${f}`,
      type: 'feed',
      url: web.url(`/feed-${f}.json`),
      maxItems: ITEMS_PER_FEED,
      maxAgeDays: 3650,
    })),
  });

  const dataDir = mkdtempSync(path.join(tmpdir(), 'mnb-bench-sources-'));
  const store = await Store.open(dataDir);
  const library = createLibrary([]);
  const client = new PoliteClient({
    userAgent: 'migration-news-bot/bench',
    minGapMs: 0,
    lookup: loopbackOnlyLookup,
    allowNetworks: LOOPBACK_WEB_NETWORKS,
  });
  const fetcher = new SourceFetcher({ store, client, library });
  let peakRss = process.memoryUsage.rss();
  const rssBefore = peakRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  try {
    const started = performance.now();
    const reports = await mapBounded(sources, 3, (source: SourceConfig) => fetcher.fetch(source));
    const ingestSeconds = (performance.now() - started) / 1000;
    const failed = reports.filter((r) => r.status !== 'ok');
    if (failed.length > 0)
      throw new Error(`sources failed: ${failed.map((r) => `${r.id}: ${r.error}`).join('; ')}`);
    const documents = library.stats().documents;

    // A new item appears at the top of one feed: one fetch of that source, then a search finds it.
    const fresh = article(items, items + 1, now + 60_000);
    web.route(`/news/${items}`, html(fresh.html, GZIP));
    web.route(
      '/feed-0.json',
      json(feedOf(web, [{ k: items, a: fresh }, ...itemsOf(0)]), { ...GZIP, etag: '"v2"' }),
    );
    const appeared = performance.now();
    const report = await fetcher.fetch(sources[0] as SourceConfig);
    const freshId = report.changed[0]?.id;
    const found = freshId !== undefined && library.matchIds(`"${fresh.title}"`).includes(freshId);
    const newItemToSearchableMs = performance.now() - appeared;
    if (!found) throw new Error('the new item was not searchable after its source was fetched');

    // Raw MiniSearch over the same records: the indexing share alone.
    const records: DocumentRecord[] = library.documents().map((meta) => library.getDocument(meta.id));
    const rawStarted = performance.now();
    const raw = new MiniSearch<{ id: string; title: string; text: string }>({ fields: ['title', 'text'] });
    raw.addAll(records.map((r) => ({ id: r.id, title: r.title, text: r.paragraphs.join('\n') })));
    const rawMiniSearchIndexSeconds = (performance.now() - rawStarted) / 1000;

    return {
      items,
      sources: feeds,
      ingestSeconds,
      itemsPerSecond: items / ingestSeconds,
      documents,
      peakRssMb: peakRss / 2 ** 20,
      rssBeforeMb: rssBefore / 2 ** 20,
      newItemToSearchableMs,
      rawMiniSearchIndexSeconds,
      rawMiniSearchItemsPerSecond: records.length / rawMiniSearchIndexSeconds,
    };
  } finally {
    clearInterval(sampler);
    await store.close();
    await web.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--items');
  const items = at >= 0 ? Number(args[at + 1]) : 10_000;
  if (!Number.isInteger(items) || items < 1) throw new Error('--items must be a whole number of at least 1');
  const result = await runSourceIngestion(items);
  process.stdout.write(
    args.includes('--json') ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`,
  );
}
