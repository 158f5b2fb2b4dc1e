import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/core/contacts/names.js';

describe('contacts/names', () => {
  describe('normalizeName', () => {
    it.each([
      ['Pär Liljert', 'par liljert'],
      ['  PAR   liljert ', 'par liljert'],
      ['Mr. Jian Zhao', 'jian zhao'],
      ['Dr Chloé Martin-Roy', 'chloe martin roy'],
      ['Ms', 'ms'],
    ])('normalizes %j to %j', (name, key) => {
      expect(normalizeName(name)).toBe(key);
    });
  });
});
