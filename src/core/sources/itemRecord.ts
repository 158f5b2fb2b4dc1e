import { createHash } from 'node:crypto';
import { findContactBlock, parseContactBlock } from '../parse/contactBlock.js';
import { splitDateline } from '../parse/dateline.js';
import { parseDocument } from '../parse/parseDocument.js';
import { reflowParagraphs } from '../parse/paragraphs.js';
import { splitLines } from '../parse/pageText.js';
import { err, ok, type Result } from '../errors.js';
import { DocumentRecordSchema, type DocumentRecord } from '../record.js';
import { decideLanguage, languageSample, type LanguageDetector } from '../text/detect.js';
import { canonicalLanguage, UNDETERMINED } from '../text/language.js';
import type { Translation } from '../record.js';
import { canonicalUrl, linkUrl, uniqueCanonicalUrls } from './canonicalUrl.js';
import { sanitizeLine, sanitizeText } from './sanitizeText.js';
import type { SourceItem } from './sourceItem.js';

/** Longest source id: `v1:read:` + id must fit Discord's 100-character custom_id. */
export const MAX_SOURCE_ID_LENGTH = 40;
const HASH_LENGTH = 16;

/**
 * A fetched document's id: `<sourceId>_<16 hex>` from the item's guid, else its canonical URL, else
 * its title. Stable across fetches and restarts; only `[a-z0-9_-]`, at most 57 characters, so it is
 * safe in a custom_id (`v1:read:<id>` ≤ 100) and cannot collide with a raw file's `NNN_<hex>` id.
 */
export function itemDocumentId(item: Pick<SourceItem, 'sourceId' | 'guid' | 'url' | 'title'>): string {
  const key =
    item.guid !== null && item.guid.trim() !== ''
      ? `guid:${item.guid.trim()}`
      : item.url !== null && canonicalUrl(item.url) !== null
        ? `url:${canonicalUrl(item.url)}`
        : `title:${sanitizeLine(item.title).toLowerCase()}`;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, HASH_LENGTH);
  return `${item.sourceId}_${hash}`;
}

/** The page text the parser reads for an item: its title line, then its body lines. */
export function itemPageText(item: Pick<SourceItem, 'title' | 'text' | 'summary'>): string {
  const title = sanitizeLine(item.title);
  const lines = (sanitizeText(item.text) || sanitizeText(item.summary ?? '')).split('\n');
  // An extracted article often repeats its heading: the title is the record's, not a paragraph.
  if (lines[0] !== undefined && lines[0].toLowerCase() === title.toLowerCase()) lines.shift();
  return `${title}\n${lines.join('\n')}`;
}

/**
 * Turns a fetched item into a record of the existing contract plus `url`, `urls`, `publishedAt`
 * and `sourceId`. The text goes through the same parser as the scraped pages (title, dateline,
 * paragraphs, contact block, project fields), so a fetched page and a scraped file of the same
 * release give the same record. A title the parser refuses (it looks like a dateline, or is very
 * long) still gives a record, built from the same pieces. `source` is `web/<sourceId>`.
 * `contentHash` is the sha256 of the page text: an edit changes it, a refetch does not.
 */
export function itemToRecord(
  item: SourceItem,
  options: {
    readonly detectLanguage?: LanguageDetector | null;
    readonly configuredLanguage?: string | null;
  } = {},
): Result<DocumentRecord> {
  const title = sanitizeLine(item.title);
  if (title === '') return err(`item ${item.guid ?? item.url ?? '?'} has no title`);
  const text = itemPageText(item);
  const id = itemDocumentId(item);
  const contentHash = createHash('sha256').update(text).digest('hex');
  const source = `web/${item.sourceId}`;
  const urls = uniqueCanonicalUrls([...(item.url !== null ? [item.url] : []), ...item.alternateUrls]);
  const extra = {
    ...(urls[0] !== undefined
      ? { url: (item.url !== null ? linkUrl(item.url) : null) ?? urls[0], urls }
      : {}),
    publishedAt: item.publishedAt,
    sourceId: item.sourceId,
    ...translationsOf(item, urls),
  };

  // An item whose text cannot tell its language is `und`: never a guess.
  const language = {
    configured: options.configuredLanguage ?? null,
    declared: item.language ?? null,
    detector: options.detectLanguage ?? null,
    fallback: UNDETERMINED,
  };
  const parsed = parseDocument(
    { id, source, text, contentHash },
    {
      detectLanguage: language.detector,
      fallbackLanguage: language.fallback,
      configuredLanguage: language.configured,
      declaredLanguage: language.declared,
    },
  );
  const base = parsed.ok
    ? parsed.value
    : {
        ...fallbackRecord(id, title, text, source, contentHash),
        language: decideLanguage({ ...language, sample: languageSample(title, [text]) }),
      };
  const country = base.country ?? (item.country !== null ? sanitizeLine(item.country) || null : null);
  const record = DocumentRecordSchema.safeParse({ ...base, country, ...extra });
  if (!record.success) {
    const issue = record.error.issues[0];
    return err(`invalid record: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  return ok(record.data);
}

/**
 * The item's other language versions with canonical tags and addresses: each address once, never
 * one of the item's own (a page lists itself among its alternates), none with an unreadable tag
 * (`x-default` is not a language). `{}` when none is left, so the record has no field.
 */
function translationsOf(item: SourceItem, own: readonly string[]): { translations?: Translation[] } {
  const seen = new Set(own);
  const translations: Translation[] = [];
  for (const link of item.translations ?? []) {
    const language = canonicalLanguage(link.language);
    const url = canonicalUrl(link.url);
    if (language === null || url === null || seen.has(url)) continue;
    seen.add(url);
    translations.push({ language, url });
  }
  return translations.length > 0 ? { translations } : {};
}

/** The record the parser would build, for titles it refuses as titles. */
function fallbackRecord(id: string, title: string, text: string, source: string, contentHash: string) {
  const lines = splitLines(text).slice(1);
  const block = findContactBlock(lines);
  const paragraphs = reflowParagraphs(block ? lines.slice(0, block.start) : lines);
  let country: string | null = null;
  if (paragraphs[0] !== undefined) {
    const dateline = splitDateline(paragraphs[0]);
    country = dateline.country;
    if (dateline.rest.trim() === '') paragraphs.shift();
    else paragraphs[0] = dateline.rest;
  }
  return {
    id,
    kind: 'article' as const,
    title: [...title].slice(0, 500).join(''),
    country,
    paragraphs,
    contacts: block ? parseContactBlock(block.lines) : [],
    project: null,
    source,
    contentHash,
  };
}

/**
 * A key for an item exactly as its source shows it now (ids, links, title, summary, dates): when a
 * stored document already has this key, the item is unchanged and its page need not be fetched.
 */
export function itemEntryKey(item: SourceItem): string {
  const shown = [item.guid, item.url, item.title, item.summary, item.publishedAt, item.updatedAt];
  return `entry:${createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 32)}`;
}
