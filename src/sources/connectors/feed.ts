import { parseFeed } from 'feedsmith';
import { err, ok, type Result } from '../../core/errors.js';
import { sanitizeLine } from '../../core/sources/sanitizeText.js';
import type { SourceItem } from '../../core/sources/sourceItem.js';
import type { FeedSource } from '../sourcesFile.js';
import { WebError, type WebClient } from '../webClient.js';
import { extractArticle } from './articlePage.js';
import {
  toIsoDate,
  type LinkedItem,
  type PageFailure,
  type SourceFetchOutcome,
  type Validators,
} from './fetchOutcome.js';
import { htmlToText } from './html.js';

/** The format-neutral fields of one feed entry, before sanitizing. */
interface RawEntry {
  guid?: string | undefined;
  link?: string | undefined;
  title?: string | undefined;
  published?: string | undefined;
  updated?: string | undefined;
  summary?: string | undefined;
  content?: string | undefined;
  /** The entry's declared language, else its feed's. */
  language?: string | undefined;
}

/** Resolves a link against the feed's URL; null when it is not an http(s) address. */
function absolute(link: string | undefined, base: string): string | null {
  if (!link) return null;
  try {
    const url = new URL(link.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

function readEntries(text: string): RawEntry[] {
  const { format, feed } = parseFeed(text);
  switch (format) {
    case 'rss': {
      const language = feed.language ?? feed.dc?.languages?.[0];
      return (feed.items ?? []).map((i) => ({
        language: i.dc?.languages?.[0] ?? language,
        guid: i.guid?.value,
        link: i.link,
        title: i.title,
        published: i.pubDate ?? i.dc?.dates?.[0],
        updated: i.atom?.updated,
        summary: i.description,
        content: i.content?.encoded,
      }));
    }
    case 'atom':
      return (feed.entries ?? []).map((e) => ({
        language: e.xml?.lang ?? feed.xml?.lang,
        guid: e.id,
        link: (e.links ?? []).find((l) => !l.rel || l.rel === 'alternate')?.href,
        title: e.title?.value,
        published: e.published ?? e.updated,
        updated: e.updated,
        summary: e.summary?.value,
        content: e.content?.value,
      }));
    case 'rdf':
      return (feed.items ?? []).map((i) => ({
        language: i.dc?.languages?.[0] ?? feed.dc?.languages?.[0],
        guid: i.rdf?.about,
        link: i.link,
        title: i.title,
        published: i.dc?.dates?.[0],
        summary: i.description,
        content: i.content?.encoded,
      }));
    case 'json':
      return (feed.items ?? []).map((i) => ({
        language: i.language ?? feed.language,
        guid: i.id,
        link: i.url ?? i.external_url,
        title: i.title,
        published: i.date_published ?? i.date_modified,
        updated: i.date_modified,
        summary: i.summary,
        content: i.content_html ?? (i.content_text !== undefined ? escapeText(i.content_text) : undefined),
      }));
  }
}

/** Plain text made safe to read as HTML (JSON Feed's content_text goes through the same path). */
const escapeText = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .split(/\n\s*\n|\n/)
    .map((p) => `<p>${p}</p>`)
    .join('');

/**
 * Reads an RSS 2.0, Atom, RDF or JSON feed (feedsmith, never regular expressions on XML) into
 * items: guid, link (absolute), title, dates, summary and content as plain text, every string
 * sanitized. Entries without a title or a link/guid are skipped. At most `maxItems` items, in feed
 * order. A document that is not a feed gives an error saying so. Pure.
 */
export function parseFeedItems(
  text: string,
  sourceId: string,
  feedUrl: string,
  maxItems = Number.POSITIVE_INFINITY,
): Result<SourceItem[]> {
  let entries: RawEntry[];
  try {
    entries = readEntries(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return err(`not a readable RSS, Atom, RDF or JSON feed (${message})`);
  }
  const items: SourceItem[] = [];
  for (const entry of entries) {
    if (items.length >= maxItems) break;
    const title = sanitizeLine(htmlToText(entry.title ?? ''));
    const url = absolute(entry.link, feedUrl) ?? absolute(entry.guid, feedUrl);
    const guid = entry.guid !== undefined && entry.guid.trim() !== '' ? sanitizeLine(entry.guid) : null;
    if (title === '' || (url === null && guid === null)) continue;
    const summary = entry.summary ? htmlToText(entry.summary) : '';
    const content = entry.content ? htmlToText(entry.content) : '';
    items.push({
      sourceId,
      guid,
      url,
      alternateUrls: [],
      title,
      publishedAt: toIsoDate(entry.published),
      updatedAt: toIsoDate(entry.updated),
      summary: summary || null,
      text: content || summary,
      tag: null,
      country: null,
      language: entry.language ?? null,
    });
  }
  return ok(items);
}

/** What reading an item's page gave: the item (with the page's text when read) and what went wrong. */
export interface ArticleAttempt {
  readonly item: LinkedItem;
  /** A line for the log when the page could not be read. */
  readonly problem: string | null;
  /** Set when the failure may heal (timeout, network, 5xx, 408, 429): try the page again later. */
  readonly retryError: string | null;
}

/**
 * Failures worth another try. A refusal by policy (robots.txt, a 4xx, a body over the cap, a
 * redirect loop, a refused address) will say the same next time: the item keeps the feed's text.
 */
function mayHeal(error: WebError): boolean {
  if (error.kind === 'timeout' || error.kind === 'network' || error.kind === 'rate-limited') return true;
  return error.kind === 'http' && error.status !== null && (error.status >= 500 || error.status === 408);
}

/**
 * Fetches an item's page and puts its extracted text in place of the feed's. A page that cannot
 * be fetched or read leaves the item with its feed text and a problem line; `retryError` says
 * whether another try may do better. Throws only what is not a WebError (a bug).
 */
export async function readArticlePage(client: WebClient, item: LinkedItem): Promise<ArticleAttempt> {
  try {
    const page = await client.fetch({ url: item.url, headers: { Accept: 'text/html' } });
    if (page.kind !== 'ok') return { item, problem: null, retryError: null };
    const article = extractArticle(page.body, page.url);
    if (article === null)
      return {
        item,
        problem: `${item.url}: no article text found; kept the feed's summary`,
        retryError: null,
      };
    const alternateUrls = page.url !== item.url ? [page.url] : [];
    // The page says what its own text is in; the feed's declaration is the fallback.
    const language = article.language ?? item.language;
    return {
      item: { ...item, text: article.text, alternateUrls, language },
      problem: null,
      retryError: null,
    };
  } catch (error) {
    if (!(error instanceof WebError)) throw error;
    // A WebError names the URL already.
    const problem = `${error.message}; kept the feed's summary`;
    return { item, problem, retryError: mayHeal(error) ? error.message : null };
  }
}

/**
 * Fetches a feed (conditional on `validators`) and, with `fetchArticles`, each item's page, whose
 * extracted text replaces the feed's (see readArticlePage). Pages that failed in a way that may
 * heal are listed in `retryPages`, their items kept with the feed's text. Throws WebError when the
 * feed itself cannot be fetched, and an Error with a clear message when it is not a feed.
 */
export async function fetchFeedSource(
  client: WebClient,
  source: FeedSource,
  validators: Validators,
  options: {
    /**
     * Entries already stored exactly as the feed shows them now: their pages are not fetched again
     * (a feed lists the same items for days) and they are left out of the outcome.
     */
    readonly isUnchanged?: (item: SourceItem) => boolean | Promise<boolean>;
  } = {},
): Promise<SourceFetchOutcome> {
  const response = await client.fetch({
    url: source.url,
    headers: {
      Accept:
        'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5',
    },
    etag: validators.etag,
    lastModified: validators.lastModified,
  });
  if (response.kind === 'not-modified') return { kind: 'not-modified' };
  const parsed = parseFeedItems(response.body, source.id, response.url, source.maxItems);
  if (!parsed.ok) throw new Error(`${source.id}: ${source.url}: ${parsed.error}`);
  const problems: string[] = [];
  const items: SourceItem[] = [];
  const retryPages: PageFailure[] = [];
  let skipped = 0;
  for (const item of parsed.value) {
    if (await options.isUnchanged?.(item)) {
      skipped++;
      continue;
    }
    if (!source.fetchArticles || item.url === null) {
      items.push(item);
      continue;
    }
    const attempt = await readArticlePage(client, { ...item, url: item.url });
    items.push(attempt.item);
    if (attempt.problem !== null) problems.push(attempt.problem);
    if (attempt.retryError !== null) retryPages.push({ item: attempt.item, error: attempt.retryError });
  }
  return {
    kind: 'ok',
    items,
    validators: { etag: response.etag, lastModified: response.lastModified },
    problems,
    skipped,
    retryPages,
  };
}
