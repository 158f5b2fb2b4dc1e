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
  let cut = text.slice(0, max - 1);
  // A cut between the halves of a surrogate pair leaves a broken character.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
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
