import { describe, expect, it } from 'vitest';
import { MAX_CHOICE_LENGTH, MAX_SUGGESTIONS, PrefixIndex } from '../../../src/core/search/autocomplete.js';

function titles(...entries: Array<[value: string, title: string]>): PrefixIndex {
  const index = new PrefixIndex();
  for (const [value, title] of entries) index.set(value, title, [title]);
  return index;
}

describe('search/autocomplete', () => {
  describe('PrefixIndex.lookup', () => {
    const index = titles(
      ['a', 'Migration Governance in China'],
      ['b', 'Supporting China’s Engagement'],
      ['c', 'Émigrés and Migrants in Perú'],
      ['d', 'Border management'],
    );

    it('lists entries starting with the text first, then entries with a word starting with it', () => {
      expect(index.lookup('mig').map((s) => s.value)).toEqual(['a', 'c']);
      expect(index.lookup('chin').map((s) => s.value)).toEqual(['a', 'b']);
    });

    it('ignores case, accents and punctuation', () => {
      expect(index.lookup('EMIGRES').map((s) => s.value)).toEqual(['c']);
      expect(index.lookup('peru').map((s) => s.value)).toEqual(['c']);
      expect(index.lookup('china’s eng').map((s) => s.value)).toEqual(['b']);
    });

    it('matches several words in order from a word start', () => {
      expect(index.lookup('governance in ch').map((s) => s.value)).toEqual(['a']);
      expect(index.lookup('in china gov')).toEqual([]);
    });

    it('lists the first entries alphabetically for empty input', () => {
      expect(index.lookup('').map((s) => s.value)).toEqual(['d', 'c', 'a', 'b']);
    });

    it('gives nothing for text no entry has', () => {
      expect(index.lookup('zzz')).toEqual([]);
      expect(index.lookup('nothing here')).toEqual([]);
    });
  });

  describe('limits', () => {
    it('returns at most 25 choices and clips names to 100 characters', () => {
      const index = new PrefixIndex();
      for (let i = 0; i < 2000; i++)
        index.set(`id${i}`, `Migration ${'very '.repeat(30)}long title ${i}`, [`Migration title ${i}`]);
      const choices = index.lookup('migration');
      expect(choices).toHaveLength(MAX_SUGGESTIONS);
      expect(index.lookup('title', 50)).toHaveLength(MAX_SUGGESTIONS);
      for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(MAX_CHOICE_LENGTH);
      expect(choices[0]?.name.endsWith('…')).toBe(true);
    });

    it('skips values over 100 characters (they would not round-trip)', () => {
      const index = new PrefixIndex();
      index.set('x'.repeat(101), 'Long', ['long']);
      expect(index.size).toBe(0);
    });
  });

  describe('updates', () => {
    it('replaces an entry set twice and forgets deleted entries and their words', () => {
      const index = titles(['a', 'Flood response'], ['b', 'Flood shelters']);
      index.set('a', 'Cyclone response', ['Cyclone response']);
      expect(index.lookup('flood').map((s) => s.value)).toEqual(['b']);
      expect(index.lookup('resp').map((s) => s.value)).toEqual(['a']);
      index.delete('b');
      expect(index.lookup('flood')).toEqual([]);
      expect(index.lookup('shel')).toEqual([]);
      expect(index.has('b')).toBe(false);
      index.set('b', 'Flood shelters', ['Flood shelters']);
      expect(index.lookup('fl').map((s) => s.value)).toEqual(['b']);
    });

    it('answers the same after bulk loading unsorted entries and replacing some', () => {
      const index = new PrefixIndex();
      for (let i = 999; i >= 0; i--) index.set(`v${i}`, `Title ${i}`, [`Title ${i}`]);
      for (let i = 0; i < 1000; i += 100) index.set(`v${i}`, `Renamed ${i}`, [`Renamed ${i}`]);
      expect(index.lookup('renamed').map((s) => s.value)).toEqual([
        'v0',
        'v100',
        'v200',
        'v300',
        'v400',
        'v500',
        'v600',
        'v700',
        'v800',
        'v900',
      ]);
      expect(index.lookup('title 10').map((s) => s.value)).toEqual(
        ['v10', ...Array.from({ length: 9 }, (_, k) => `v10${k + 1}`)].filter((v) => v !== 'v100'),
      );
    });
  });
});
