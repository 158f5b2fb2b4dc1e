import { UserError } from '../errors.js';
import { analyzeWord, queryLanguages } from '../text/analysis.js';
import { fold, STOP_WORDS, tokenize } from './terms.js';

/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 500;

/** A query string understood: its index terms and quoted phrases. */
export interface ParsedQuery {
  /**
   * Distinct index terms in query order (phrase words included), each word analysed in the first
   * of the query's languages (English when the index holds English).
   */
  readonly terms: readonly string[];
  /**
   * The same words analysed in the query's other languages, by term of {@link terms}, when they
   * differ (`réfugiées`: `refugie` in English, `refugi` in French): each matches as exactly as
   * the term itself.
   */
  readonly alternatives: ReadonlyMap<string, readonly string[]>;
  /** Each quoted phrase as its raw words (two words or more), analysed in each document's language. */
  readonly phrases: ReadonlyArray<readonly string[]>;
  /** Whether the last term may match as a prefix (it was typed last and is not inside quotes). */
  readonly isLastPrefix: boolean;
  /** Raw words of the query paired with their term, for "did you mean" rewrites. */
  readonly words: ReadonlyArray<{ readonly word: string; readonly term: string }>;
}

const PHRASE_RE = /"([^"]*)"?|“([^”]*)”?/g;

/**
 * Parses a search box query, analysing its words in each of `languages` (BCP 47 tags: the
 * languages the index holds, or the one asked for; English when none). Throws UserError
 * `query-too-long` over {@link MAX_QUERY_LENGTH} characters and `empty-query` when no searchable
 * word remains (empty, punctuation only, or only very common words).
 */
export function parseQuery(query: string, languages: Iterable<string> = ['en']): ParsedQuery {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new UserError(
      'query-too-long',
      `Query is ${query.length} characters; the limit is ${MAX_QUERY_LENGTH}.`,
      { values: { length: query.length, limit: MAX_QUERY_LENGTH } },
    );
  }
  const [first, ...others] = queryLanguages(languages);
  const phrases: string[][] = [];
  let endsInPhrase = false;
  const outside = query.replace(PHRASE_RE, (match, a: string | undefined, b: string | undefined) => {
    const phrase = tokenize(a ?? b ?? '');
    if (phrase.length >= 2) phrases.push(phrase);
    endsInPhrase = query.trimEnd().endsWith(match.trimEnd());
    return ` ${a ?? b ?? ''} `;
  });
  const raw = tokenize(outside);
  if (raw.length === 0) {
    throw new UserError('empty-query', 'The query is empty: type at least one word to search for.', {});
  }
  const words: Array<{ word: string; term: string }> = [];
  const alternatives = new Map<string, string[]>();
  for (const word of raw) {
    // A word the first language drops (an English stop word, a single letter) is dropped: in
    // another language it would be a word no English document holds, and every word must match.
    const term = analyzeWord(word, first!);
    if (term === null) continue;
    const forms = others.map((language) => analyzeWord(word, language));
    words.push({ word, term });
    for (const form of forms) {
      if (form === null || form === term) continue;
      const list = alternatives.get(term) ?? [];
      if (!list.includes(form)) alternatives.set(term, [...list, form]);
    }
  }
  if (words.length === 0) {
    const common = [...new Set(raw.map((w) => fold(w)))].filter((w) => STOP_WORDS.has(w) || w.length < 2);
    throw new UserError(
      'empty-query',
      `The query only has very common words (${common.map((w) => `"${w}"`).join(', ')}): add a more specific word.`,
      { key: 'errors.common-words-only', values: { words: common.map((w) => `"${w}"`).join(', ') } },
    );
  }
  const terms = [...new Set(words.map((w) => w.term))];
  return { terms, alternatives, phrases, isLastPrefix: !endsInPhrase, words };
}

/** Whether the term sequence `haystack` contains `needle` as consecutive terms. */
export function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  const [first, ...rest] = needle;
  if (first === undefined) return true;
  let i = haystack.indexOf(first);
  while (i >= 0 && i <= haystack.length - needle.length) {
    if (rest.every((term, k) => haystack[i + 1 + k] === term)) return true;
    i = haystack.indexOf(first, i + 1);
  }
  return false;
}

/** Typo tolerance: none for short words or ids with digits, one edit from 5 letters, two from 9. */
export function fuzzyDistance(term: string): number {
  if (term.length < 5 || /\d/.test(term)) return 0;
  return term.length >= 9 ? 2 : 1;
}

/** The last word is a prefix once it has 3 characters: shorter prefixes expand to too many terms. */
export const MIN_PREFIX_LENGTH = 3;

/** Endings the stemmer strips; a typed prefix may stop anywhere inside one. */
const STRIPPED_ENDINGS = ['ing', 'ed', 'es', 'ies', 'ied', 'e', 's'];

/**
 * Index terms a half-typed word may already be complete in. The index holds stems, so `beijin`
 * (typing "Beijing", stem `beij`) is not a prefix of its term: the term is the typed text minus
 * the start of an ending (`in` of `ing`), or with `y` for `-ies`/`-ied` (`countri` → `country`).
 * At least {@link MIN_PREFIX_LENGTH} characters are kept.
 */
export function stemsOfPrefix(typed: string): string[] {
  if (/\d/.test(typed)) return [];
  const out = new Set<string>();
  for (let cut = 1; cut <= 3 && typed.length - cut >= MIN_PREFIX_LENGTH; cut++) {
    const rest = typed.slice(-cut);
    const stemPart = typed.slice(0, -cut);
    for (const ending of STRIPPED_ENDINGS) {
      if (!ending.startsWith(rest)) continue;
      out.add(ending.startsWith('ie') ? `${stemPart}y` : stemPart);
    }
  }
  out.delete(typed);
  return [...out];
}

/** Text a user may paste that is not words to correct: anything in angle brackets, `@names`, links. */
const MARKUP_RE = /(<[^<>\s]*>|@\S+|https?:\/\/\S+)/u;
/** A word of letters (apostrophes inside allowed): the only kind "did you mean" corrects. */
const LETTERS_RE = /^\p{L}+(?:['’]\p{L}+)*$/u;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether "did you mean" may replace `word` of `query`: a word of letters only (never a number or
 * an id) that occurs outside markup such as `<@123>` or `@everyone`.
 */
export function isCorrectable(query: string, word: string): boolean {
  if (!LETTERS_RE.test(word)) return false;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'u');
  return query.split(MARKUP_RE).some((piece, k) => k % 2 === 0 && pattern.test(piece));
}

/**
 * `query` with the first whole-word occurrence of each key of `replacements` (outside markup)
 * replaced by its value; markup and everything else stay exactly as typed.
 */
export function rewriteQuery(query: string, replacements: ReadonlyMap<string, string>): string {
  const pending = new Map(replacements);
  return query
    .split(MARKUP_RE)
    .map((piece, k) => {
      if (k % 2 === 1) return piece;
      let out = piece;
      for (const [word, replacement] of pending) {
        const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'u');
        if (!pattern.test(out)) continue;
        out = out.replace(pattern, replacement);
        pending.delete(word);
      }
      return out;
    })
    .join('');
}
