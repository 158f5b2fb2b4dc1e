import { normalizeSpace } from './pageText.js';

/**
 * The site navigation every page starts with, as comparison keys (see {@link navigationKey}), in
 * order. Learned from the shipped corpus with {@link learnSiteNavigation}; kept built in so that a
 * single page parsed alone is stripped exactly as it would be within its corpus.
 */
export const BUILTIN_SITE_NAVIGATION: readonly string[] = [
  '-',
  'who we are',
  'who we arethe international organization for migration (iom) is part of the united nations syste',
  '-',
  'our work',
  'our workas the leading inter-governmental organization promoting since 1951 humane and orderly m',
  'what we do',
  'what we do',
  'partnerships',
  'partnerships',
  'highlights',
  'highlights',
  '- where we work',
  '-',
  'take action',
  'take action',
  'work with us',
  'work with us',
  'get involved',
  'get involved',
  '- data and research',
  '- 2030 agenda',
];

/** Navigation lines are compared case-insensitively on their first 96 characters. */
export function navigationKey(line: string): string {
  return normalizeSpace(line).toLowerCase().slice(0, 96);
}

/** How far into a page navigation can reach: pages are read no further than this when learning. */
const TOP_LINES = 80;

/**
 * Learns the navigation block from a corpus: the lines that appear near the top of at least half
 * of the pages, in the order of the most common leading run. Returns `[]` when fewer than three
 * pages agree (too little evidence); callers then fall back to the built-in model.
 */
export function learnSiteNavigation(texts: readonly string[]): string[] {
  if (texts.length < 3) return [];
  const pagesWithLine = new Map<string, number>();
  const tops = texts.map((text) => {
    const keys = text
      .split('\n', TOP_LINES)
      .map(navigationKey)
      .filter((key) => key !== '');
    for (const key of new Set(keys)) pagesWithLine.set(key, (pagesWithLine.get(key) ?? 0) + 1);
    return keys;
  });
  const threshold = Math.max(3, Math.ceil(texts.length / 2));
  const runs = new Map<string, { run: string[]; count: number }>();
  for (const keys of tops) {
    const run: string[] = [];
    for (const key of keys) {
      if ((pagesWithLine.get(key) ?? 0) < threshold) break;
      run.push(key);
    }
    const id = run.join('\n');
    const entry = runs.get(id) ?? { run, count: 0 };
    entry.count += 1;
    runs.set(id, entry);
  }
  let best: { run: string[]; count: number } | undefined;
  for (const entry of runs.values()) {
    if (!best || entry.count > best.count) best = entry;
  }
  return best && best.count >= threshold ? best.run : [];
}

/** Lines that carry no words ("-") can also start a project's fields, so they never end the block. */
const hasWords = (key: string) => /\p{L}/u.test(key);

/**
 * Index of the first line after the navigation block, aligning the page's top with `model` while
 * tolerating a few nav items added to or dropped from the site since the model was learned.
 */
export function findNavigationEnd(lines: readonly string[], model: readonly string[]): number {
  const MAX_SKIP = 3;
  let i = 0;
  let j = 0;
  let end = 0;
  // Skip leading blank lines before aligning.
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  while (i < lines.length && j < model.length) {
    const key = navigationKey(lines[i] ?? '');
    if (key === '') {
      i++;
      continue;
    }
    if (key === model[j]) {
      i++;
      j++;
      if (hasWords(key)) end = i;
      continue;
    }
    // A nav item dropped from the site: the page line matches a later model line.
    const ahead = model.slice(j + 1, j + 1 + MAX_SKIP).indexOf(key);
    if (ahead >= 0 && hasWords(key)) {
      j += ahead + 2;
      i++;
      end = i;
      continue;
    }
    // A nav item added to the site: a later page line matches this model line (and words follow).
    let inserted = -1;
    for (let k = 1; k <= MAX_SKIP && i + k < lines.length; k++) {
      const later = navigationKey(lines[i + k] ?? '');
      if (later === model[j] && hasWords(later)) {
        inserted = k;
        break;
      }
    }
    if (inserted < 0) break;
    i += inserted;
  }
  // Trailing word-less lines ("-") after the last word line belong to what follows, not to the nav.
  return end;
}
