import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planDigest } from '../../../src/core/digest.js';
import {
  DIGEST_LIMITS,
  digestNonce,
  renderDigestMessages,
  toMessageBody,
  type DigestMessage,
} from '../../../src/discord/format/digest.js';
import { loadCorpus } from '../../../src/ingest/loadCorpus.js';
import { makeDataDir } from '../../fixtures/dataDir.js';
import { item, NOW, projectFields, record } from '../../fixtures/digestItems.js';

const render = (input: Parameters<typeof planDigest>[0]) => renderDigestMessages(planDigest(input));

const messageChars = (m: DigestMessage) =>
  m.embeds.reduce(
    (n, e) =>
      n +
      e.title.length +
      (e.description?.length ?? 0) +
      (e.footer?.length ?? 0) +
      e.fields.reduce((k, f) => k + f.name.length + f.value.length, 0),
    0,
  );

function expectWithinLimits(messages: readonly DigestMessage[]) {
  for (const m of messages) {
    expect(m.embeds.length).toBeLessThanOrEqual(DIGEST_LIMITS.embedsPerMessage);
    expect(messageChars(m)).toBeLessThanOrEqual(DIGEST_LIMITS.charsPerMessage);
    expect(m.buttons.length).toBeLessThanOrEqual(DIGEST_LIMITS.buttonsPerMessage);
    expect(m.content?.length ?? 0).toBeLessThanOrEqual(DIGEST_LIMITS.content);
    for (const e of m.embeds) {
      expect(e.title.length).toBeLessThanOrEqual(DIGEST_LIMITS.embedTitle);
      expect(e.fields.length).toBeLessThanOrEqual(DIGEST_LIMITS.fieldsPerEmbed);
      for (const f of e.fields) {
        expect(f.name.length).toBeLessThanOrEqual(DIGEST_LIMITS.fieldName);
        expect(f.value.length).toBeLessThanOrEqual(DIGEST_LIMITS.fieldValue);
      }
    }
    for (const b of m.buttons) {
      expect(b.label.length).toBeLessThanOrEqual(DIGEST_LIMITS.buttonLabel);
    }
  }
}

