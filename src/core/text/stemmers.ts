/**
 * Snowball stemmers from `@orama/stemmers`, one module per language, loaded on first use.
 *
 * Loaded synchronously (the package's CommonJS build, through `createRequire`) because indexing
 * and searching are synchronous, and lazily because a process pays only for the languages its
 * documents are in: an English-only library loads none (English keeps our own light stemmer, see
 * `terms.ts`); all 28 at once cost tens of milliseconds of start-up.
 */
import { createRequire } from 'node:module';

/** A word (lower case, accents kept) → its stem. */
export type Stemmer = (word: string) => string;

/** Primary language subtag → the package's entry point. */
const ENTRY_POINTS: Readonly<Record<string, string>> = {
  ar: 'arabic',
  hy: 'armenian',
  bg: 'bulgarian',
  da: 'danish',
  nl: 'dutch',
  fi: 'finnish',
  fr: 'french',
  de: 'german',
  el: 'greek',
  hu: 'hungarian',
  hi: 'indian',
  id: 'indonesian',
  ga: 'irish',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  no: 'norwegian',
  nb: 'norwegian',
  nn: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  es: 'spanish',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  uk: 'ukrainian',
  sa: 'sanskrit',
};

/** The languages (primary subtags) with a Snowball stemmer, English aside. */
export const STEMMED_LANGUAGES: readonly string[] = Object.keys(ENTRY_POINTS);

const require = createRequire(import.meta.url);
const loaded = new Map<string, Stemmer>();

/** The stemmer of a primary language subtag, or null when the library has none for it. */
export function stemmerFor(language: string): Stemmer | null {
  const cached = loaded.get(language);
  if (cached) return cached;
  const entry = ENTRY_POINTS[language];
  if (entry === undefined) return null;
  const { stemmer } = require(`@orama/stemmers/${entry}`) as { stemmer: Stemmer };
  // Some of the package's stemmers throw on some words (the Bulgarian one writes into the string it
  // was given: `надарени` throws in strict mode). Such a word stays unstemmed, the same way at
  // index and at query time, rather than stopping the indexing of everything.
  const safe: Stemmer = (word) => {
    try {
      return stemmer(word);
    } catch {
      return word;
    }
  };
  loaded.set(language, safe);
  return safe;
}
