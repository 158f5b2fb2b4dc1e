import { normalizeSpace } from './pageText.js';

/** A line ends a sentence: `.`, `!`, `?` or `:` possibly followed by closing quotes/brackets. */
const ENDS_SENTENCE = /[.!?:]["'”’)\]]*$/;

const length = (line: string) => [...line].length;

/**
 * True when the text was hard-wrapped at a fixed width (most lines close to the longest one, and
 * the longest one short), as opposed to one paragraph per line.
 */
export function isHardWrapped(lines: readonly string[]): boolean {
  const text = lines.filter((line) => line.trim() !== '');
  if (text.length < 4) return false;
  const width = Math.max(...text.map(length));
  if (width > 120) return false;
  const nearWidth = text.filter((line) => length(line) >= width * 0.7).length;
  return nearWidth / text.length >= 0.6;
}

/**
 * Body lines → paragraphs. One-paragraph-per-line text keeps its lines. Hard-wrapped text is
 * re-flowed: a line ends its paragraph when it ends a sentence and the next line's first word
 * would have fitted on it (so the wrap did not cause the break), or at a blank line.
 */
export function reflowParagraphs(lines: readonly string[]): string[] {
  if (!isHardWrapped(lines)) {
    return lines.map(normalizeSpace).filter((line) => line !== '');
  }
  const width = Math.max(...lines.map(length));
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) paragraphs.push(normalizeSpace(current.join(' ')));
    current = [];
  };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return flush();
    current.push(line);
    const nextWord = (lines[i + 1] ?? '').trim().split(/\s+/)[0] ?? '';
    if (ENDS_SENTENCE.test(line) && length(raw) + 1 + length(nextWord) <= width) flush();
  });
  flush();
  return paragraphs;
}
