/**
 * What tells two near-identical texts apart: templated items (GDACS writes every alert, USGS every
 * earthquake, from one template) share almost every word, yet their publisher names them as
 * different things. Text similarity finds copies; these rules veto the merges a publisher's own
 * identifiers contradict. A release reached through two publishers (an IOM page and its ReliefWeb
 * copy) has URLs on two sites and one title, so nothing here keeps it apart.
 */

/** What a document says about itself besides its text. */
export interface DocumentIdentity {
  /** Canonical URLs (see canonicalUrl): the item's link, permalink guid, the page after redirects. */
  readonly urls: readonly string[];
  readonly title: string;
}

/** A site: the URL's host and port, without a leading `www.` (www.iom.int and iom.int are one site). */
function siteOf(url: string): string | null {
  try {
    return new URL(url).host.replace(/^www\./, '');
  } catch {
    return null;
  }
}

/**
 * A site both documents have URLs on, when their URLs there differ: one publisher gave them two
 * addresses, so it calls them two things. (Equal URLs are one document already, by key.) Null
 * when none.
 */
export function sameSiteOtherUrl(a: DocumentIdentity, b: DocumentIdentity): string | null {
  const bySite = new Map<string, Set<string>>();
  for (const url of b.urls) {
    const site = siteOf(url);
    if (site !== null) bySite.set(site, (bySite.get(site) ?? new Set()).add(url));
  }
  for (const url of a.urls) {
    const site = siteOf(url);
    const theirs = site === null ? undefined : bySite.get(site);
    if (theirs !== undefined && !theirs.has(url) && !a.urls.some((u) => theirs.has(u))) return site;
  }
  return null;
}

const MONTHS = new Set(
  'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec'.split(
    ' ',
  ),
);
/** Words joined by inner hyphens, dots, commas, colons, slashes or apostrophes: PHAILIN-13, 6.7M, 03/01/2016. */
const TOKEN = /[\p{L}\p{N}]+(?:[-.,:/'’][\p{L}\p{N}]+)*/gu;

/** Lower case, without thousands separators (`4,500` is `4500`). */
const normalized = (word: string) => word.toLowerCase().replace(/(\d)[,\u00a0](?=\d{3}\b)/gu, '$1');
const wordsOf = (title: string) => new Set((title.match(TOKEN) ?? []).map(normalized));

/** Whether most longer words after the first are capitalised ("IOM Supports Returnees in Yemen"). */
function isTitleCase(words: readonly string[]): boolean {
  const long = words.slice(1).filter((w) => w.length >= 4 && /^\p{L}/u.test(w));
  return long.length > 0 && long.filter((w) => /^\p{Lu}/u.test(w)).length * 2 > long.length;
}

/**
 * The tokens of a title that name one thing rather than describe it, lower-cased: numbers, dates
 * and codes (anything with a digit: `120`, `5.1`, `03/01/2016`, `phailin-13`), acronyms and names
 * in capitals (`IOM`, `MAHASEN`), month names, and, in a title written in sentence case, the
 * capitalised words after its first (`India`, `Pakistan`). Thousands separators are dropped, so
 * `4,500` and `4500` are one number. Pure.
 */
export function titleMarkers(title: string): Set<string> {
  const found = [...title.matchAll(TOKEN)];
  const sentenceCase = !isTitleCase(found.map((m) => m[0]));
  const markers = new Set<string>();
  found.forEach((match, i) => {
    const word = match[0];
    const startsSentence = i === 0 || /[.:!?]\s*$/.test(title.slice(0, match.index));
    const isMarker =
      /\p{N}/u.test(word) ||
      (/\p{Lu}.*\p{Lu}/u.test(word) && !/\p{Ll}/u.test(word)) ||
      (/^\p{Lu}/u.test(word) && MONTHS.has(word.toLowerCase())) ||
      (sentenceCase && !startsSentence && /^\p{Lu}/u.test(word));
    if (isMarker) markers.add(normalized(word));
  });
  return markers;
}

/**
 * Markers each title has and the other lacks, when both have one: "cyclone PHAILIN-13" against
 * "cyclone LEHAR-13", "in India" against "in Pakistan", "5.1 million" against "0". A marker only one
 * title has (a copy that adds the date, or drops a name) is no conflict. Null when there is none.
 */
export function titleConflict(a: string, b: string): { onlyA: string; onlyB: string } | null {
  // A marker of one title found among the other's words (in any case) is shared, not another one.
  const wordsA = wordsOf(a);
  const wordsB = wordsOf(b);
  const onlyA = [...titleMarkers(a)].find((m) => !wordsB.has(m));
  const onlyB = [...titleMarkers(b)].find((m) => !wordsA.has(m));
  return onlyA !== undefined && onlyB !== undefined ? { onlyA, onlyB } : null;
}

/**
 * Why two documents are distinct whatever their texts say, or null when nothing says so: the same
 * site gave them different URLs, or their titles name different things. Pure.
 */
export function distinctBy(a: DocumentIdentity, b: DocumentIdentity): string | null {
  const site = sameSiteOtherUrl(a, b);
  if (site !== null) return `${site} gives them different URLs`;
  const conflict = a.title !== '' && b.title !== '' ? titleConflict(a.title, b.title) : null;
  if (conflict !== null) return `their titles differ: "${conflict.onlyA}" / "${conflict.onlyB}"`;
  return null;
}
