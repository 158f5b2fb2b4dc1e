/**
 * Text analysis by language, as search engines do it: each word is normalized (Unicode NFKC, zero
 * width characters, Arabic-script letter variants, native digits), lower-cased (Turkish I's
 * included), stripped of a French, Italian or Catalan elision, stemmed with its language's
 * Snowball stemmer, and folded (accents of Latin letters). Documents are analysed in their own
 * language; queries in every language the index holds.
 *
 * English keeps the light stemmer, stop words and folding of `terms.ts` unchanged, so English
 * documents index exactly the terms they did before languages.
 */
// English's table of letters NFKD leaves whole (ß, æ, ł…), shared by every Latin-script language.
import {
  processTerm,
  SPECIAL_LETTERS as SPECIAL_LATIN,
  SPECIAL_RE as SPECIAL_LATIN_RE,
} from '../search/terms.js';
import { primaryLanguage, UNDETERMINED } from './language.js';
import { stemmerFor } from './stemmers.js';
import { tokenize, wordSpans, type WordSpan } from './words.js';

const ASCII_RE = /^[\x20-\x7e]*$/;
/** Zero width space, non-joiner, joiner, word joiner, BOM, soft hyphen. */
const INVISIBLE_RE = /\u200B|\u200C|\u200D|\u2060|\uFEFF|\u00AD/g;
const ARABIC_SCRIPT_RE = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/;
/** Tatweel, harakat (fathatan … sukun, and the rest of the combining block), superscript alef. */
// eslint-disable-next-line no-misleading-character-class -- marks on purpose, each matched alone
const ARABIC_MARKS_RE = /[\u0640\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const ARABIC_LETTERS: Readonly<Record<string, string>> = {
  // Hamza forms of alef, and alef wasla, to bare alef.
  '\u0622': '\u0627',
  '\u0623': '\u0627',
  '\u0625': '\u0627',
  '\u0671': '\u0627',
  // Alef maksura and Persian/Urdu yeh to Arabic yeh; Persian keheh to Arabic kaf.
  '\u0649': '\u064A',
  '\u06CC': '\u064A',
  '\u06A9': '\u0643',
  // Teh marbuta to heh.
  '\u0629': '\u0647',
};
const ARABIC_LETTERS_RE = /[\u0622\u0623\u0625\u0671\u0649\u06CC\u06A9\u0629]/g;
/** Arabic-Indic (U+0660…) and Persian (U+06F0…) digits. */
const NATIVE_DIGITS_RE = /[\u0660-\u0669\u06F0-\u06F9]/g;

/**
 * One word with the language-independent normalization: NFKC (full-width forms, ligatures,
 * presentation forms), invisible characters removed, Arabic harakat and tatweel removed, native
 * digits to ASCII. Letter variants are unified after stemming ({@link unifyArabicLetters}): the
 * Arabic stemmer reads teh marbuta and alef maksura as endings.
 */
export function normalizeWord(word: string): string {
  if (ASCII_RE.test(word)) return word;
  let w = word.normalize('NFKC').replace(INVISIBLE_RE, '');
  if (ARABIC_SCRIPT_RE.test(w)) {
    w = w.replace(ARABIC_MARKS_RE, '').replace(NATIVE_DIGITS_RE, (d) => String(d.charCodeAt(0) & 0xf));
  }
  return w;
}

/**
 * Arabic-script letter variants unified: hamza forms of alef to bare alef, alef maksura and
 * Persian/Urdu yeh to Arabic yeh, keheh to Arabic kaf, teh marbuta to heh.
 */
export function unifyArabicLetters(word: string): string {
  return ARABIC_SCRIPT_RE.test(word) ? word.replace(ARABIC_LETTERS_RE, (c) => ARABIC_LETTERS[c] ?? c) : word;
}

/**
 * The article and the clitics before it that the Snowball stemmer leaves on short words (`الحق`:
 * it keeps at least three letters), stripped when two letters remain, as Lucene's light Arabic
 * stemmer does: so `حق` finds `الحق` and `للحق`.
 */
const ARABIC_ARTICLE_RE = /^(?:وال|بال|كال|فال|لل|ال)(?=[؀-ۿ]{2})/;

const LATIN_MARKS_RE = /(\p{Script=Latin})\p{M}+/gu;

/**
 * Accents of Latin letters removed (`réfugié` → `refugie`, `ş` → `s`, `ı` → `i`); other scripts
 * keep their marks (Cyrillic `й` stays a letter of its own, Greek and Indic words keep theirs).
 */
export function foldLatin(word: string): string {
  if (ASCII_RE.test(word)) return word;
  return word
    .normalize('NFD')
    .replace(LATIN_MARKS_RE, '$1')
    .normalize('NFC')
    .replace(SPECIAL_LATIN_RE, (c) => SPECIAL_LATIN[c] ?? c);
}

/** Articles and pronouns elided before a vowel, by language (`l’asile`, `d’autres`, `dell’Italia`). */
const ELISIONS: Readonly<Record<string, RegExp>> = {
  fr: /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu|quelqu)['’](?=.)/,
  it: /^(?:l|d|c|m|n|s|t|v|un|all|dall|dell|nell|sull|coll|pell|quest|quell|bell|sant)['’](?=.)/,
  ca: /^(?:l|d|m|n|s|t)['’](?=.)/,
};
const APOSTROPHES_RE = /['’]/g;
const DIGIT_RE = /\d/;
/** A lone Chinese or Japanese character is a word (a lone Latin letter is not). */
const IDEOGRAPH_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

const CACHE_SIZE = 200_000;
const caches = new Map<string, Map<string, string | null>>();

/**
 * One raw word → its index term in `language` (a BCP 47 tag; only the primary subtag matters), or
 * null for a word that is not searched (English stop words, single letters).
 */
export function analyzeWord(word: string, language: string): string | null {
  return analyzeIn(word, primaryLanguage(language));
}

/** {@link analyzeWord} bound to one language, for the many words of one document. */
export function wordAnalyzer(language: string): (word: string) => string | null {
  const primary = primaryLanguage(language);
  return (word) => analyzeIn(word, primary);
}

/** {@link analyzeWord} for a primary subtag already taken from the tag. */
function analyzeIn(word: string, primary: string): string | null {
  if (primary === 'en') {
    // Most words are ASCII: our English analysis, memoized, as before languages.
    return ASCII_RE.test(word) ? processTerm(word) : processTerm(unifyArabicLetters(normalizeWord(word)));
  }
  let cache = caches.get(primary);
  if (!cache) caches.set(primary, (cache = new Map<string, string | null>()));
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const term = analyzeUncached(word, primary);
  // Vocabularies are small next to token counts: memoizing skips the regexes for most tokens.
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(word, term);
  return term;
}

/** {@link analyzeWord} without the memo, for a primary subtag other than English. */
export function analyzeUncached(word: string, primary: string): string | null {
  let w = normalizeWord(word);
  w = primary === 'tr' || primary === 'az' ? w.toLocaleLowerCase(primary) : w.toLowerCase();
  const elision = ELISIONS[primary];
  if (elision) w = w.replace(elision, '');
  if (w.includes("'") || w.includes('’')) w = w.replace(APOSTROPHES_RE, '');
  if (w.length < 2 && !DIGIT_RE.test(w) && !IDEOGRAPH_RE.test(w)) return null;
  const stemmer = DIGIT_RE.test(w) ? null : stemmerFor(primary);
  let stemmed = stemmer ? stemmer(w) : w;
  if (stemmed.length === 0) stemmed = w;
  if (primary === 'ar') stemmed = stemmed.replace(ARABIC_ARTICLE_RE, '');
  return foldLatin(unifyArabicLetters(stemmed));
}

/** The index terms of a text in `language`, in order (words that are not searched left out). */
export function analyzeText(text: string, language: string): string[] {
  const primary = primaryLanguage(language);
  const out: string[] = [];
  for (const word of tokenize(text)) {
    const term = analyzeIn(word, primary);
    if (term) out.push(term);
  }
  return out;
}

/** The words of `text` with their offsets and their index terms in `language`. */
export function analyzedSpans(
  text: string,
  language: string,
): Array<WordSpan & { readonly term: string | null }> {
  const primary = primaryLanguage(language);
  return wordSpans(text).map((span) => ({ ...span, term: analyzeIn(span.word, primary) }));
}

/**
 * The languages a query is analysed in: English first (its form is the one typo tolerance and
 * prefixes expand), then the others in tag order, each once by primary subtag.
 */
export function queryLanguages(languages: Iterable<string>): string[] {
  const primaries = new Set<string>();
  for (const tag of languages) primaries.add(primaryLanguage(tag));
  if (primaries.size === 0) primaries.add('en');
  return [...primaries].sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

export { UNDETERMINED };
