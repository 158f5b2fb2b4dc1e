import type { APIEmbed } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embedLength, fitEmbed, fitEmbeds } from '../../../src/discord/format/embeds.js';
import { DISCORD_LIMITS as L } from '../../../src/discord/limits.js';

const long = (n: number, word = 'lorem ') => word.repeat(Math.ceil(n / word.length)).slice(0, n);

function expectWithinLimits(embeds: readonly APIEmbed[]): void {
  expect(embeds.length).toBeLessThanOrEqual(L.embedsPerMessage);
  expect(embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(L.embedTotal);
  for (const e of embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(L.embedTitle);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(L.embedDescription);
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(L.footerText);
    expect(e.author?.name.length ?? 0).toBeLessThanOrEqual(L.authorName);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(L.embedFields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.value.length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(L.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(L.fieldValue);
    }
  }
}

describe('format/embeds', () => {
  describe('fitEmbed', () => {
    it('clamps every part of an oversized embed with a clean cut', () => {
      const embed = fitEmbed({
        title: long(1000),
        description: long(10_000),
        footer: { text: long(5000) },
        author: { name: long(1000) },
        fields: Array.from({ length: 40 }, (_, i) => ({ name: `${i} ${long(500)}`, value: long(3000) })),
      });
      expectWithinLimits([{ ...embed, description: '', fields: [] }]);
      expect(embed.title).toMatch(/lorem…$/);
      expect(embed.description).toMatch(/…$/);
      expect(embed.fields).toHaveLength(25);
      expect(embed.fields?.[0]?.value).toMatch(/…$/);
    });

    it('fills empty field names and values, which Discord rejects', () => {
      expect(fitEmbed({ fields: [{ name: '', value: '' }] }).fields).toEqual([
        { name: '\u200b', value: '\u200b' },
      ]);
    });

    it('leaves an embed within limits unchanged', () => {
      const embed = { title: 'T', description: 'D', fields: [{ name: 'n', value: 'v', inline: true }] };
      expect(fitEmbed(embed)).toEqual(embed);
    });
  });

  describe('fitEmbeds', () => {
    it('keeps titles and short fields and shortens the long text first', () => {
      const [embed] = fitEmbeds([
        {
          title: 'An article',
          description: long(4096),
          fields: [
            { name: 'Press contact', value: 'Pär Liljert, IOM Beijing' },
            { name: 'Body', value: long(1024) },
            { name: 'More', value: long(1024) },
          ],
          footer: { text: 'Source: raw/000.txt' },
        },
        { title: 'Second', description: long(1500) },
      ]);
      expect(embed?.title).toBe('An article');
      expect(embed?.fields?.[0]).toEqual({ name: 'Press contact', value: 'Pär Liljert, IOM Beijing' });
      expect(embed?.footer?.text).toBe('Source: raw/000.txt');
      expect(embed?.description).toMatch(/…$/);
    });

    it('keeps at most ten embeds and 6000 characters in all', () => {
      const embeds = fitEmbeds(
        Array.from({ length: 15 }, (_, i) => ({ title: `E${i}`, description: long(3000) })),
      );
      expect(embeds).toHaveLength(10);
      expectWithinLimits(embeds);
    });

    it('drops trailing fields when even short values are too many', () => {
      const embeds = fitEmbeds(
        Array.from({ length: 10 }, () => ({
          title: long(256),
          fields: Array.from({ length: 25 }, () => ({ name: long(256), value: long(60) })),
        })),
      );
      expectWithinLimits(embeds);
    });

    it('always fits, whatever it is given', () => {
      const text = (max: number) => fc.string({ maxLength: max });
      const embed = fc.record(
        {
          title: text(400),
          description: text(6000),
          footer: fc.record({ text: text(3000) }),
          author: fc.record({ name: text(400) }),
          fields: fc.array(fc.record({ name: text(400), value: text(1500) }), { maxLength: 30 }),
        },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(fc.array(embed, { maxLength: 12 }), (embeds) => expectWithinLimits(fitEmbeds(embeds))),
        { numRuns: 150 },
      );
    });
  });
});
