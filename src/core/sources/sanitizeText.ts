/**
 * Web text is hostile: invisible characters hide words from filters and moderators (`@every\u200Bone`),
 * bidi controls reorder what a reader sees. These helpers remove them and normalize white space.
 * They never un-escape anything: markdown and mentions stay as written, and the Discord side
 * escapes them where it renders.
 */

/**
 * Zero-width characters, bidi controls (embeddings, overrides, isolates, marks), the word joiner,
 * the BOM, soft hyphen, Mongolian vowel separator, interlinear annotation marks, and C0/C1
 * controls other than tab and newline. The zero-width (non-)joiner is handled apart: see
 * {@link removeStrayJoiners}.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- these control characters are what it removes
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]/g;

const JOINER = /[\u200C\u200D]/g;
/** A letter or mark of a script whose spelling uses joiners (Persian, Pashto, Indic…): not Latin. */
const JOINING_LETTER = /^[\p{L}\p{M}]$/u;
const LATIN = /^\p{Script=Latin}$/u;
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;

/**
 * ZWNJ and ZWJ are part of how Persian, Pashto, Urdu and Indic words are spelled (`گیاه‌شناسی`),
 * and ZWJ of emoji sequences: kept there. Anywhere else (inside a Latin word, beside a space or an
 * `@`) one only hides a word from filters, so it goes.
 */
function removeStrayJoiners(text: string): string {
  return text.replace(JOINER, (joiner, offset: number) => {
    const before = String.fromCodePoint(text.codePointAt(offset - 1) ?? 0);
    const previous = /[\uDC00-\uDFFF]/.test(before)
      ? String.fromCodePoint(text.codePointAt(offset - 2) ?? 0)
      : before;
    const next = String.fromCodePoint(text.codePointAt(offset + 1) ?? 0);
    const inWord =
      JOINING_LETTER.test(previous) &&
      !LATIN.test(previous) &&
      JOINING_LETTER.test(next) &&
      !LATIN.test(next);
    const inEmoji = joiner === '\u200D' && PICTOGRAPH.test(previous) && PICTOGRAPH.test(next);
    return inWord || inEmoji ? joiner : '';
  });
}

/** A single line: invisible characters removed, every run of white space (newlines too) one space. */
export function sanitizeLine(value: string): string {
  return removeStrayJoiners(value.replace(INVISIBLE, '')).replace(/\s+/g, ' ').trim();
}

/**
 * Multi-line text: invisible characters removed, `\r\n` made `\n`, spaces within a line collapsed,
 * more than one blank line collapsed to one, leading and trailing blank lines dropped.
 */
export function sanitizeText(value: string): string {
  return removeStrayJoiners(value.replace(/\r\n?/g, '\n').replace(INVISIBLE, ''))
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
