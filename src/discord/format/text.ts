import { escapeMarkdown } from 'discord.js';

export const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` characters, ending with an ellipsis when cut. Prefers a word
 * boundary near the end, never leaves a dangling backslash or an unclosed `**`, and never splits a
 * surrogate pair.
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
  // An odd count of unescaped `**` means bold was opened and not closed: drop the opener.
  const markers = [...cut.matchAll(/(?<!\\)\*\*/g)];
  if (markers.length % 2 === 1) cut = cut.slice(0, markers[markers.length - 1]!.index).replace(/\s+$/, '');
  // An odd run of trailing backslashes would escape the ellipsis.
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

/** Escapes Discord markdown in document or user text, so it shows as typed. */
export function escapeText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
}
