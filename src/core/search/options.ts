import type { Options, SearchOptions } from 'minisearch';
import { analyzeUncached, foldLatin, normalizeWord, unifyArabicLetters } from '../text/analysis.js';
import { STEMMED_LANGUAGES } from '../text/stemmers.js';
import { tokenize, wordSpans } from '../text/words.js';
import { fold, hashString, processTermUncached, stem, STOP_WORDS } from './terms.js';

/**
 * The flat document MiniSearch indexes: one string per field, built from a DocumentRecord and the
 * people found in its text (see `toIndexedDocument` in `searchIndex.ts`). The fields hold index
 * terms already analysed in the document's language, separated by single spaces: MiniSearch's
 * `tokenize` and `processTerm` see no document, so the language is applied before they run.
 */
export interface IndexedDocument {
  readonly id: string;
  /** The record's language tag (not indexed: the fields are already analysed in it). */
  readonly language: string;
  readonly title: string;
  readonly body: string;
  /**
   * Short facts, one field so a query walks three fields, not six: dateline country, press
   * contacts (names, offices, e-mails), people named with their roles, project ids and fields.
   */
  readonly facts: string;
}

/** Bump when anything that changes index terms changes (tokenizer, stemmer, stop words, fields). */
export const INDEX_FORMAT_VERSION = 3;

const EMPTY: string[] = [];
/** An analysed field back into its terms. */
const splitAnalysed = (text: string): string[] => (text === '' ? EMPTY : text.split(' '));

/**
 * The MiniSearch options, in ONE place: a saved index only loads with the options it was built
 * with, so the snapshot carries {@link OPTIONS_HASH} and is rebuilt when it differs.
 *
 * No `storeFields`: the library keeps the records themselves, so filters and results read the
 * record by id instead of duplicating fields in the index and its snapshot.
 */
export const SEARCH_INDEX_OPTIONS = {
  idField: 'id',
  fields: ['title', 'body', 'facts'],
  storeFields: [],
  tokenize: (text: string) => splitAnalysed(text),
  processTerm: (term: string) => term,
  // For the plain index (another MiniSearch version: see searchIndex.ts), clean up after any
  // replaced or removed document in the background (MiniSearch waits for 20 and for 10% by
  // default); the live index's small MiniSearch turns it off. Not saved, so not in OPTIONS_HASH.
  autoVacuum: { minDirtCount: 1, minDirtFactor: Number.MIN_VALUE, batchSize: 1000, batchWait: 10 },
  searchOptions: {
    boost: { title: 3, facts: 2 },
    // Terms are stemmed; prefix and fuzzy weights lower than an exact term so exact words win.
    weights: { fuzzy: 0.45, prefix: 0.375 },
    maxFuzzy: 2,
  } satisfies SearchOptions,
} as const satisfies Options<IndexedDocument>;

/**
 * Fingerprint of everything that shapes the saved index: the version above, fields and the source
 * of the term functions (search-time options such as boosts are not saved, so not hashed). Function sources catch most unannounced edits; the version number
 * is the promise.
 */
export const OPTIONS_HASH: string = hashString(
  JSON.stringify({
    version: INDEX_FORMAT_VERSION,
    fields: SEARCH_INDEX_OPTIONS.fields,
    storeFields: SEARCH_INDEX_OPTIONS.storeFields,
    stopWords: [...STOP_WORDS],
    stemmers: STEMMED_LANGUAGES,
    functions: [
      fold,
      tokenize,
      wordSpans,
      stem,
      processTermUncached,
      normalizeWord,
      unifyArabicLetters,
      foldLatin,
      analyzeUncached,
    ].map((f) => f.toString()),
  }),
);
