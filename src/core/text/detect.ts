/**
 * Which language a record is in: what the source or the publisher declares, else what a detector
 * finds in the text, else a fallback (`und` for fetched items: never a guess; English for the
 * pages in raw/, which are English unless detected otherwise).
 *
 * The detector (eld, see `languageDetector.ts`) is loaded only when a text needs it: English
 * prose, most of the corpus, is recognised here first without it.
 */
import { canonicalLanguage, UNDETERMINED } from './language.js';

/** A detector's verdict: an ISO 639-1 code (or '') and whether it is confident. */
export interface LanguageGuess {
  readonly language: string;
  readonly reliable: boolean;
}

/** Detects the language of a text (synchronous once loaded). */
export type LanguageDetector = (text: string) => LanguageGuess;

/** How much text a detector reads: the start of a document says its language. */
export const SAMPLE_LENGTH = 1000;
/** Fewer letters than this is too short to tell. */
export const MIN_LETTERS = 20;

/** The text a detector reads for a record: title and first paragraphs, up to {@link SAMPLE_LENGTH}. */
export function languageSample(title: string, paragraphs: readonly string[]): string {
  let sample = title;
  for (const p of paragraphs) {
    if (sample.length >= SAMPLE_LENGTH) break;
    sample += `\n${p}`;
  }
  return sample.slice(0, SAMPLE_LENGTH);
}

const WORD_RE = /\p{L}+/gu;
const ENGLISH_WORDS = new Set(
  'the of and to in is for on with that by as from at are was were has have said will it this be an its their'.split(
    ' ',
  ),
);

/**
 * Whether a text is plainly English prose: at least 12 words, 95% of them in ASCII letters (names
 * such as Yaoundé or Nováková allowed), and an eighth among the commonest English function words.
 * Strict on purpose (a test checks it never says so of the non-English samples); anything else
 * goes to the detector.
 */
export function looksEnglish(text: string): boolean {
  const words = text.slice(0, SAMPLE_LENGTH).match(WORD_RE) ?? [];
  if (words.length < 12) return false;
  let common = 0;
  let other = 0;
  for (const word of words) {
    if (!ASCII_WORD_RE.test(word)) other++;
    else if (ENGLISH_WORDS.has(word.toLowerCase())) common++;
  }
  return other <= words.length * 0.05 && common >= words.length * 0.12;
}

const ASCII_WORD_RE = /^[A-Za-z]+$/;

/** Where a record's language comes from, in order. */
export interface LanguageEvidence {
  /** The source's `language` in sources.json, if any. */
  readonly configured?: string | null;
  /** What the publisher declares (feed `<language>`, `dc:language`, `xml:lang`, `<html lang>`…). */
  readonly declared?: string | null;
  /** The text to detect from when nothing is declared. */
  readonly sample: string;
  /** Null: no detection (only the English check runs). */
  readonly detector: LanguageDetector | null;
  /** When the text cannot tell: `und`, or `en` for raw/ pages. */
  readonly fallback: string;
}

/** The record's language tag from its evidence (see {@link LanguageEvidence}). */
export function decideLanguage(evidence: LanguageEvidence): string {
  const stated = canonicalLanguage(evidence.configured) ?? canonicalLanguage(evidence.declared);
  if (stated !== null) return stated;
  const sample = evidence.sample;
  if (looksEnglish(sample)) return 'en';
  const letters = sample.match(WORD_RE)?.join('').length ?? 0;
  if (letters < MIN_LETTERS || evidence.detector === null) return evidence.fallback;
  const guess = evidence.detector(sample);
  return guess.reliable ? (canonicalLanguage(guess.language) ?? evidence.fallback) : evidence.fallback;
}

export { UNDETERMINED };
