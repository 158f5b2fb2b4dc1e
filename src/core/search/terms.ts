/**
 * Term processing shared by the index, the queries, snippets, autocomplete and the contact
 * directory. Everything that compares words goes through these functions, so a word folds and stems
 * the same way at index time and at query time.
 */
import { tokenize } from '../text/words.js';

/** Letters that NFKD does not decompose into a base letter plus a mark. */
export const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};
export const SPECIAL_RE = /[ßæœøđðłþı]/g;
const MARKS_RE = /\p{M}+/gu;
const ASCII_RE = /^[\x20-\x7e]*$/;

/**
 * Lower case without diacritics: `Pär` → `par`, `Ærø` → `aero`. Keeps every other character, so
 * offsets into a folded string mostly line up with the original (not guaranteed for ß, æ, œ).
 */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  // Most text is ASCII: skip the Unicode normalization, which dominates indexing time otherwise.
  if (ASCII_RE.test(lower)) return lower;
  return lower
    .normalize('NFKD')
    .replace(MARKS_RE, '')
    .replace(SPECIAL_RE, (c) => SPECIAL_LETTERS[c] ?? c);
}

export { tokenize, wordSpans, type WordSpan } from '../text/words.js';

/**
 * Words too common to help a search. Kept short on purpose: "who", "us", "will" are left in, since
 * they can be names (WHO) or matter in phrases.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'been',
  'but',
  'by',
  'for',
  'from',
  'had',
  'has',
  'have',
  'he',
  'her',
  'his',
  'in',
  'into',
  'is',
  'it',
  'its',
  'of',
  'on',
  'or',
  'she',
  'that',
  'the',
  'their',
  'there',
  'these',
  'they',
  'this',
  'those',
  'to',
  'was',
  'were',
  'which',
  'with',
]);

const VOWEL_RE = /[aeiouy]/;
const DIGIT_RE = /\d/;
const DOUBLE_RE = /([^aeiouslz])\1$/;

/**
 * A deliberately light English stemmer: plural and `-ing`/`-ed` endings, plus a final `e`, so
 * `migrants`/`migrant`, `countries`/`country`, `managed`/`managing`/`manage` meet. Words with digits
 * (ids such as `cn10p0002`) and short words are left alone.
 */
export function stem(word: string): string {
  if (word.length <= 3 || DIGIT_RE.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(?:ch|sh|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);

  if (w.endsWith('ing') && w.length > 5 && VOWEL_RE.test(w.slice(0, -3))) w = w.slice(0, -3);
  else if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ed') && w.length > 4 && VOWEL_RE.test(w.slice(0, -2))) w = w.slice(0, -2);
  else if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);

  if (DOUBLE_RE.test(w) && w.length > 4) w = w.slice(0, -1);
  return w;
}

/**
 * One raw word → its index term: folded, possessive and inner apostrophes dropped, stemmed; `null`
 * for stop words and single letters. The MiniSearch `processTerm` for both indexing and queries.
 */
export function processTerm(word: string): string | null {
  const cached = termCache.get(word);
  if (cached !== undefined) return cached;
  const term = processTermUncached(word);
  // Vocabularies are small next to token counts: memoizing skips the regexes for most tokens.
  if (termCache.size >= TERM_CACHE_SIZE) termCache.clear();
  termCache.set(word, term);
  return term;
}

const TERM_CACHE_SIZE = 200_000;
const termCache = new Map<string, string | null>();

/** {@link processTerm} without the memo (exported so the options hash sees its source). */
export function processTermUncached(word: string): string | null {
  let w = fold(word);
  if (w.includes("'") || w.includes('’')) {
    w = w.replace(/['’]s$/, '').replace(/['’]/g, '');
  }
  if (w.length < 2 && !DIGIT_RE.test(w)) return null;
  if (STOP_WORDS.has(w)) return null;
  return stem(w);
}

/** The index terms of a text, in order (stop words removed). */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of tokenize(text)) {
    const term = processTerm(word);
    if (term) out.push(term);
  }
  return out;
}

/** Folded words joined by single spaces: the key autocomplete and the directory compare. */
export function foldPhrase(text: string): string {
  return tokenize(fold(text).replace(/['’]/g, '')).join(' ');
}

/** The two 32-bit halves (unsigned) of the string hash {@link hashString} prints. */
export function hashHalves(text: string, seed = 0): [number, number] {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

/**
 * 53-bit string hash (cyrb53), hex. Pure and fast; used to fingerprint options and corpora, not for
 * security.
 */
export function hashString(text: string, seed = 0): string {
  const [h1, h2] = hashHalves(text, seed);
  return (4294967296 * (2097151 & h2) + h1).toString(16).padStart(14, '0');
}
