import { time } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { renderMessage, terminalText, terminalTime } from '../../src/console/render.js';
import { aboutReply } from '../../src/discord/format/about.js';
import { sourcesReply } from '../../src/discord/format/sources.js';
import { toMessageOptions } from '../../src/discord/reply.js';
import { escapeText, snippetMarkdown } from '../../src/discord/format/text.js';

const AT = new Date('2026-11-29T11:05:42Z');

describe('console/render', () => {
  describe('terminalTime', () => {
    it.each([
      ['R', '2026-11-29 11:05 UTC'],
      ['f', '2026-11-29 11:05 UTC'],
      ['F', '2026-11-29 11:05 UTC'],
      ['D', '2026-11-29'],
      ['d', '2026-11-29'],
      ['t', '11:05 UTC'],
      [undefined, '2026-11-29 11:05 UTC'],
    ])('writes style %s as %s', (style, expected) => {
      expect(terminalTime(AT.getTime() / 1000, style)).toBe(expected);
    });
  });

  describe('terminalText', () => {
    it.each([
      ['a timestamp from discord.js', `Last fetch: ${time(AT, 'R')}`, 'Last fetch: 2026-11-29 11:05 UTC'],
      ['a day stamp', `Published ${time(AT, 'D')}`, 'Published 2026-11-29'],
      ['inline code', '`/search query:` find press releases', '/search query: find press releases'],
      ['a code block', '```json\n{"a": 1}\n```', '{"a": 1}'],
      ['bold highlights', 'the **liaison** **office** opened', 'the liaison office opened'],
      ['italics with *', '*Article · China* · found', 'Article · China · found'],
      [
        'a masked link',
        'see [the page](<https://example.org/a_b>)',
        'see the page (https://example.org/a_b)',
      ],
      ['a link kept from embedding', 'at <https://example.org/x>', 'at https://example.org/x'],
      ['an id with underscores', 'id 000_1e0d9a2d3cac57c3', 'id 000_1e0d9a2d3cac57c3'],
      ['a lone star', '5 * 3 and a*b', '5 * 3 and a*b'],
    ])('renders %s as plain text', (_what, markdown, expected) => {
      expect(terminalText(markdown)).toBe(expected);
    });

    it('shows escaped text exactly as written, markup characters included', () => {
      const hostile = '@everyone <@123> **floods** [click](https://evil.example) `code` <t:1:R> a_b_';
      expect(terminalText(escapeText(hostile))).toBe(hostile);
    });

    it('shows a snippet as its sentence, without the bold of its highlights', () => {
      const snippet = {
        text: 'IOM opens a **liaison** office',
        highlights: [[19, 30]] as [number, number][],
      };
      expect(terminalText(snippetMarkdown(snippet))).toBe(snippet.text);
    });
  });

  describe('renderMessage', () => {
    it('renders /about without backticks or Discord markup', () => {
      const reply = aboutReply(
        { documents: 5, articles: 4, projects: 1, contacts: 3 },
        '1.2.3',
        65_000,
        'en',
      );
      const { text } = renderMessage(toMessageOptions(reply), 1);
      expect(text).toContain('/search query: find press releases and projects');
      expect(text).not.toMatch(/[`*]|<t:/);
    });

    it('renders /sources with its fetch times in UTC, never <t:…>', () => {
      const reply = sourcesReply(
        [
          {
            id: 'news',
            name: 'News',
            type: 'feed',
            url: 'https://example.org/rss.xml',
            enabled: true,
            fullText: false,
            status: 'ok',
            lastFetchedAt: '2026-11-29T11:05:42.000Z',
            nextFetchAt: '2026-11-29T11:35:42.000Z',
            failures: 0,
            lastError: null,
            documents: 3,
          },
        ],
        'en',
      );
      const { text } = renderMessage(toMessageOptions(reply), 1);
      expect(text).toContain('Last fetch: 2026-11-29 11:05 UTC · Next fetch: 2026-11-29 11:35 UTC');
      expect(text).not.toContain('<t:');
    });
  });
});
