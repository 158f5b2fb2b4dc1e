import { err, ok, type Result } from '../errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns a file's bytes into text with `\n` line ends, or says why it is not a page: empty, binary
 * (NUL bytes), or not UTF-8. A leading byte-order mark is dropped.
 */
export function decodePage(bytes: Uint8Array): Result<string> {
  if (bytes.length === 0) return err('empty file');
  if (bytes.includes(0)) return err('binary file (contains NUL bytes), not a text page');
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return err('not UTF-8 text');
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') return err('empty file (only white space)');
  return ok(text);
}

/** Lines with trailing white space removed and non-breaking spaces made plain. */
export function splitLines(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/\u00A0/g, ' ').trimEnd());
}

/** Collapses runs of white space and trims: the form in which lines are compared. */
export function normalizeSpace(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
