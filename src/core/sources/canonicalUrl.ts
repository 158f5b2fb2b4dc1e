/** Query parameters that track a click rather than name a page. */
const TRACKING_PARAM =
  /^(?:utm_.*|mc_.*|fbclid|gclid|dclid|gclsrc|msclkid|yclid|igshid|_hsenc|_hsmi|mkt_tok)$/i;

/**
 * The one form of an address under which the same page is recognised however it was linked:
 * https instead of http, a lower-case host (`www.` is kept: it can name another server), no
 * credentials, no default port, no fragment, no tracking parameters (`utm_*`, `fbclid`, `gclid`, `mc_*` …), the
 * remaining parameters sorted, no trailing slash on the path (except the root). Relative addresses
 * are resolved against `base`. Returns null for anything that is not an http(s) URL.
 */
export function canonicalUrl(raw: string, base?: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.protocol = 'https:';
  url.hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  if (url.port === '80' || url.port === '443') url.port = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  const kept = [...url.searchParams].filter(([name]) => !TRACKING_PARAM.test(name));
  kept.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  url.search = new URLSearchParams(kept).toString();
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  return url.toString();
}

/** `urls` in first-seen order, canonicalized, without repeats or unusable entries. */
export function uniqueCanonicalUrls(urls: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const raw of urls) {
    const url = canonicalUrl(raw);
    if (url !== null) seen.add(url);
  }
  return [...seen];
}

/**
 * The address to link to: the canonical form but with the scheme the source used, so a link to an
 * http-only site still opens (canonical forms are for recognising pages, not for visiting them).
 */
export function linkUrl(raw: string, base?: string): string | null {
  const canonical = canonicalUrl(raw, base);
  if (canonical === null) return null;
  return new URL(raw.trim(), base).protocol === 'http:'
    ? `http:${canonical.slice('https:'.length)}`
    : canonical;
}
