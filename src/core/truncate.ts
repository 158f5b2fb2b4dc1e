/** The mark a cut text ends with. */
export const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` UTF-16 code units, ending with {@link ELLIPSIS} when cut: the one
 * truncate of the code base (summaries, autocomplete names, messages, table cells, every message
 * limit). Prefers a word boundary near the end and never splits a surrogate pair. Text that carries
 * markup stays well formed: an odd run of trailing backslashes (which would escape the ellipsis)
 * and an unpaired `**` (an emphasis opened and never closed) are dropped.
 */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  if (max === 1) return ELLIPSIS;
  // A cut inside a grapheme cluster leaves a broken character: half a surrogate pair, a letter
  // without its marks (Arabic harakat, Indic vowel signs), half an emoji sequence.
  return finish(text.slice(0, graphemeBoundaryBefore(text, max - 1)));
}

/**
 * Like {@link truncate}, counting grapheme clusters (what a reader sees as one character) instead
 * of code units: Discord's limits on autocomplete choice names.
 */
export function truncateGraphemes(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let count = 0;
  let end = 0;
  for (const { index } of graphemes.segment(text)) {
    if (count === max - 1) end = index;
    if (++count > max) return max === 1 ? ELLIPSIS : finish(text.slice(0, end));
  }
  return text;
}

let graphemes: Intl.Segmenter | undefined;

/** The last grapheme cluster boundary of `text` at or before `at` (a code unit offset). */
function graphemeBoundaryBefore(text: string, at: number): number {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  // Clusters are short: segmenting a window around the cut is enough.
  const from = Math.max(0, at - 32);
  let boundary = from;
  for (const { index } of graphemes.segment(text.slice(from, at + 32))) {
    if (from + index > at) break;
    boundary = from + index;
  }
  return boundary;
}

/** The cut text with its markup kept well formed, then the ellipsis (see {@link truncate}). */
function finish(text: string): string {
  let cut = text;
  // A word boundary close to the end reads better than half a word.
  const space = cut.lastIndexOf(' ');
  if (space > 0 && cut.length - space <= Math.max(15, cut.length * 0.2)) cut = cut.slice(0, space);
  cut = cut.replace(/\s+$/, '');
  const markers = [...cut.matchAll(/(?<!\\)\*\*/g)];
  if (markers.length % 2 === 1) cut = cut.slice(0, markers[markers.length - 1]!.index).replace(/\s+$/, '');
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}
