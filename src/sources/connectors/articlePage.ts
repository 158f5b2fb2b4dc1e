import { Readability } from '@mozilla/readability';
import { findContactBlock, parseContactBlock } from '../../core/parse/contactBlock.js';
import type { Contact } from '../../core/record.js';
import { sanitizeLine } from '../../core/sources/sanitizeText.js';
import { blockText, declaredLanguage, parseHtmlDocument, removeInert } from './html.js';

/** What could be read from a page without a known structure. */
export interface ExtractedArticle {
  /** Readability's title, or null. */
  readonly title: string | null;
  /** One paragraph per line, contact block included (the record's parser splits it off). */
  readonly text: string;
  /** The contact block's people, parsed by the same parser as the scraped pages. */
  readonly contacts: readonly Contact[];
  /** The language the page declares (`<html lang>`, `og:locale`), or null. */
  readonly language: string | null;
}

/**
 * Extracts the article from an HTML page with @mozilla/readability over linkedom (parsed, never
 * executed; script, style, noscript, iframe and template content removed first), then reads its
 * contact block. Null when no article could be found. Pure: text in, data out.
 */
export function extractArticle(html: string, url: string): ExtractedArticle | null {
  const document = parseHtmlDocument(html);
  const language = declaredLanguage(document);
  removeInert(document);
  let article: ReturnType<Readability<string>['parse']> = null;
  try {
    // Readability resolves relative links against the document's URL.
    const base = document.createElement('base');
    base.setAttribute('href', url);
    document.head?.appendChild(base);
    article = new Readability(document, { charThreshold: 200 }).parse();
  } catch {
    article = null;
  }
  if (!article?.content) return null;
  const content = parseHtmlDocument(`<!doctype html><html><body>${article.content}</body></html>`);
  removeInert(content);
  const text = content.body ? blockText(content.body) : '';
  if (text === '') return null;
  const block = findContactBlock(text.split('\n'));
  return {
    title: article.title ? sanitizeLine(article.title) || null : null,
    text,
    contacts: block ? parseContactBlock(block.lines) : [],
    language,
  };
}
