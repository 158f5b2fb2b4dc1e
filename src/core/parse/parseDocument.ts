import { err, ok, type Result } from '../errors.js';
import { DocumentRecordSchema, type DocumentRecord } from '../record.js';
import { decideLanguage, languageSample, type LanguageDetector } from '../text/detect.js';
import { findContactBlock, parseContactBlock } from './contactBlock.js';
import { hasDateline, splitDateline } from './dateline.js';
import { reflowParagraphs } from './paragraphs.js';
import { isProjectLabel, readProjectFields } from './projectFields.js';
import { BUILTIN_SITE_NAVIGATION, findNavigationEnd } from './siteNavigation.js';
import { normalizeSpace, splitLines } from './pageText.js';

/** One page to parse: its text and where it came from. */
export interface PageInput {
  /** File name without extension. */
  readonly id: string;
  /** Path relative to the data folder. */
  readonly source: string;
  readonly text: string;
  /** sha256 of the file's bytes (hex), computed by the reader. */
  readonly contentHash: string;
}

export interface ParseOptions {
  /**
   * Navigation learned from the corpus (see `learnSiteNavigation`). The built-in model is always
   * tried too, and whichever strips more wins, so a page parses the same alone or in its corpus.
   */
  readonly navigation?: readonly string[];
  /**
   * Detects the page's language when its text is not plainly English (see `decideLanguage`);
   * without one, or when the detector cannot tell, a page is English (`fallbackLanguage`).
   */
  readonly detectLanguage?: LanguageDetector | null;
  /** The language when the text cannot tell; default `en` (the pages in raw/). */
  readonly fallbackLanguage?: string;
  /** Declared languages (the source's configured one, then the publisher's), which win over detection. */
  readonly configuredLanguage?: string | null;
  readonly declaredLanguage?: string | null;
}

/** Titles are short; a longer first line is a paragraph and the page has no title. */
const MAX_TITLE_LENGTH = 300;
const ENDS_SENTENCE = /[.!?]["'”’)]*$/;
const isDash = (line: string) => /^[-–]$/.test(line.trim());

/**
 * Parses one page into a validated record, or says why it cannot: only navigation, no title, or
 * content that fails the record schema. Pure; never throws on any text.
 */
export function parseDocument(page: PageInput, options: ParseOptions = {}): Result<DocumentRecord> {
  const lines = splitLines(page.text);
  const navigationEnd = Math.max(
    findNavigationEnd(lines, BUILTIN_SITE_NAVIGATION),
    options.navigation && options.navigation.length > 0 ? findNavigationEnd(lines, options.navigation) : 0,
  );
  let i = navigationEnd;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  if (i >= lines.length) {
    return err(navigationEnd > 0 ? 'only site navigation, no content' : 'no text');
  }

  const first = normalizeSpace(lines[i] ?? '');
  if (isDash(first) && isProjectLabel(lines[i + 1] ?? '')) {
    return err('no title: the page starts with project fields');
  }
  if (findContactBlock([first])) return err('no title: the page starts with its contact block');
  if (hasDateline(first) || [...first].length > MAX_TITLE_LENGTH) {
    return err('no title: the first line after the site navigation is a paragraph');
  }
  let title = first;
  i++;
  const next = normalizeSpace(lines[i] ?? '');
  // A title wrapped onto a second line continues in lower case; a dateline or field never does.
  if (/^\p{Ll}/u.test(next) && !hasDateline(next) && !ENDS_SENTENCE.test(title)) {
    title = `${title} ${next}`;
    i++;
  }

  const block = readProjectFields(lines, i);
  i = block.end;
  const contactBlock = findContactBlock(lines, i);
  const body = lines.slice(i, contactBlock ? contactBlock.start : lines.length);
  const paragraphs = reflowParagraphs(body);
  const contacts = contactBlock ? parseContactBlock(contactBlock.lines) : [];

  let country: string | null = null;
  if (block.fields) {
    country = block.fields.memberStates[0] ?? null;
  } else if (paragraphs[0] !== undefined) {
    const dateline = splitDateline(paragraphs[0]);
    country = dateline.country;
    if (dateline.rest.trim() === '') paragraphs.shift();
    else paragraphs[0] = dateline.rest;
  }

  const record = DocumentRecordSchema.safeParse({
    id: page.id,
    kind: block.fields ? 'project' : 'article',
    title,
    country,
    paragraphs,
    contacts,
    project: block.fields,
    source: page.source,
    contentHash: page.contentHash,
    language: decideLanguage({
      configured: options.configuredLanguage,
      declared: options.declaredLanguage,
      sample: languageSample(title, paragraphs),
      detector: options.detectLanguage ?? null,
      fallback: options.fallbackLanguage ?? 'en',
    }),
  });
  if (!record.success) {
    const issue = record.error.issues[0];
    return err(`invalid record: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  return ok(record.data);
}