describe('format/digest', () => {
  describe('renderDigestMessages', () => {
    it('posts nothing when there is nothing new', () => {
      expect(renderDigestMessages(planDigest({ items: [], since: null, now: NOW }))).toEqual([]);
    });

    it('groups articles by dateline country, alphabetically with no-dateline last, then projects', () => {
      const messages = render({
        items: [
          item(1, record('k1')),
          item(2, record('n1', { country: null, paragraphs: ['No dateline here. More.'] })),
          item(3, record('c1', { country: 'China' })),
          item(4, record('p1', { kind: 'project', country: 'China', project: projectFields() })),
          item(5, record('k2')),
        ],
        since: '2026-11-22T09:00:00.000Z',
        now: NOW,
        query: 'floods',
      });
      expect(messages).toHaveLength(1);
      const [message] = messages;
      expect(message?.content).toBeNull();
      expect(message?.embeds.map((e) => e.title)).toEqual([
        'Migration news digest: 4 articles and 1 project',
        'China',
        'Kenya',
        'Other news',
        'Projects',
      ]);
      expect(message?.embeds[0]?.description).toBe(
        `Ingested between <t:${Date.parse('2026-11-22T09:00:00Z') / 1000}:f> and <t:${NOW.getTime() / 1000}:f>.\nTopic: floods`,
      );
      // The period is told in readers' terms; internal log numbers are not shown.
      expect(message?.embeds[0]?.footer).toBeNull();
      expect(message?.embeds[2]?.fields).toEqual([
        {
          name: '2. Title of k1',
          value: 'First sentence of k1.\nPress contact: Ana Lima, IOM Nairobi · alima@iom.int',
        },
        {
          name: '3. Title of k2',
          value: 'First sentence of k2.\nPress contact: Ana Lima, IOM Nairobi · alima@iom.int',
        },
      ]);
      expect(message?.embeds[4]?.fields).toEqual([
        { name: '5. Title of p1', value: 'Active · $1,234,567 · Asia · CN10P0002' },
      ]);
      expect(message?.buttons).toEqual(
        ['c1', 'k1', 'k2', 'n1', 'p1'].map((id, k) => ({
          label: `Read ${k + 1}`,
          docId: id,
        })),
      );
    });

    it('mentions a backfill in the header', () => {
      const messages = render({
        items: [item(1, record('a'), true), item(2, record('b'))],
        since: null,
        now: NOW,
      });
      expect(messages[0]?.embeds[0]?.description).toBe(
        `Ingested up to <t:${NOW.getTime() / 1000}:f>.\nIncludes 1 earlier article as a backfill.`,
      );
    });

    it('splits a large digest into numbered messages within every Discord limit, each article once and in order', () => {
      const long = 'x'.repeat(600);
      const items = Array.from({ length: 130 }, (_, k) =>
        item(
          k + 1,
          record(`d${String(k).padStart(3, '0')}`, {
            title: `${long} ${k}`,
            country: k % 3 === 0 ? 'Chad' : 'Mali',
            paragraphs: [`${long}. ${long}`],
          }),
        ),
      );
      const messages = render({ items, since: null, now: NOW });
      expect(messages.length).toBeGreaterThan(5);
      expectWithinLimits(messages);
      const ids = messages.flatMap((m) => m.buttons.map((b) => b.docId));
      const expected = [
        ...items.filter((i) => i.record.country === 'Chad'),
        ...items.filter((i) => i.record.country === 'Mali'),
      ].map((i) => i.record.id);
      expect(ids).toEqual(expected);
      expect(messages.map((m) => m.content)).toEqual(
        messages.map((_, k) => `Migration news digest, part ${k + 1} of ${messages.length}`),
      );
      expect(messages[1]?.embeds[0]?.title).toMatch(/^(Chad|Mali) \(continued\)$/);
    });

    it('stays within limits for any mix of titles, countries and text (property)', () => {
      const doc = fc.record({
        title: fc.string({ minLength: 1, maxLength: 400 }),
        country: fc.option(fc.constantFrom('Chad', 'Niger', 'Peru', 'Côte d’Ivoire'), { nil: null }),
        text: fc.string({ minLength: 1, maxLength: 2000 }),
        isProject: fc.boolean(),
      });
      fc.assert(
        fc.property(fc.array(doc, { maxLength: 80 }), (docs) => {
          const items = docs.map((d, k) =>
            item(
              k + 1,
              record(`id${k}`, {
                title: d.title,
                country: d.country,
                paragraphs: [d.text],
                kind: d.isProject ? 'project' : 'article',
              }),
            ),
          );
          const messages = render({
            items,
            since: null,
            now: NOW,
          });
          expectWithinLimits(messages);
          const posted = messages.flatMap((m) => m.buttons.map((b) => b.docId)).sort();
          expect(posted).toEqual(items.map((i) => i.record.id).sort());
        }),
        { numRuns: 60 },
      );
    });

    it('escapes markdown and mention syntax from documents and the topic', () => {
      const [message] = render({
        items: [
          item(
            1,
            record('m', {
              title: '**Bold** <@123> @everyone',
              country: 'Kenya',
              paragraphs: ['Kenya - A_b *c* <#456>. D.'],
            }),
          ),
        ],
        since: null,
        now: NOW,
        query: '**x** <@1>',
      });
      expect(message?.embeds[0]?.description).toContain('Topic: \\*\\*x\\*\\* \\<@1>');
      expect(message?.embeds[1]?.fields[0]).toEqual({
        name: '1. \\*\\*Bold\\*\\* \\<@123> \\@everyone',
        value: 'A\\_b \\*c\\* \\<#456>.\nPress contact: Ana Lima, IOM Nairobi · alima@iom.int',
      });
      expect(toMessageBody(message!, 'n').allowed_mentions).toEqual({ parse: [] });
    });

    it('says in the header that more will follow', () => {
      const messages = render({
        items: [item(11, record('c0')), item(12, record('c1'))],
        since: null,
        now: NOW,
        remaining: 7,
      });
      expect(messages[0]?.embeds[0]?.description).toContain('7 more items will follow in the next digest.');
    });

    it('composes the shipped pages into one message', async () => {
      const data = makeDataDir({ shipped: true });
      try {
        const { documents } = await loadCorpus(data.dir);
        const messages = render({
          items: documents.map((d, k) => item(k + 1, d)),
          since: null,
          now: NOW,
        });
        expect(messages).toHaveLength(1);
        expect(messages[0]?.embeds.map((e) => e.title)).toEqual([
          'Migration news digest: 4 articles and 1 project',
          'China',
          'Other news',
          'Projects',
        ]);
        expect(messages[0]?.embeds[1]?.fields[0]?.value).toContain(
          'Press contact: Pär Liljert, IOM Beijing · pliljert@iom.int',
        );
      } finally {
        data.cleanup();
      }
    });
  });

  describe('digestNonce', () => {
    it('is deterministic, at most 25 characters, and differs per instance, subscription, delivery and part', () => {
      const n = digestNonce('abc', 1, 2, 3);
      expect(n).toBe(digestNonce('abc', 1, 2, 3));
      expect(n.length).toBeLessThanOrEqual(25);
      expect(
        new Set([
          n,
          digestNonce('abd', 1, 2, 3),
          digestNonce('abc', 2, 2, 3),
          digestNonce('abc', 1, 3, 3),
          digestNonce('abc', 1, 2, 4),
        ]).size,
      ).toBe(5);
    });
  });
});
