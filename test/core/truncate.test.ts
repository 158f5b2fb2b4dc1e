import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ELLIPSIS, truncate } from '../../src/core/truncate.js';

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
