import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/parse/parseDocument.js';
import { decodePage } from '../../../src/core/parse/pageText.js';
import { FAKE_HASH, page } from '../../fixtures/pages.js';

describe('parse/pageText', () => {
  describe('decodePage', () => {
    it.each([
      ['an empty file', new Uint8Array(), 'empty file'],
      ['white space only', new TextEncoder().encode(' \n\t\n'), 'empty file (only white space)'],
      [
        'a binary file',
        Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
        'binary file (contains NUL bytes), not a text page',
      ],
      ['Latin-1 text', Uint8Array.from([0x43, 0x61, 0x66, 0xe9]), 'not UTF-8 text'],
    ])('refuses %s', (_what, bytes, reason) => {
      expect(decodePage(bytes)).toEqual({ ok: false, error: reason });
    });

    it('drops a byte-order mark and normalises CRLF', () => {
      expect(decodePage(new TextEncoder().encode('\uFEFFTitle\r\nText'))).toEqual({
        ok: true,
        value: 'Title\nText',
      });
    });
  });

  it('parsing never throws on arbitrary bytes or text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const text = decodePage(bytes);
        if (text.ok)
          parseDocument({ id: 'p', source: 'raw/p.txt', text: text.value, contentHash: FAKE_HASH });
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.constantFrom('-', 'Year', 'Email:', 'Tel:', 'For more information, please contact'),
          ),
          { maxLength: 40 },
        ),
        (lines) => {
          const result = parseDocument({
            id: 'p',
            source: 'raw/p.txt',
            text: page(...lines),
            contentHash: FAKE_HASH,
          });
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});
