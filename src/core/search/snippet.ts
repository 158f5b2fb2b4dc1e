import { wordAnalyzer } from '../text/analysis.js';
import { primaryLanguage } from '../text/language.js';
import { fold, wordSpans, type WordSpan } from './terms.js';

/** Longest snippet, in characters of the document text (the ellipses included). */
export const MAX_SNIPPET_LENGTH = 200;

/** A highlighted stretch of a snippet's text: `[start, end)` in UTF-16 code units. */
export type HighlightRange = readonly [start: number, end: number];

/**
 * The best sentence of a document for a query, as plain text with the matched words' ranges
 * (in order, not overlapping). Adapters render it their own way (bold in Discord, plain in a terminal).
 */
export interface Snippet {
  readonly text: string;
  readonly highlights: readonly HighlightRange[];
}

const SENTENCE_RE = /(?<=[.!?][”"’)]?)\s+(?=[“"‘(]?[\p{Lu}\d])/u;

/** Splits paragraphs into sentences (a full stop then a capital letter or digit). */
export function sentences(paragraphs: readonly string[]): string[] {
  return paragraphs.flatMap((p) => p.split(SENTENCE_RE)).filter((s) => s.trim().length > 0);
}

/**
 * The ranges of the words of `text` whose index term (in `language`) is in `matched`, offset by
 * `offset`. Overlapping or touching ranges (Chinese and Japanese bigrams) are merged.
 */
export function highlightRanges(
  text: string,
  matched: ReadonlySet<string>,
  spans: readonly WordSpan[] = wordSpans(text),
  offset = 0,
  language = 'en',
): HighlightRange[] {
  const ranges: Array<[number, number]> = [];
  const analyze = wordAnalyzer(language);
  for (const span of spans) {
    const term = analyze(span.word);
    if (term === null || !matched.has(term)) continue;
    const last = ranges.at(-1);
    if (last && span.start + offset < last[1]) last[1] = Math.max(last[1], span.end + offset);
    else ranges.push([span.start + offset, span.end + offset]);
  }
  return ranges;
}

const APOSTROPHES_RE = /['’]/g;

/**
 * A test that is false only for text in which no word's index term is in `matched`. A term is
 * its word folded, without apostrophes, cut short by the stemmer, with at most a `y` added
 * (`countries` → `country`), so without that `y` it is a substring of the text folded the same
 * way. Text with a capital sigma is always tested word by word (its lower case depends on the
 * letters around it, so folding a whole sentence may differ from folding each word).
 */
function sentenceFilter(matched: ReadonlySet<string>, language: string): (text: string) => boolean {
  // Other languages' stemmers and normalization may change letters: only English's keeps terms
  // substrings of the folded text.
  if (primaryLanguage(language) !== 'en') return () => true;
  const keys = [...matched].map((term) => (term.endsWith('y') ? term.slice(0, -1) : term));
  if (keys.some((key) => key.length === 0)) return () => true;
  return (text) => {
    if (text.includes('Σ')) return true;
    const folded = fold(text).replace(APOSTROPHES_RE, '');
    return keys.some((key) => folded.includes(key));
  };
}

/**
 * The sentence with the most distinct matched terms (words the user typed count more than prefix
 * or typo expansions; earliest on ties), cut to at most {@link MAX_SNIPPET_LENGTH} characters on
 * word boundaries around the first match, with … where cut, and the matched words' ranges. `extra` lines (contacts, project ids) are candidates after the text, so they show only
 * when they match more than any sentence. Without any match: the first sentence.
 */
export function buildSnippet(
  paragraphs: readonly string[],
  matched: ReadonlySet<string>,
  options: {
    readonly exact?: ReadonlySet<string>;
    readonly extra?: readonly string[];
    /** The document's language, in which its words are analysed (default English). */
    readonly language?: string;
  } = {},
): Snippet {
  const exact = options.exact ?? matched;
  const language = options.language ?? 'en';
  const mayMatch = sentenceFilter(matched, language);
  const analyze = wordAnalyzer(language);
  let best: { text: string; spans: WordSpan[] | null; first: number } | undefined;
  let bestScore = -1;
  for (const sentence of [...sentences(paragraphs), ...(options.extra ?? [])]) {
    let score = 0;
    let first = -1;
    let spans: WordSpan[] | null = null;
    // Most sentences of a long document match nothing: a substring test spares their words.
    if (mayMatch(sentence)) {
      spans = wordSpans(sentence);
      const distinct = new Set<string>();
      let hits = 0;
      spans.forEach((span, i) => {
        const term = analyze(span.word);
        if (term !== null && matched.has(term)) {
          distinct.add(term);
          hits++;
          if (first < 0) first = i;
        }
      });
      score = Math.min(hits, 99);
      for (const term of distinct) score += exact.has(term) ? 1000 : 100;
    }
    if (score > bestScore) {
      best = { text: sentence, spans, first };
      bestScore = score;
    }
  }
  if (!best) return { text: '', highlights: [] };
  const text = best.text;
  const spans = best.spans ?? wordSpans(text);
  if (text.length <= MAX_SNIPPET_LENGTH) {
    return { text, highlights: highlightRanges(text, matched, spans, 0, language) };
  }

  // Window of whole words: start a little before the first match so it has context.
  const anchor = spans[Math.max(0, best.first)] ?? spans[0];
  let start = 0;
  if (anchor && anchor.end > MAX_SNIPPET_LENGTH - 20) {
    const wanted = anchor.start - 60;
    start = spans.find((s) => s.start >= wanted)?.start ?? anchor.start;
  }
  const budget = MAX_SNIPPET_LENGTH - (start > 0 ? 1 : 0) - 1;
  let end = start;
  for (const span of spans) {
    if (span.start < start) continue;
    if (span.end - start > budget) break;
    end = span.end;
  }
  // One word longer than the budget (or text without spaces): cut between grapheme clusters, never
  // inside one (a surrogate pair, a letter and its marks, an emoji sequence).
  if (end <= start) end = graphemeBoundaryAtOrBefore(text, Math.min(text.length, start + budget), start);
  // Keep closing punctuation that sits right after the last word.
  while (end < text.length && end - start < budget && /[.,;:!?”"’)]/.test(text[end]!)) end++;
  const lead = start > 0 ? '…' : '';
  const inside = spans
    .filter((s) => s.start >= start && s.end <= end)
    .map((s) => ({ word: s.word, start: s.start - start, end: s.end - start }));
  const body = text.slice(start, end);
  return {
    text: `${lead}${body}${end < text.length ? '…' : ''}`,
    highlights: highlightRanges(body, matched, inside, lead.length, language),
  };
}

let graphemes: Intl.Segmenter | undefined;

/** The last grapheme cluster boundary of `text` at or before `at` (and after `from`, if any). */
function graphemeBoundaryAtOrBefore(text: string, at: number, from: number): number {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let boundary = from;
  for (const { index, segment } of graphemes.segment(text.slice(from, Math.min(text.length, at + 16)))) {
    const end = from + index + segment.length;
    if (end > at) break;
    boundary = end;
  }
  return boundary > from ? boundary : at;
}
