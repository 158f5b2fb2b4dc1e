import { truncate } from '../truncate.js';
import { foldPhrase } from './terms.js';

/** One autocomplete choice: `name` is shown, `value` is what the command receives. */
export interface Suggestion {
  readonly name: string;
  readonly value: string;
}

/** Discord's limits for autocomplete choices, kept everywhere for one behaviour. */
export const MAX_SUGGESTIONS = 25;
export const MAX_CHOICE_LENGTH = 100;

interface Entry {
  readonly name: string;
  readonly value: string;
  /** Folded phrases the entry answers to (a title; a name and its aliases; two project ids). */
  readonly phrases: readonly string[];
}

const SEP = '\u0000';

/** First index in sorted `array` whose item is >= `key`. */
function lowerBound(array: readonly string[], key: string): number {
  let lo = 0;
  let hi = array.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (array[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Prefix lookup for autocomplete, built for it instead of MiniSearch's autoSuggest (which walks all
 * matching documents): a sorted array of `phrase\0value` keys answers "starts with" by binary
 * search, and a word → values map with a sorted word list answers "a word starts with". Lookups cost
 * O(log n + choices), independent of the corpus size. Updates are appended and sorted lazily (the
 * sort is a near-linear merge for a few appended keys).
 */
export class PrefixIndex {
  private readonly entries = new Map<string, Entry>();
  private keys: string[] = [];
  private words: string[] = [];
  private readonly postings = new Map<string, Set<string>>();
  private isSorted = true;

  /**
   * Adds or replaces the entry for `value`. Values longer than {@link MAX_CHOICE_LENGTH} are skipped
   * (a clipped value would not round-trip); names are clipped.
   */
  set(value: string, name: string, phrases: readonly string[]): void {
    if (value.length === 0 || value.length > MAX_CHOICE_LENGTH) return;
    this.delete(value);
    const folded = [...new Set(phrases.map(foldPhrase).filter((p) => p.length > 0))];
    if (folded.length === 0) return;
    this.entries.set(value, { name: truncate(name, MAX_CHOICE_LENGTH), value, phrases: folded });
    for (const phrase of folded) {
      this.keys.push(`${phrase}${SEP}${value}`);
      for (const word of phrase.split(' ')) {
        let set = this.postings.get(word);
        if (!set) {
          set = new Set();
          this.postings.set(word, set);
          this.words.push(word);
        }
        set.add(value);
      }
    }
    this.isSorted = false;
  }

  /** Removes the entry for `value`, if any. */
  delete(value: string): void {
    const entry = this.entries.get(value);
    if (!entry) return;
    this.entries.delete(value);
    for (const phrase of entry.phrases) {
      const key = `${phrase}${SEP}${value}`;
      // Unsorted only during a bulk load: a linear search then beats sorting everything first.
      const at = this.isSorted ? lowerBound(this.keys, key) : this.keys.lastIndexOf(key);
      if (this.keys[at] === key) this.keys.splice(at, 1);
      for (const word of phrase.split(' ')) {
        const set = this.postings.get(word);
        set?.delete(value);
        if (set?.size === 0) {
          this.postings.delete(word);
          const w = this.isSorted ? lowerBound(this.words, word) : this.words.lastIndexOf(word);
          if (this.words[w] === word) this.words.splice(w, 1);
        }
      }
    }
  }

  has(value: string): boolean {
    return this.entries.has(value);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Up to `limit` (≤ 25) choices for what the user typed: entries starting with it first, then
   * entries with a word starting with it, each group in alphabetical order. Empty input lists the
   * first entries alphabetically.
   */
  lookup(prefix: string, limit = MAX_SUGGESTIONS): Suggestion[] {
    this.sort();
    const max = Math.max(0, Math.min(limit, MAX_SUGGESTIONS));
    const q = foldPhrase(prefix);
    const found = new Map<string, Suggestion>();
    const take = (value: string) => {
      const entry = this.entries.get(value);
      if (entry && !found.has(value)) found.set(value, { name: entry.name, value });
    };
    for (let i = lowerBound(this.keys, q); i < this.keys.length && found.size < max; i++) {
      const key = this.keys[i]!;
      if (!key.startsWith(q)) break;
      take(key.slice(key.lastIndexOf(SEP) + 1));
    }
    if (found.size >= max || q.length === 0) return [...found.values()];

    const tokens = q.split(' ');
    if (tokens.length === 1) {
      for (let i = lowerBound(this.words, q); i < this.words.length && found.size < max; i++) {
        const word = this.words[i]!;
        if (!word.startsWith(q)) break;
        for (const value of this.postings.get(word) ?? []) {
          take(value);
          if (found.size >= max) break;
        }
      }
      return [...found.values()];
    }
    // Several words: candidates from the rarest complete word, checked for the whole phrase.
    let smallest: Set<string> | undefined;
    for (const word of tokens.slice(0, -1)) {
      const set = this.postings.get(word);
      if (!set) return [...found.values()];
      if (!smallest || set.size < smallest.size) smallest = set;
    }
    const needle = ` ${q}`;
    for (const value of smallest ?? []) {
      if (found.has(value)) continue;
      const entry = this.entries.get(value);
      if (entry?.phrases.some((p) => ` ${p}`.includes(needle))) take(value);
      if (found.size >= max) break;
    }
    return [...found.values()];
  }

  /** Sorts pending additions now, so the first lookup after a bulk load does not pay for it. */
  prepare(): void {
    this.sort();
  }

  private sort(): void {
    if (this.isSorted) return;
    this.keys.sort();
    this.words.sort();
    this.isSorted = true;
  }
}
