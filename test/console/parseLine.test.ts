import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { parseCommandLine } from '../../src/console/parseLine.js';

const definitions = commands.map((c) => c.data.toJSON());

describe('console/parseLine', () => {
  describe('parseCommandLine', () => {
    it.each([
      ['/about', { name: 'about', path: [], options: {} }],
      ['/search query:beijing', { name: 'search', path: [], options: { query: 'beijing' } }],
      [
        '/search query:beijing liaison office kind:article country:China',
        {
          name: 'search',
          path: [],
          options: { query: 'beijing liaison office', kind: 'article', country: 'China' },
        },
      ],
      ['/search query:time: 10:00', { name: 'search', path: [], options: { query: 'time: 10:00' } }],
      [
        '/search query:x kind:Projects',
        { name: 'search', path: [], options: { query: 'x', kind: 'project' } },
      ],
      ['  /contact   name:Pär Liljert  ', { name: 'contact', path: [], options: { name: 'Pär Liljert' } }],
    ])('reads %j', (line, expected) => {
      expect(parseCommandLine(line, definitions)).toEqual({ ok: true, value: expected });
    });

    it.each([
      ['about', 'commands start with a slash, e.g. /about'],
      ['/nope', 'unknown command /nope; try /search, /article, /contact, /project'],
      ['/search', '/search needs query:'],
      ['/search beijing', 'options are written name:value; /search takes query: kind: country:'],
      ['/search query:x kind:poem', 'kind: one of article, project'],
    ])('explains what is wrong with %j', (line, message) => {
      const parsed = parseCommandLine(line, definitions);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.startsWith(message), parsed.error).toBe(true);
    });
  });
});
