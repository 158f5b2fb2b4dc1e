import { describe, expect, it } from 'vitest';
import {
  containsSequence,
  fuzzyDistance,
  parseQuery,
  stemsOfPrefix,
} from '../../../src/core/search/query.js';
import { userError } from '../../fixtures/userError.js';

describe('search/query', () => {
  describe('parseQuery', () => {
    it('turns words into distinct index terms in order', () => {
      const parsed = parseQuery('Migrants in Beijing migrant');
      expect(parsed.terms).toEqual(['migrant', 'beij']);
      expect(parsed.isLastPrefix).toBe(true);
      expect(parsed.phrases).toEqual([]);
    });

    it('reads quoted phrases, straight or curly, keeps their words (analysed in each document language) and makes them terms', () => {
      const parsed = parseQuery('"liaison office" “Head of Office” Beijing');
      expect(parsed.phrases).toEqual([
        ['liaison', 'office'],
        ['Head', 'of', 'Office'],
      ]);
      expect(parsed.terms).toEqual(['liaison', 'offic', 'head', 'beij']);
    });

    it('does not treat a word inside a closing phrase as a prefix', () => {
      expect(parseQuery('beijing "liaison office"').isLastPrefix).toBe(false);
    });

    it('rejects a query over 500 characters with its length', () => {
      const error = userError(() => parseQuery('a'.repeat(1000)));
      expect(error.code).toBe('query-too-long');
      expect(error.message).toBe('Query is 1000 characters; the limit is 500.');
    });

    it.each(['', '   ', '!!! ?? ...', '"" «»'])('rejects %j as an empty query', (query) => {
      const error = userError(() => parseQuery(query));
      expect(error.code).toBe('empty-query');
      expect(error.message).toBe('The query is empty: type at least one word to search for.');
    });

    it('rejects a query of only stop words, naming them', () => {
      const error = userError(() => parseQuery('the of AND'));
      expect(error.code).toBe('empty-query');
      expect(error.message).toBe(
        'The query only has very common words ("the", "of", "and"): add a more specific word.',
      );
    });

    it('accepts exactly 500 characters', () => {
      expect(parseQuery(`${'migration '.repeat(49)}migration`.padEnd(500, 'x')).terms.length).toBeGreaterThan(
        0,
      );
    });
  });

  describe('containsSequence', () => {
    it.each([
      [['a1', 'b1', 'c1'], ['b1', 'c1'], true],
      [['a1', 'b1', 'c1'], ['c1', 'b1'], false],
      [['a1', 'b1', 'a1', 'c1'], ['a1', 'c1'], true],
      [['a1'], ['a1', 'b1'], false],
    ])('finds %j in %j: %s', (haystack, needle, expected) => {
      expect(containsSequence(haystack, needle)).toBe(expected);
    });
  });

  describe('stemsOfPrefix', () => {
    it.each([
      ['beijin', ['beij']],
      ['countri', ['countr', 'country']],
      ['cn10p', []],
      ['mig', []],
    ])('gives %s the stems %j', (typed, stems) => {
      expect(stemsOfPrefix(typed)).toEqual(stems);
    });
  });

  describe('fuzzyDistance', () => {
    it.each([
      ['iom', 0],
      ['lijert', 1],
      ['trafficking', 2],
      ['cn10p0002', 0],
    ])('allows %s %i edits', (term, edits) => {
      expect(fuzzyDistance(term)).toBe(edits);
    });
  });
});
