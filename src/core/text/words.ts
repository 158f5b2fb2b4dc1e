/**
 * Words of a text with their offsets, in every script: runs of letters, marks and digits
 * (apostrophes inside a word kept for the analysis, which splits elisions). Scripts written without
 * spaces are cut further: Chinese and Japanese into overlapping character bigrams (as search
 * engines' CJK analyzers do, so `移民` finds any sentence holding it, whatever a dictionary would
 * have segmented), Thai, Lao, Khmer and Burmese with `Intl.Segmenter`'s dictionary.
 */

/** A word of a text and where it is (`[start, end)` in UTF-16 code units). */
export interface WordSpan {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

/**
 * A word: starts with a letter or digit, goes on through letters, marks (Arabic harakat, Indic
 * vowel signs, combining accents), digits, zero-width joiners and soft hyphens, and across
 * apostrophes followed by more of the word.
 */
const WORD_PART = String.raw`(?:[\p{L}\p{M}\p{N}\u00AD]|\u200C|\u200D)*`;
const WORD_RE = new RegExp(String.raw`[\p{L}\p{N}]${WORD_PART}(?:['’][\p{L}\p{N}]${WORD_PART})*`, 'gu');

/** Any character of a script written without spaces. */
const UNSPACED_RE =
  /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u3400-\u9FFF\uF900-\uFAFF\u{20000}-\u{3134F}]/u;
/** Runs of Chinese/Japanese, of South-East Asian scripts, or of anything else. */
const RUN_RE =
  /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FC]+)|([\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]+)|([^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FC\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]+)/gu;

let dictionarySegmenter: Intl.Segmenter | undefined;

/** Splits text into raw words (not folded, not stemmed). */
export function tokenize(text: string): string[] {
  if (!UNSPACED_RE.test(text)) return text.match(WORD_RE) ?? [];
  return wordSpans(text).map((s) => s.word);
}

/** Like {@link tokenize}, with the offsets of each word in `text`. */
export function wordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  const unspaced = UNSPACED_RE.test(text);
  for (const match of text.matchAll(WORD_RE)) {
    if (unspaced && UNSPACED_RE.test(match[0])) splitUnspaced(match[0], match.index, spans);
    else spans.push({ word: match[0], start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

function splitUnspaced(word: string, offset: number, out: WordSpan[]): void {
  for (const run of word.matchAll(RUN_RE)) {
    const start = offset + run.index;
    if (run[1] !== undefined) pushBigrams(run[1], start, out);
    else if (run[2] !== undefined) {
      dictionarySegmenter ??= new Intl.Segmenter('th', { granularity: 'word' });
      for (const s of dictionarySegmenter.segment(run[2])) {
        if (s.isWordLike)
          out.push({ word: s.segment, start: start + s.index, end: start + s.index + s.segment.length });
      }
    } else {
      // What is left of the word around the run (Latin letters, digits) is a word of its own.
      for (const rest of run[3]!.matchAll(WORD_RE)) {
        out.push({ word: rest[0], start: start + rest.index, end: start + rest.index + rest[0].length });
      }
    }
  }
}

/** Overlapping pairs of characters (code points); a lone character stands for itself. */
function pushBigrams(run: string, start: number, out: WordSpan[]): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    out.push({ word: run, start, end: start + run.length });
    return;
  }
  let at = start;
  for (let k = 0; k + 1 < chars.length; k++) {
    const word = chars[k]! + chars[k + 1]!;
    out.push({ word, start: at, end: at + word.length });
    at += chars[k]!.length;
  }
}
