import { describe, expect, it } from 'vitest';
import { isHardWrapped, reflowParagraphs } from '../../../src/core/parse/paragraphs.js';

describe('paragraphs', () => {
  describe('isHardWrapped', () => {
    it('is false for one long paragraph per line', () => {
      const long = 'A sentence that goes on. '.repeat(12).trim();
      expect(isHardWrapped([long, long, long, long])).toBe(false);
    });

    it('is true for text wrapped near a fixed width', () => {
      expect(
        isHardWrapped([
          'IOM and partners today opened a new centre for migrants in the',
          'capital. The centre offers counselling, health care and legal',
          'advice to people on the move and to the communities hosting',
          'them.',
        ]),
      ).toBe(true);
    });
  });

  describe('reflowParagraphs', () => {
    it('ends a paragraph where a sentence ends and the next word would have fitted', () => {
      expect(
        reflowParagraphs([
          'IOM and partners today opened a new centre for migrants in the',
          'capital. The centre offers counselling, health care and legal',
          'advice to people on the move.',
          'The second paragraph starts here and it is wrapped at the same',
          'width as the first one was wrapped.',
        ]),
      ).toEqual([
        'IOM and partners today opened a new centre for migrants in the capital. The centre offers counselling, health care and legal advice to people on the move.',
        'The second paragraph starts here and it is wrapped at the same width as the first one was wrapped.',
      ]);
    });

    it('keeps one-paragraph-per-line text and drops blank lines', () => {
      expect(reflowParagraphs(['First.', '', 'Second.'])).toEqual(['First.', 'Second.']);
    });
  });
});
