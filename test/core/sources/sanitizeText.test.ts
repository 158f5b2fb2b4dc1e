import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sanitizeLine, sanitizeText } from '../../../src/core/sources/sanitizeText.js';

const ZWNJ = '\u200C';
const ZWJ = '\u200D';

/** Real sentences (test/fixtures/languages/README.md) whose spelling uses the zero-width non-joiner. */
const withJoiners = readFileSync(
  path.resolve(import.meta.dirname, '../../fixtures/languages/sentences.txt'),
  'utf8',
)
  .split('\n')
  .filter((line) => line.includes(ZWNJ))
  .map((line) => line.slice(line.indexOf(':') + 1).trim());

describe('core/sources/sanitizeText', () => {
  it('has real Persian and Bengali sentences spelled with ZWNJ to check', () => {
    expect(withJoiners.some((s) => /\p{Script=Arabic}/u.test(s))).toBe(true);
    expect(withJoiners.some((s) => /\p{Script=Bengali}/u.test(s))).toBe(true);
  });

  it.each(withJoiners.map((s) => [s.slice(0, 30), s]))(
    'keeps the joiners of a word spelled with them: %s…',
    (_, sentence) => {
      expect(sanitizeText(sentence)).toBe(sentence);
      expect(sanitizeLine(sentence)).toBe(sentence);
    },
  );

  it.each([
    ['inside a Latin word', `@every${ZWNJ}one`, '@everyone'],
    ['ZWJ inside a Latin word', `here${ZWJ}now`, 'herenow'],
    ['beside a space', `a ${ZWNJ}b`, 'a b'],
    ['at the start', `${ZWNJ}گیاه`, 'گیاه'],
    ['zero-width space in any script', 'گیاه\u200Bشناسی', 'گیاهشناسی'],
  ])('removes a joiner %s', (_, input, expected) => {
    expect(sanitizeLine(input)).toBe(expected);
  });

  it('keeps the ZWJ of an emoji sequence', () => {
    const family = `👩${ZWJ}👩${ZWJ}👧`;
    expect(sanitizeLine(`A family ${family}`)).toBe(`A family ${family}`);
  });
});
