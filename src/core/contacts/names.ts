/** The key people are merged on, shared by the mention finder and the directory. */
import { foldPhrase } from '../search/terms.js';

const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sir', 'dame', 'he']);

/**
 * The key people are merged on: folded (case, diacritics), honorifics and punctuation dropped.
 * `Mr. Pär  Liljert` and `par liljert` give the same key.
 */
export function normalizeName(name: string): string {
  let key = nameKeys.get(name);
  if (key === undefined) {
    // Rebuilding the directory after a live update sees the same names again: keep their keys.
    if (nameKeys.size >= NAME_KEY_CACHE_SIZE) nameKeys.clear();
    key = normalizeNameUncached(name);
    nameKeys.set(name, key);
  }
  return key;
}

const NAME_KEY_CACHE_SIZE = 200_000;
const nameKeys = new Map<string, string>();

function normalizeNameUncached(name: string): string {
  return foldPhrase(name)
    .split(' ')
    .filter((word, i, words) => !(HONORIFICS.has(word) && i < words.length - 1))
    .join(' ');
}
