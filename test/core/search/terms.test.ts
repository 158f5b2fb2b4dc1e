import { describe, expect, it } from 'vitest';
import {
  fold,
  foldPhrase,
  hashString,
  processTerm,
  stem,
  terms,
  tokenize,
  wordSpans,
} from '../../../src/core/search/terms.js';

describe('search/terms', () => {
  describe('fold', () => {
    it.each([
      ['Pär', 'par'],
      ['Chloé', 'chloe'],
      ['Bjørn', 'bjorn'],
      ['Straße', 'strasse'],
      ['ÇELİK', 'celik'],
      ['IOM', 'iom'],
    ])('folds %s to %s', (input, expected) => {
      expect(fold(input)).toBe(expected);
    });
  });

  describe('stem', () => {
    it.each([
      ['migrants', 'migrant'],
      ['countries', 'country'],
      ['boxes', 'box'],
      ['processes', 'process'],
      ['training', 'train'],
      ['planning', 'plan'],
    ])('stems %s to %s', (word, expected) => {
      expect(stem(word)).toBe(expected);
    });

    it.each([
      ['managed', 'managing', 'manage'],
      ['migrated', 'migrating', 'migrate'],
      ['offices', 'office', 'office'],
    ])('gives %s, %s and %s one stem', (a, b, c) => {
      expect(new Set([stem(a), stem(b), stem(c)]).size).toBe(1);
    });

    it('is crude on names ("beijing" → "beij") but the same at index and query time', () => {
      expect(processTerm('Beijing')).toBe(processTerm('BEIJING'));
    });

    it('leaves ids with digits and short words alone', () => {
      expect(stem('cn10p0002')).toBe('cn10p0002');
      expect(stem('bus')).toBe('bus');
    });
  });

  describe('processTerm', () => {
    it('folds, drops possessives and stems', () => {
      expect(processTerm('China’s')).toBe('china');
      expect(processTerm("Migrants'")).toBe('migrant');
      expect(processTerm('Pär')).toBe('par');
    });

    it('drops stop words and single letters, keeps single digits', () => {
      expect(processTerm('The')).toBeNull();
      expect(processTerm('s')).toBeNull();
      expect(processTerm('7')).toBe('7');
    });
  });

  describe('tokenize', () => {
    it('splits on punctuation, keeping apostrophes inside words', () => {
      expect(tokenize('EU-China seminar: IOM’s office (Beijing), e-mail pliljert@iom.int')).toEqual([
        'EU',
        'China',
        'seminar',
        'IOM’s',
        'office',
        'Beijing',
        'e',
        'mail',
        'pliljert',
        'iom',
        'int',
      ]);
    });

    it('gives word offsets that slice back to the words', () => {
      const text = 'Par Liljert, IOM Beijing.';
      for (const span of wordSpans(text)) expect(text.slice(span.start, span.end)).toBe(span.word);
    });

    it('turns a text into index terms without stop words', () => {
      expect(terms('The migrants of Beijing')).toEqual(['migrant', 'beij']);
    });
  });

  describe('foldPhrase', () => {
    it('joins folded words with single spaces', () => {
      expect(foldPhrase('  Supporting  China’s Engagement ')).toBe('supporting chinas engagement');
    });
  });

  describe('hashString', () => {
    it('is stable and differs for different texts', () => {
      expect(hashString('abc')).toBe(hashString('abc'));
      expect(hashString('abc')).not.toBe(hashString('abd'));
      expect(hashString('abc', 1)).not.toBe(hashString('abc'));
    });
  });
});
