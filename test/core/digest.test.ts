import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  capDigestItems,
  composeDigest,
  DIGEST_LIMITS,
  digestNonce,
  selectDigestItems,
  summarize,
  type DigestItem,
  type DigestLogEntry,
  type DigestMessage,
} from '../../src/core/digest.js';
import type { DocumentRecord } from '../../src/core/record.js';
import { loadCorpus } from '../../src/ingest/loadCorpus.js';
import { makeDataDir } from '../fixtures/dataDir.js';

const NOW = new Date('2026-11-23T09:00:00Z');
const AT = '2026-11-22T09:00:00.000Z';

function record(id: string, over: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    id,
    kind: 'article',
    title: `Title of ${id}`,
    country: 'Kenya',
    paragraphs: [`${over.country ?? 'Kenya'} - First sentence of ${id}. Second sentence.`, 'More.'],
    contacts: [{ name: 'Ana Lima', office: 'IOM Nairobi', phones: ['+254 1'], email: 'alima@iom.int' }],
    project: null,
    source: `raw/${id}.txt`,
    contentHash: 'a'.repeat(64),
    ...over,
  };
}
const entry = (seq: number, docId: string, event: DigestLogEntry['event'] = 'new'): DigestLogEntry => ({
  seq,
  docId,
  event,
  at: AT,
});
const item = (seq: number, r: DocumentRecord, isBackfill = false): DigestItem => ({
  seq,
  at: AT,
  record: r,
  isBackfill,
});

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

