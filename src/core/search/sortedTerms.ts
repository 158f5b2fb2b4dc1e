/**
 * Exact, prefix and fuzzy lookups over a sorted array of terms (JavaScript string order), with the
 * answers MiniSearch's term tree (its radix tree, `SearchableMap`) gives for the same terms: a
 * sorted array is a trie laid flat, terms sharing a prefix sit side by side.
 */

/**
 * Where scripts start in UTF-16 order: Latin (with digits), Greek, Cyrillic, Armenian, Hebrew,
 * Arabic and the scripts after it, Indic, Thai and Lao, Tibetan and Myanmar, Georgian, Hangul
 * Jamo and Ethiopic on, Latin extended additional, CJK (radicals, kana, ideographs, Hangul),
 * surrogates (ideographs beyond the BMP), private use and the rest.
 */
const SCRIPT_BLOCKS = [
  0, 0x0370, 0x0400, 0x0530, 0x0590, 0x0600, 0x0900, 0x0e00, 0x0f00, 0x10a0, 0x1100, 0x1e00, 0x2e80, 0xd800,
  0xe000,
];

/** Index of `term` in `terms`, or -1. */
export function findTerm(terms: readonly string[], term: string): number {
  const at = lowerBound(terms, term, 0, terms.length);
  return at < terms.length && terms[at] === term ? at : -1;
}

/** The range `[from, to)` of the terms starting with `prefix` (the prefix itself included). */
export function prefixRange(terms: readonly string[], prefix: string): [from: number, to: number] {
  const from = lowerBound(terms, prefix, 0, terms.length);
  // Terms starting with the prefix are contiguous from `from`: find where they stop.
  let lo = from;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid]!.startsWith(prefix)) lo = mid + 1;
    else hi = mid;
  }
  return [from, lo];
}

/**
 * The terms within `maxDistance` edits (Levenshtein: insert, delete, substitute) of `query`, as
 * `[index, distance]` in term order. The same dynamic programme as MiniSearch 7's `fuzzySearch`
 * (one matrix row per character, a band of `maxDistance` around the diagonal, values capped at
 * `maxDistance + 1`), so the same terms and distances; rows are shared by neighbours with a
 * common prefix, and every term under a prefix whose row already exceeds the distance is skipped.
 */
export function fuzzyMatches(
  terms: readonly string[],
  query: string,
  maxDistance: number,
): Array<[index: number, distance: number]> {
  const results: Array<[number, number]> = [];
  const n = query.length + 1;
  // Matching terms are never longer than the query plus the distance.
  const m = n + maxDistance;
  const matrix = new Uint8Array(m * n).fill(maxDistance + 1);
  for (let j = 0; j < n; ++j) matrix[j] = j;
  for (let i = 1; i < m; ++i) matrix[i * n] = i;
  // Rows 1..valid hold the characters of `previous`.
  let previous = '';
  let valid = 0;
  // Only the terms in the query's script block are walked (see SCRIPT_BLOCKS): a typo does not
  // turn a Latin word into an Arabic one, and the other scripts' words, whose first letters all
  // differ from the query's, would each be visited (every Chinese bigram is a prefix of its own).
  const code = query.charCodeAt(0);
  let block = 0;
  while (block + 1 < SCRIPT_BLOCKS.length && code >= SCRIPT_BLOCKS[block + 1]!) block++;
  let t = lowerBound(terms, String.fromCharCode(SCRIPT_BLOCKS[block]!), 0, terms.length);
  const next = SCRIPT_BLOCKS[block + 1];
  const end =
    next === undefined ? terms.length : lowerBound(terms, String.fromCharCode(next), t, terms.length);
  while (t < end) {
    const term = terms[t]!;
    let common = 0;
    const limit = Math.min(valid, term.length, previous.length);
    while (common < limit && term.charCodeAt(common) === previous.charCodeAt(common)) common++;
    let pruned = -1;
    let i = common + 1;
    for (; i <= term.length && i < m; ++i) {
      const char = term[i - 1];
      const thisRow = n * i;
      const prevRow = thisRow - n;
      let minDistance = matrix[thisRow]!;
      const jmin = Math.max(0, i - maxDistance - 1);
      const jmax = Math.min(n - 1, i + maxDistance);
      for (let j = jmin; j < jmax; ++j) {
        const different = char !== query[j];
        const rpl = matrix[prevRow + j]! + +different;
        const del = matrix[prevRow + j + 1]! + 1;
        const ins = matrix[thisRow + j]! + 1;
        const dist = (matrix[thisRow + j + 1] = Math.min(rpl, del, ins));
        if (dist < minDistance) minDistance = dist;
      }
      if (minDistance > maxDistance) {
        pruned = i;
        break;
      }
    }
    previous = term;
    if (pruned > 0) {
      // No term starting with these `pruned` characters can match: skip them all.
      valid = pruned - 1;
      const [, to] = prefixRange(terms, term.slice(0, pruned));
      t = Math.max(t + 1, to);
      continue;
    }
    valid = i - 1;
    if (term.length < m) {
      const distance = matrix[term.length * n + n - 1]!;
      if (distance <= maxDistance) results.push([t, distance]);
    }
    t++;
  }
  return results;
}

function lowerBound(terms: readonly string[], key: string, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
