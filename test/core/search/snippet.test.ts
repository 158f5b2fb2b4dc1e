import { describe, expect, it } from 'vitest';
import { processTerm } from '../../../src/core/search/terms.js';
import {
  buildSnippet,
  highlightRanges,
  MAX_SNIPPET_LENGTH,
  sentences,
} from '../../../src/core/search/snippet.js';
import { marked } from './fixtures.js';

/** The index terms of words, as search results report them. */
const matched = (...words: string[]) => new Set(words.map((w) => processTerm(w)!));
const built = (...args: Parameters<typeof buildSnippet>) => marked(buildSnippet(...args));

describe('search/snippet', () => {
  describe('highlightRanges', () => {
    it('marks words whose term matched, whatever their inflection or accents', () => {
      const text = 'Pär met migrants; a migrant smiled.';
      expect(highlightRanges(text, matched('Par', 'migrant'))).toEqual([
        [0, 3],
        [8, 16],
        [20, 27],
      ]);
    });

    it('leaves markdown-like text as it is: the core returns plain text, adapters escape it', () => {
      const snippet = buildSnippet(['*urgent* help_desk for migrants'], new Set(['migrant']));
      expect(snippet).toEqual({ text: '*urgent* help_desk for migrants', highlights: [[23, 31]] });
    });
  });

  describe('sentences', () => {
    it('splits on sentence ends followed by a capital, a digit or a quote', () => {
      expect(sentences(['One is here. Two is there! “Three,” he said. 4 more.'])).toEqual([
        'One is here.',
        'Two is there!',
        '“Three,” he said.',
        '4 more.',
      ]);
    });
  });

  describe('buildSnippet', () => {
    it('picks the sentence with the most distinct matched terms', () => {
      const snippet = buildSnippet(
        ['Beijing is big. The liaison office in Beijing opened. Nothing here.'],
        matched('liaison', 'office', 'Beijing'),
      );
      expect(marked(snippet)).toBe('The [liaison] [office] in [Beijing] opened.');
    });

    it('prefers words typed over prefix or typo expansions', () => {
      const snippet = buildSnippet(['It is part of it. Said Par Liljert.'], new Set(['part', 'par']), {
        exact: new Set(['par']),
      });
      expect(marked(snippet)).toBe('Said [Par] Liljert.');
    });

    it('falls back to an extra line (contacts) when the text does not match', () => {
      const snippet = buildSnippet(['Nothing relevant.'], new Set(['liljert']), {
        extra: ['Press contact: Pär Liljert, IOM Beijing'],
      });
      expect(marked(snippet)).toBe('Press contact: Pär [Liljert], IOM Beijing');
    });

    it.each([
      [
        'apostrophes and a -ies plural',
        'Nothing here. O’Brien’s countries agreed.',
        ['obrien', 'country'],
        '[O’Brien’s] [countries] agreed.',
      ],
      [
        'accents and -ied, -es endings',
        'First. Pär Liljert carried ÉTUDES.',
        ['par', 'carry', 'etud'],
        '[Pär] Liljert [carried] [ÉTUDES].',
      ],
      ['a capital sigma', 'Alpha. Beta ΟΔΟΣ here.', [processTerm('ΟΔΟΣ')!], 'Beta [ΟΔΟΣ] here.'],
    ])('finds the matching sentence after others, with %s', (_, text, terms, expected) => {
      expect(built([text], new Set(terms))).toBe(expected);
    });

    it('gives the first sentence when nothing matches, and "" without text', () => {
      expect(buildSnippet(['First one. Second one.'], new Set(['zzz']))).toEqual({
        text: 'First one.',
        highlights: [],
      });
      expect(buildSnippet([], new Set(['zzz']))).toEqual({ text: '', highlights: [] });
    });

    it('cuts long sentences on word boundaries around the match, with … on cut sides', () => {
      const long = `${'Lorem ipsum dolor sit amet '.repeat(12)}the migrants arrived ${'and then consectetur adipiscing '.repeat(12)}end.`;
      const snippet = buildSnippet([long], new Set(['migrant']));
      expect(snippet.text.startsWith('…')).toBe(true);
      expect(snippet.text.endsWith('…')).toBe(true);
      expect(snippet.text.length).toBeLessThanOrEqual(MAX_SNIPPET_LENGTH);
      expect(marked(snippet)).toContain('[migrants]');
      const [range] = snippet.highlights;
      expect(snippet.text.slice(...range!)).toBe('migrants');
      const text = snippet.text.replace(/…/g, '');
      expect(long).toContain(text); // whole words only
      expect(long[long.indexOf(text) - 1]).toBe(' ');
    });

    it('keeps snippets of long sentences within the limit when the match is at the start', () => {
      const long = `Migrants ${'walk far across the desert '.repeat(20)}`;
      const snippet = buildSnippet([long], new Set(['migrant']));
      expect(marked(snippet).startsWith('[Migrants]')).toBe(true);
      expect(snippet.text.length).toBeLessThanOrEqual(MAX_SNIPPET_LENGTH);
    });
  });
});
