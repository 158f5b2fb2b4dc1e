import { describe, expect, it } from 'vitest';
import { escapeText, snippetMarkdown } from '../../../src/discord/format/text.js';

describe('format/text', () => {
  describe('escapeText', () => {
    it('shows document and user text as typed', () => {
      expect(escapeText('*not bold* _not italic_ `code` > quote')).toBe(
        '\\*not bold\\* \\_not italic\\_ \\`code\\` > quote',
      );
      expect(escapeText('# heading')).toBe('\\# heading');
      expect(escapeText('[link](http://x)')).toBe('\\[link](http://x)');
      expect(escapeText('> quote\n  > again')).toBe('\\> quote\n  \\> again');
    });

    it('shows mention, channel, emoji and timestamp syntax literally', () => {
      expect(escapeText('**bold** @everyone <@123> @here <#9> <:e:1> <t:1:f> </x:1> a@b.c 1 < 2')).toBe(
        '\\*\\*bold\\*\\* \\@everyone \\<@123> \\@here \\<#9> \\<:e:1> \\<t:1:f> \\</x:1> a@b.c 1 < 2',
      );
    });
  });

  describe('snippetMarkdown', () => {
    it('bolds the highlighted words and escapes the rest of the text', () => {
      expect(snippetMarkdown({ text: '*urgent* help_desk for migrants <@1>', highlights: [[23, 31]] })).toBe(
        '\\*urgent\\* help\\_desk for **migrants** \\<@1>',
      );
      expect(snippetMarkdown({ text: '', highlights: [] })).toBe('');
    });
  });
});
