import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageButtonId, parsePageArgs } from '../../src/discord/components.js';
import { customId, decodeCustomId, encodeCustomId } from '../../src/discord/customId.js';

describe('customId', () => {
  describe('encodeCustomId / decodeCustomId', () => {
    it('round-trips arguments containing the separator', () => {
      const id = encodeCustomId('read', 'a:b', '100%', '')!;
      expect(id).toBe('v1:read:a%3Ab:100%25:');
      expect(decodeCustomId(id)).toEqual({ ok: true, value: { action: 'read', args: ['a:b', '100%', ''] } });
    });

    it('round-trips any arguments that fit', () => {
      fc.assert(
        fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }), (args) => {
          const id = encodeCustomId('page', ...args);
          if (id === undefined) return;
          expect(id.length).toBeLessThanOrEqual(100);
          expect(decodeCustomId(id)).toEqual({ ok: true, value: { action: 'page', args } });
        }),
      );
    });

    it('refuses ids over 100 characters', () => {
      expect(encodeCustomId('read', 'x'.repeat(95))).toBeUndefined();
      expect(() => customId('read', 'x'.repeat(95))).toThrow('custom_id over 100 characters for read');
    });

    it.each([
      ['v0:page:2', 'stale'],
      ['v9:read:x', 'stale'],
      ['hello', 'malformed'],
      ['', 'malformed'],
      ['x1:read:y', 'malformed'],
    ])('reads %j as %s', (id, problem) => {
      expect(decodeCustomId(id)).toEqual({ ok: false, error: problem });
    });
  });

  describe('page ids', () => {
    it('carry the whole search state', () => {
      const state = { query: 'beijing: office', kind: 'article' as const, country: 'China' };
      const id = pageButtonId(state, 3)!;
      const decoded = decodeCustomId(id);
      expect(decoded.ok && parsePageArgs(decoded.value.args)).toEqual({ page: 3, state });
    });

    it('carry newest-first and since (to the second) in one short argument', () => {
      const state = {
        query: 'floods',
        kind: undefined,
        country: undefined,
        newest: true,
        since: '2026-11-23T12:00:00.000Z',
      };
      const id = pageButtonId(state, 2)!;
      expect(id).toBe(`v1:page:2:ns${(Date.parse(state.since) / 1000).toString(36)}::floods`);
      const decoded = decodeCustomId(id);
      expect(decoded.ok && parsePageArgs(decoded.value.args)).toEqual({ page: 2, state });
    });

    it('still read ids sent before sort and since existed', () => {
      expect(parsePageArgs(['2', 'p', 'Chad', 'water'])).toEqual({
        page: 2,
        state: { query: 'water', kind: 'project', country: 'Chad' },
      });
    });

    it('are undefined when the state cannot fit', () => {
      expect(
        pageButtonId({ query: 'q'.repeat(100), kind: undefined, country: undefined }, 2),
      ).toBeUndefined();
    });

    it.each([
      [['0', '', '', 'q']],
      [['x', '', '', 'q']],
      [['2', 'z', '', 'q']],
      [['2', '', '']],
      [['2', 'nn', '', 'q']],
      [['2', 's', '', 'q']],
    ])('rejects arguments that are not ours: %j', (args) => {
      expect(parsePageArgs(args)).toBeUndefined();
    });
  });
});
