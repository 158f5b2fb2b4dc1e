import { parseHTML } from 'linkedom';
import { sanitizeText } from '../../core/sources/sanitizeText.js';

/**
 * HTML is parsed, never executed: linkedom builds a DOM without running scripts or loading
 * anything, and the elements below are removed before any text is read, so no script, style,
 * noscript, iframe or template content reaches a record.
 */
const INERT =
  'script, style, noscript, iframe, frame, frameset, template, object, embed, svg, math, canvas, form, select, button';

const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
  'body',
  'html',
]);

/** The few DOM members we use (the project compiles without the DOM lib; linkedom provides them). */
export interface HtmlNode {
  readonly nodeType: number;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<HtmlNode>;
}
export interface HtmlParent extends HtmlNode {
  querySelector(selectors: string): HtmlElement | null;
  querySelectorAll(selectors: string): ArrayLike<HtmlElement>;
}
export interface HtmlElement extends HtmlParent {
  readonly localName: string;
  readonly parentElement: HtmlElement | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  appendChild(node: HtmlNode): void;
  matches(selectors: string): boolean;
  remove(): void;
}
export interface HtmlDocument extends HtmlParent {
  readonly head: HtmlElement | null;
  readonly body: HtmlElement | null;
  readonly title: string;
  createElement(tag: string): HtmlElement;
}

/** A parsed document (linkedom). */
export function parseHtmlDocument(html: string): HtmlDocument {
  // linkedom's types name DOM types this project does not load (no DOM lib): they resolve to any.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unnecessary-type-assertion
  return parseHTML(html).document as unknown as HtmlDocument;
}

/**
 * The language a page declares: `<html lang>`, else `<meta property="og:locale">` (`fr_FR`), as
 * written (the record's language is canonicalized later); null when it declares none.
 */
export function declaredLanguage(document: HtmlParent): string | null {
  const lang = document.querySelector('html')?.getAttribute('lang')?.trim();
  if (lang) return lang;
  const locale = document.querySelector('meta[property="og:locale"]')?.getAttribute('content')?.trim();
  return locale || null;
}

/**
 * The page's other language versions: `<link rel="alternate" hreflang="…" href="…">` in its head,
 * the address resolved against `pageUrl` (a link that does not resolve is skipped), language as
 * written (`x-default` included: the record keeps only real tags, and not the page itself).
 */
export function alternateLanguages(
  document: HtmlParent,
  pageUrl: string,
): { language: string; url: string }[] {
  const found: { language: string; url: string }[] = [];
  for (const link of Array.from(document.querySelectorAll('link[rel~="alternate"][hreflang][href]'))) {
    const language = link.getAttribute('hreflang')?.trim();
    const href = link.getAttribute('href')?.trim();
    if (!language || !href) continue;
    try {
      found.push({ language, url: new URL(href, pageUrl).toString() });
    } catch {
      // Not an address: nothing to link.
    }
  }
  return found;
}

/** Removes every element whose content must never become text. */
export function removeInert(root: HtmlParent): void {
  for (const element of Array.from(root.querySelectorAll(INERT))) element.remove();
}

/**
 * The text of an element, one line per block (paragraph, list item, heading, `<br>`), white space
 * collapsed, invisible characters removed. Inert elements are skipped.
 */
export function blockText(root: HtmlNode): string {
  const parts: string[] = [];
  const walk = (node: HtmlNode) => {
    if (node.nodeType === 3) {
      parts.push((node.textContent ?? '').replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const tag = node.nodeType === 1 ? (node as HtmlElement).localName.toLowerCase() : '';
    if (tag !== '' && (node as HtmlElement).matches(INERT)) return;
    if (tag === 'br') {
      parts.push('\n');
      return;
    }
    const isBlock = BLOCK.has(tag);
    if (isBlock) parts.push('\n');
    for (const child of Array.from(node.childNodes)) walk(child);
    if (isBlock) parts.push('\n');
  };
  walk(root);
  return sanitizeText(parts.join('').replace(/\n\s*\n+/g, '\n'));
}

/** Plain text of an HTML fragment (a feed's description, a ReliefWeb body), one line per block. */
export function htmlToText(fragment: string): string {
  const document = parseHtmlDocument(`<!doctype html><html><body>${fragment}</body></html>`);
  return document.body ? blockText(document.body) : '';
}