describe('digest', () => {
  describe('selectDigestItems', () => {
    const records = new Map(
      ['a', 'b', 'c', 'p'].map((id) => [id, record(id, id === 'p' ? { kind: 'project' } : {})]),
    );
    const lookup = (id: string) => records.get(id);

    it('takes each new document once, skips updates and documents removed since', () => {
      const items = selectDigestItems({
        entries: [
          entry(1, 'a'),
          entry(2, 'a', 'updated'),
          entry(3, 'gone'),
          entry(4, 'b'),
          entry(5, 'b', 'new'),
          entry(6, 'c', 'removed'),
        ],
        lookup,
      });
      expect(items.map((i) => [i.seq, i.record.id, i.isBackfill])).toEqual([
        [1, 'a', false],
        [4, 'b', false],
      ]);
    });

    it('puts backfill first, never twice, and filters by the topic', () => {
      const items = selectDigestItems({
        backfill: [entry(1, 'a'), entry(2, 'b')],
        entries: [entry(2, 'b'), entry(3, 'c'), entry(4, 'p')],
        lookup,
        matches: (r) => r.id !== 'c',
      });
      expect(items.map((i) => [i.record.id, i.isBackfill])).toEqual([
        ['a', true],
        ['b', true],
        ['p', false],
      ]);
    });
  });

  describe('summarize', () => {
    it('gives the first sentence without the dateline', () => {
      expect(summarize(record('x'))).toBe('First sentence of x.');
    });
    it('cuts a long sentence to one line with an ellipsis', () => {
      const s = summarize(record('x', { paragraphs: [`Kenya - ${'word '.repeat(100)}end.`] }));
      expect(s.length).toBeLessThanOrEqual(200);
      expect(s.endsWith('…')).toBe(true);
    });
  });

  describe('composeDigest', () => {
    it('posts nothing when there is nothing new', () => {
      expect(composeDigest({ items: [], window: { fromSeq: 3, toSeq: 3, since: null }, now: NOW })).toEqual({
        articleCount: 0,
        projectCount: 0,
        messages: [],
      });
    });

    it('groups articles by dateline country, alphabetically with no-dateline last, then projects', () => {
      const digest = composeDigest({
        items: [
          item(1, record('k1')),
          item(2, record('n1', { country: null, paragraphs: ['No dateline here. More.'] })),
          item(3, record('c1', { country: 'China' })),
          item(
            4,
            record('p1', {
              kind: 'project',
              country: 'China',
              project: {
                startDate: null,
                endDate: null,
                status: 'Active',
                type: null,
                budgetUsd: 1234567.4,
                coverage: null,
                year: 2020,
                region: 'Asia',
                primaId: 'CN10P0002',
                projectId: null,
                memberStates: [],
                extra: {},
              },
            }),
          ),
          item(5, record('k2')),
        ],
        window: { fromSeq: 10, toSeq: 15, since: '2026-11-22T09:00:00.000Z' },
        now: NOW,
        query: 'floods',
      });
      expect(digest.articleCount).toBe(4);
      expect(digest.projectCount).toBe(1);
      expect(digest.messages).toHaveLength(1);
      const [message] = digest.messages;
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
      expect(message?.embeds[0]?.footer).toBe('Log entries 11–15');
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
        { name: '5. Title of p1', value: 'Active · US$1,234,567 · Asia · CN10P0002' },
      ]);
      expect(message?.buttons).toEqual(
        ['c1', 'k1', 'k2', 'n1', 'p1'].map((id, k) => ({
          label: `Read ${k + 1}`,
          docId: id,
        })),
      );
    });

    it('mentions a backfill in the header', () => {
      const digest = composeDigest({
        items: [item(1, record('a'), true), item(2, record('b'))],
        window: { fromSeq: 1, toSeq: 2, since: null },
        now: NOW,
      });
      expect(digest.messages[0]?.embeds[0]?.description).toBe(
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
      const digest = composeDigest({ items, window: { fromSeq: 0, toSeq: 130, since: null }, now: NOW });
      expect(digest.messages.length).toBeGreaterThan(5);
      expectWithinLimits(digest.messages);
      const ids = digest.messages.flatMap((m) => m.buttons.map((b) => b.docId));
      const expected = [
        ...items.filter((i) => i.record.country === 'Chad'),
        ...items.filter((i) => i.record.country === 'Mali'),
      ].map((i) => i.record.id);
      expect(ids).toEqual(expected);
      expect(digest.messages.map((m) => m.content)).toEqual(
        digest.messages.map((_, k) => `Migration news digest, part ${k + 1} of ${digest.messages.length}`),
      );
      expect(digest.messages[1]?.embeds[0]?.title).toMatch(/^(Chad|Mali) \(continued\)$/);
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
          const digest = composeDigest({
            items,
            window: { fromSeq: 0, toSeq: docs.length, since: null },
            now: NOW,
          });
          expectWithinLimits(digest.messages);
          const posted = digest.messages.flatMap((m) => m.buttons.map((b) => b.docId)).sort();
          expect(posted).toEqual(items.map((i) => i.record.id).sort());
        }),
        { numRuns: 60 },
      );
    });

    it('composes the shipped pages into one message', async () => {
      const data = makeDataDir({ shipped: true });
      try {
        const { documents } = await loadCorpus(data.dir);
        const digest = composeDigest({
          items: documents.map((d, k) => item(k + 1, d)),
          window: { fromSeq: 0, toSeq: 5, since: null },
          now: NOW,
        });
        expect(digest.messages).toHaveLength(1);
        expect(digest.messages[0]?.embeds.map((e) => e.title)).toEqual([
          'Migration news digest: 4 articles and 1 project',
          'China',
          'Other news',
          'Projects',
        ]);
        expect(digest.messages[0]?.embeds[1]?.fields[0]?.value).toContain(
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

describe('digest', () => {
  describe('capDigestItems', () => {
    const items = (n: number, from = 11) =>
      Array.from({ length: n }, (_, k) => item(from + k, record(`c${k}`)));
    it('keeps everything up to the cap and ends the window at the end of the log', () => {
      expect(capDigestItems(items(3), { cursor: 10, end: 20 }, 3)).toEqual({
        items: items(3),
        toSeq: 20,
        remaining: 0,
      });
    });
    it('ends the window at the last item taken when more wait, so they come next time', () => {
      const capped = capDigestItems(items(5), { cursor: 10, end: 20 }, 3);
      expect(capped.items.map((i) => i.seq)).toEqual([11, 12, 13]);
      expect(capped.toSeq).toBe(13);
      expect(capped.remaining).toBe(2);
    });
    it('never moves the window before the cursor when only backfill fits', () => {
      const backfill = [item(2, record('b1'), true), item(3, record('b2'), true)];
      expect(capDigestItems([...backfill, ...items(2)], { cursor: 10, end: 12 }, 2).toSeq).toBe(10);
    });
    it('says in the header that more will follow', () => {
      const digest = composeDigest({
        items: items(2),
        window: { fromSeq: 10, toSeq: 12, since: null },
        now: NOW,
        remaining: 7,
      });
      expect(digest.messages[0]?.embeds[0]?.description).toContain(
        '7 more items will follow in the next digest.',
      );
    });
  });
});
