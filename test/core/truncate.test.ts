import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ELLIPSIS, truncate, truncateGraphemes } from '../../src/core/truncate.js';

describe('truncate', () => {
  it.each([
    ['short', 10, 'short'],
    ['exactly ten', 11, 'exactly ten'],
    ['one two three four five', 12, 'one two…'],
    ['abcdefghijklmnop', 8, 'abcdefg…'],
    ['anything', 1, '…'],
    ['anything', 0, ''],
  ])('cuts %j to %i characters as %j', (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });

  it('never leaves bold open', () => {
    expect(truncate('plain **bold words here** tail', 16)).toBe('plain…');
    expect(truncate('**a** and **b** then more text', 20)).toBe('**a** and **b**…');
    expect(truncate('x **bold** words', 8)).toBe('x…');
  });

  it('never leaves a dangling escape before the ellipsis', () => {
    expect(truncate('abc\\*def', 5)).toBe('abc…');
  });

  it('never cuts inside a grapheme cluster (a letter and its marks, an emoji sequence)', () => {
    // Arabic with harakat (UDHR article 1): a cut after a letter would drop its vowel mark.
    const arabic = 'يولد جميع الناس أحرارًا متساوين';
    for (let max = 2; max < arabic.length; max++) {
      const cut = truncate(arabic, max).replace(ELLIPSIS, '');
      expect(arabic.startsWith(cut)).toBe(true);
      expect(/\p{M}/u.test(arabic[cut.length] ?? '')).toBe(false);
    }
    expect(truncate('ab👩‍👩‍👧cd', 6)).toBe('ab…');
  });

  it('counts grapheme clusters for truncateGraphemes (autocomplete choice names)', () => {
    const flags = '🇫🇷'.repeat(100);
    expect(truncateGraphemes(flags, 100)).toBe(flags);
    expect(truncateGraphemes(`${flags}x`, 100)).toBe(`${'🇫🇷'.repeat(99)}${ELLIPSIS}`);
    expect(truncateGraphemes('short', 100)).toBe('short');
  });

  it('never splits a surrogate pair', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
  });

  it('always fits and ends with an ellipsis when it cut', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 0, max: 200 }), (text, max) => {
        const cut = truncate(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        if (text.length > max && max > 0) expect(cut.endsWith(ELLIPSIS)).toBe(true);
        if (text.length <= max) expect(cut).toBe(text);
      }),
    );
  });
});
