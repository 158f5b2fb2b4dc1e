import { describe, expect, it } from 'vitest';
import { processTerm } from '../../../src/core/search/terms.js';
import {
  buildSnippet,
  escapeMarkdown,
  highlight,
  MAX_SNIPPET_LENGTH,
  sentences,
} from '../../../src/core/search/snippet.js';

/** The index terms of words, as search results report them. */
const matched = (...words: string[]) => new Set(words.map((w) => processTerm(w)!));
const plain = (snippet: string) => snippet.replace(/\*\*/g, '').replace(/\\(.)/g, '$1');

describe('search/snippet', () => {
  describe('escapeMarkdown', () => {
    it('escapes every Discord markdown character and the backslash', () => {
      expect(escapeMarkdown('a*b_c~d`e|f>g\\h')).toBe('a\\*b\\_c\\~d\\`e\\|f\\>g\\\\h');
    });

    it('escapes the brackets of a masked link', () => {
      expect(escapeMarkdown('[IOM](https://iom.int)')).toBe('\\[IOM\\](https://iom.int)');
    });
  });

  describe('highlight', () => {
    it('bolds words whose term matched, whatever their inflection or accents', () => {
      expect(highlight('Pär met migrants; a migrant smiled.', matched('Par', 'migrant'))).toBe(
        '**Pär** met **migrants**; a **migrant** smiled.',
      );
    });

    it('escapes markdown in the text so only our ** is markup', () => {
      expect(highlight('*urgent* help_desk for migrants', new Set(['migrant']))).toBe(
        '\\*urgent\\* help\\_desk for **migrants**',
      );
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
      expect(snippet).toBe('The **liaison** **office** in **Beijing** opened.');
    });

    it('prefers words typed over prefix or typo expansions', () => {
      const snippet = buildSnippet(['It is part of it. Said Par Liljert.'], new Set(['part', 'par']), {
        exact: new Set(['par']),
      });
      expect(snippet).toBe('Said **Par** Liljert.');
    });

    it('falls back to an extra line (contacts) when the text does not match', () => {
      const snippet = buildSnippet(['Nothing relevant.'], new Set(['liljert']), {
        extra: ['Press contact: Pär Liljert, IOM Beijing'],
      });
      expect(snippet).toBe('Press contact: Pär **Liljert**, IOM Beijing');
    });

    it.each([
      [
        'apostrophes and a -ies plural',
        'Nothing here. O’Brien’s countries agreed.',
        ['obrien', 'country'],
        '**O’Brien’s** **countries** agreed.',
      ],
      [
        'accents and -ied, -es endings',
        'First. Pär Liljert carried ÉTUDES.',
        ['par', 'carry', 'etud'],
        '**Pär** Liljert **carried** **ÉTUDES**.',
      ],
      ['a capital sigma', 'Alpha. Beta ΟΔΟΣ here.', [processTerm('ΟΔΟΣ')!], 'Beta **ΟΔΟΣ** here.'],
    ])('finds the matching sentence after others, with %s', (_, text, terms, expected) => {
      expect(buildSnippet([text], new Set(terms))).toBe(expected);
    });

    it('gives the first sentence when nothing matches, and "" without text', () => {
      expect(buildSnippet(['First one. Second one.'], new Set(['zzz']))).toBe('First one.');
      expect(buildSnippet([], new Set(['zzz']))).toBe('');
    });

    it('cuts long sentences on word boundaries around the match, with … on cut sides', () => {
      const long = `${'Lorem ipsum dolor sit amet '.repeat(12)}the migrants arrived ${'and then consectetur adipiscing '.repeat(12)}end.`;
      const snippet = buildSnippet([long], new Set(['migrant']));
      expect(snippet.startsWith('…')).toBe(true);
      expect(snippet.endsWith('…')).toBe(true);
      expect(snippet).toContain('**migrants**');
      const text = plain(snippet).replace(/…/g, '');
      expect(text.length).toBeLessThanOrEqual(MAX_SNIPPET_LENGTH);
      expect(long).toContain(text); // whole words only
      expect(long[long.indexOf(text) - 1]).toBe(' ');
    });

    it('keeps snippets of long sentences within the limit when the match is at the start', () => {
      const long = `Migrants ${'walk far across the desert '.repeat(20)}`;
      const snippet = buildSnippet([long], new Set(['migrant']));
      expect(snippet.startsWith('**Migrants**')).toBe(true);
      expect(plain(snippet).length).toBeLessThanOrEqual(MAX_SNIPPET_LENGTH);
    });
  });
});
