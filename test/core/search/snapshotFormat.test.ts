import { describe, expect, it } from 'vitest';
import { isMentionList } from '../../../src/core/search/snapshotFormat.js';

describe('snapshotFormat', () => {
  describe('isMentionList', () => {
    it.each([
      ['no one', []],
      ['a name with a role', [{ name: 'Liljert Chen', role: 'Head of Office' }]],
      ['a name without a role', [{ name: 'Amina Diallo', role: null }]],
    ])('accepts %s', (_name, value) => {
      expect(isMentionList(value)).toBe(true);
    });

    it.each([
      ['an object of lists (the old mentions object)', { a: [{ name: 'X', role: null }] }],
      ['a number', 7],
      ['null', null],
      ['a list with a string', ['Liljert Chen']],
      ['a list with an array', [['Liljert Chen']]],
      ['a person without a name', [{ role: 'Head of Office' }]],
      ['a name that is not text', [{ name: 3, role: null }]],
    ])('refuses %s', (_name, value) => {
      expect(isMentionList(value)).toBe(false);
    });
  });
});
