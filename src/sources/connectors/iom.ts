import { canonicalUrl } from '../../core/sources/canonicalUrl.js';
import { sanitizeLine } from '../../core/sources/sanitizeText.js';
import type { SourceItem } from '../../core/sources/sourceItem.js';
import type { IomSource } from '../sourcesFile.js';
import { WebError, type WebClient } from '../webClient.js';
import { NO_VALIDATORS, toIsoDate, type SourceFetchOutcome, type Validators } from './fetchOutcome.js';
import {
  alternateLanguages,
  blockText,
  declaredLanguage,
  parseHtmlDocument,
  removeInert,
  type HtmlElement,
} from './html.js';

/** Cards per listing page on iom.int. */
export const IOM_CARDS_PER_PAGE = 12;
const TITLE_SUFFIX = /\s*\|\s*International Organization for Migration\s*$/i;

/** One card of the listing. */
export interface IomCard {
  /** Absolute link to the page (canonical but for its scheme: see cardUrl). */
  readonly url: string;
  readonly title: string;
  /** The card's tag, e.g. "Press Release". */
  readonly tag: string | null;
  /** ISO 8601 (midnight UTC of the printed day), or null. */
  readonly publishedAt: string | null;
}

/** The listing's page `page` (0 = newest): `<url>&page=N`, as the site pages it. */
export function iomListingUrl(listingUrl: string, page: number): string {
  return page === 0 ? listingUrl : `${listingUrl}${listingUrl.includes('?') ? '&' : '?'}page=${page}`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "10 June 2025", "June 10, 2025", "10 Jun 2025" or ISO: midnight UTC of that day, or null. */
export function parseIomDate(value: string | null): string | null {
  if (value === null) return null;
  const text = sanitizeLine(value);
  const dayFirst = /^(\d{1,2})\s+([A-Za-z]{3,})\.?,?\s+(\d{4})$/.exec(text);
  const monthFirst = /^([A-Za-z]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(text);
  const [day, month, year] = dayFirst
    ? [dayFirst[1], dayFirst[2], dayFirst[3]]
    : monthFirst
      ? [monthFirst[2], monthFirst[1], monthFirst[3]]
      : [undefined, undefined, undefined];
  if (day !== undefined && month !== undefined && year !== undefined) {
    const m = MONTHS.indexOf(month.slice(0, 3).toLowerCase());
    if (m < 0) return null;
    const date = new Date(Date.UTC(Number(year), m, Number(day)));
    return date.getUTCDate() === Number(day) ? date.toISOString() : null;
  }
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? toIsoDate(text) : null;
}

/**
 * A card's link without tracking parameters, fragment or trailing slash, but with the scheme it was
 * linked with: it is fetched, and an http-only site does not answer https (identity is canonical
 * later anyway, in the record's URLs).
 */
function cardUrl(href: string, pageUrl: string): string | null {
  const canonical = canonicalUrl(href, pageUrl);
  if (canonical === null) return null;
  return new URL(href, pageUrl).protocol === 'http:' ? canonical.replace(/^https:/, 'http:') : canonical;
}

const textOf = (element: HtmlElement | null) => (element ? sanitizeLine(blockText(element)) : '');

/**
 * Reads a listing page: a card is the parent of `div.article-detail`, its link the first
 * `a[href]` (resolved against `pageUrl`), title `h5.title`, tag `div.tag`, date `div.date`. Cards
 * without a link or a title are skipped. Pure.
 */
export function parseIomListing(html: string, pageUrl: string): IomCard[] {
  const document = parseHtmlDocument(html);
  removeInert(document);
  const cards: IomCard[] = [];
  const seen = new Set<string>();
  for (const detail of Array.from(document.querySelectorAll('div.article-detail'))) {
    const card = detail.parentElement;
    if (!card) continue;
    const href = card.querySelector('a[href]')?.getAttribute('href');
    const url = href ? cardUrl(href, pageUrl) : null;
    const title = textOf(card.querySelector('h5.title'));
    if (url === null || title === '' || seen.has(url)) continue;
    seen.add(url);
    cards.push({
      url,
      title,
      tag: textOf(card.querySelector('div.tag')) || null,
      publishedAt: parseIomDate(textOf(card.querySelector('div.date')) || null),
    });
  }
  return cards;
}

/** A press release or project page, as text in the scraped pages' form. */
export interface IomPage {
  /** The page's title, without `| International Organization for Migration`. */
  readonly title: string;
  /** Body lines after the title: project fields (`-`, label, value), then paragraphs and contacts. */
  readonly text: string;
  readonly kind: 'press-release' | 'project';
  /** The language the page declares (`<html lang>`, `og:locale`), or null. */
  readonly language: string | null;
  /** Its other language versions (`<link rel="alternate" hreflang>`), as written. */
  readonly translations: readonly { readonly language: string; readonly url: string }[];
}

/**
 * Reads a press release (`div.narrow-content div.field--type-text-with-summary`) or a project
 * page (`/project/<slug>`: `div.field` label/item pairs, then the description) into the text the
 * existing parser reads. Null when the page has neither. Pure.
 */
export function parseIomPage(html: string, pageUrl: string): IomPage | null {
  const document = parseHtmlDocument(html);
  const language = declaredLanguage(document);
  const translations = alternateLanguages(document, pageUrl);
  const headTitle = sanitizeLine(document.title ?? '').replace(TITLE_SUFFIX, '');
  removeInert(document);
  const title = textOf(document.querySelector('h1')) || headTitle;
  if (title === '') return null;
  const isProject = /^\/project\/[^/]+\/?$/.test(new URL(pageUrl).pathname);
  const body =
    document.querySelector('div.narrow-content div.field--type-text-with-summary') ??
    document.querySelector('div.field--type-text-with-summary');
  if (!isProject) {
    const text = body ? blockText(body) : '';
    return text === '' ? null : { title, text, kind: 'press-release', language, translations };
  }
  const lines: string[] = [];
  for (const field of Array.from(document.querySelectorAll('div.field'))) {
    const label = textOf(field.querySelector('.field__label'));
    const values = Array.from(field.querySelectorAll('.field__item'))
      .map((v) => textOf(v))
      .filter((v) => v !== '');
    if (label === '' || values.length === 0) continue;
    lines.push('-', label, values.join(', '));
  }
  if (body) lines.push(blockText(body));
  return lines.length === 0
    ? null
    : { title, text: lines.join('\n'), kind: 'project', language, translations };
}

export interface IomFetchOptions {
  readonly validators: Validators;
  /** Whether a page (canonical URL) is already stored: paging stops at a page of known cards. */
  readonly isKnown?: (url: string) => boolean | Promise<boolean>;
}

/**
 * Fetches the listing (page 0 conditional on the validators; a 304 means nothing new), follows
 * pages up to `maxPages` or until a page holds only known cards, then fetches each new card's
 * page, at most `maxItems`. A page that fails or has no known structure is skipped with a problem
 * line; a listing that fails throws (WebError).
 */
export async function fetchIomSource(
  client: WebClient,
  source: IomSource,
  options: IomFetchOptions,
): Promise<SourceFetchOutcome> {
  const isKnown = options.isKnown ?? (() => false);
  const first = await client.fetch({
    url: iomListingUrl(source.url, 0),
    headers: { Accept: 'text/html' },
    etag: options.validators.etag,
    lastModified: options.validators.lastModified,
  });
  if (first.kind === 'not-modified') return { kind: 'not-modified' };
  const cards: IomCard[] = [];
  let listing = first;
  for (let page = 0; ;) {
    const found = parseIomListing(listing.body, listing.url);
    const fresh: IomCard[] = [];
    for (const c of found) {
      if (!(await isKnown(c.url)) && !cards.some((k) => k.url === c.url)) fresh.push(c);
    }
    cards.push(...fresh);
    page++;
    if (
      found.length === 0 ||
      fresh.length === 0 ||
      page >= source.maxPages ||
      cards.length >= source.maxItems
    )
      break;
    const next = await client.fetch({
      url: iomListingUrl(source.url, page),
      headers: { Accept: 'text/html' },
    });
    if (next.kind === 'not-modified') break;
    listing = next;
  }
  const problems: string[] = [];
  const items: SourceItem[] = [];
  for (const card of cards.slice(0, source.maxItems)) {
    try {
      const response = await client.fetch({ url: card.url, headers: { Accept: 'text/html' } });
      if (response.kind !== 'ok') continue;
      const page = parseIomPage(response.body, response.url);
      if (page === null) {
        problems.push(`${card.url}: no press release or project text found`);
        continue;
      }
      items.push({
        sourceId: source.id,
        guid: null,
        url: card.url,
        alternateUrls: response.url !== card.url ? [response.url] : [],
        title: page.title,
        publishedAt: card.publishedAt,
        updatedAt: null,
        summary: null,
        text: page.text,
        tag: card.tag,
        country: null,
        language: page.language,
        ...(page.translations.length > 0 ? { translations: page.translations } : {}),
      });
    } catch (error) {
      if (!(error instanceof WebError)) throw error;
      // A WebError names the URL already.
      problems.push(error.message);
    }
  }
  return {
    kind: 'ok',
    items,
    // A card whose page was not read is not stored: without validators, the next fetch reads the
    // listing whole again and finds it unknown.
    validators:
      problems.length === 0 ? { etag: first.etag, lastModified: first.lastModified } : NO_VALIDATORS,
    problems,
  };
}
