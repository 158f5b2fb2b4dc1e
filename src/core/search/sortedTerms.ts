/**
 * Exact, prefix and fuzzy lookups over a sorted array of terms (JavaScript string order), with the
 * answers MiniSearch's term tree (its radix tree, `SearchableMap`) gives for the same terms: a
 * sorted array is a trie laid flat, terms sharing a prefix sit side by side.
 */

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
  let t = 0;
  while (t < terms.length) {
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
