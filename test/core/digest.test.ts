import { describe, expect, it } from 'vitest';
import {
  capDigestItems,
  contactLine,
  digestHeadline,
  digestNotes,
  itemLines,
  mergeTranslations,
  planDigest,
  selectDigestItems,
  summarize,
} from '../../src/core/digest.js';
import { AT, entry, item, NOW, projectFields, record } from '../fixtures/digestItems.js';

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

  describe('planDigest', () => {
    it('plans nothing when there is nothing new', () => {
      expect(planDigest({ items: [], since: null, now: NOW })).toEqual({
        window: { since: null, until: NOW.toISOString() },
        query: null,
        articleCount: 0,
        projectCount: 0,
        backfillCount: 0,
        remaining: 0,
        sections: [],
      });
    });

    it('groups articles by dateline country, alphabetically with no-dateline last, then projects, numbered in that order', () => {
      const plan = planDigest({
        items: [
          item(1, record('k1')),
          item(2, record('n1', { country: null, paragraphs: ['No dateline here. More.'] })),
          item(3, record('c1', { country: 'China' })),
          item(4, record('p1', { kind: 'project', country: 'China', project: projectFields() })),
          item(5, record('k2'), true),
        ],
        since: '2026-11-22T09:00:00.000Z',
        now: NOW,
        query: 'floods',
        remaining: 2,
      });
      expect(plan).toMatchObject({
        window: { since: '2026-11-22T09:00:00.000Z', until: '2026-11-23T09:00:00.000Z' },
        query: 'floods',
        articleCount: 4,
        projectCount: 1,
        backfillCount: 1,
        remaining: 2,
      });
      expect(plan.sections.map((s) => [s.kind, s.title, s.items.map((i) => [i.number, i.id])])).toEqual([
        ['country', 'China', [[1, 'c1']]],
        [
          'country',
          'Kenya',
          [
            [2, 'k1'],
            [3, 'k2'],
          ],
        ],
        ['other', 'Other news', [[4, 'n1']]],
        ['projects', 'Projects', [[5, 'p1']]],
      ]);
      expect(plan.sections[1]?.items[1]).toEqual({
        number: 3,
        id: 'k2',
        kind: 'article',
        title: 'Title of k2',
        country: 'Kenya',
        summary: 'First sentence of k2.',
        contact: { name: 'Ana Lima', office: 'IOM Nairobi', email: 'alima@iom.int', phone: '+254 1' },
        project: null,
        url: null,
        publishedAt: null,
        ingestedAt: AT,
        isBackfill: true,
        otherLanguages: [],
      });
      expect(digestHeadline(plan)).toBe('Migration news digest: 4 articles and 1 project');
      expect(digestNotes(plan)).toEqual([
        'Includes 1 earlier article as a backfill.',
        '2 more items will follow in the next digest.',
      ]);
    });

    describe('mergeTranslations', () => {
      // Ids and addresses only: the texts are not read.
      const at = (lang: string) => `https://www.iom.int/${lang}/news/release`;
      const version = (seq: number, lang: string, links: string[]) =>
        item(
          seq,
          record(`r-${lang}`, {
            language: lang,
            urls: [at(lang)],
            translations: links.map((l) => ({ language: l, url: at(l) })),
          }),
        );
      const other = item(9, record('other', { urls: ['https://example.org/other'] }));

      it.each([
        ['fr', 'r-fr', ['en', 'es']],
        ['fr-CA', 'r-en', ['fr', 'es']],
        [null, 'r-en', ['fr', 'es']],
        ['ar', 'r-en', ['fr', 'es']],
      ])('keeps one item per release: in %s → %s, listing %j', (language, kept, others) => {
        // Linked one way only (es names no one): still one release.
        const items = [version(1, 'en', ['fr']), other, version(2, 'fr', ['en', 'es']), version(3, 'es', [])];
        const merged = mergeTranslations(items, language);
        expect(merged.map((m) => [m.item.record.id, m.otherLanguages])).toEqual([
          [kept, others],
          ['other', []],
        ]);
      });

      it('counts the release once in the plan', () => {
        const plan = planDigest({
          items: [version(1, 'en', ['fr']), version(2, 'fr', ['en'])],
          since: null,
          now: NOW,
          language: 'fr',
        });
        expect(plan.articleCount).toBe(1);
        expect(plan.sections[0]?.items.map((i) => [i.id, i.otherLanguages])).toEqual([['r-fr', ['en']]]);
      });
    });

    it('keeps titles and summaries as plain text: no markup is added or escaped', () => {
      const plan = planDigest({
        items: [
          item(1, record('m', { title: '**Bold** <@123> @everyone', paragraphs: ['Kenya - A_b *c*. D.'] })),
        ],
        since: null,
        now: NOW,
      });
      expect(plan.sections[0]?.items[0]).toMatchObject({
        title: '**Bold** <@123> @everyone',
        summary: 'A_b *c*.',
      });
    });
  });

  describe('itemLines', () => {
    const [article] = planDigest({ items: [item(1, record('a'))], since: null, now: NOW }).sections[0]!.items;
    it('gives an article its summary and press contact (e-mail, else phone)', () => {
      expect(itemLines(article!)).toEqual([
        'First sentence of a.',
        'Press contact: Ana Lima, IOM Nairobi · alima@iom.int',
      ]);
      expect(contactLine({ name: 'Ana Lima', office: null, email: null, phone: '+254 1' })).toBe(
        'Press contact: Ana Lima · +254 1',
      );
    });
    it('gives a project its facts, or its summary when it has none', () => {
      const plan = planDigest({
        items: [
          item(1, record('p', { kind: 'project', project: projectFields() })),
          item(2, record('q', { kind: 'project', project: null })),
        ],
        since: null,
        now: NOW,
      });
      expect(plan.sections[0]?.items.map(itemLines)).toEqual([
        ['Active · US$1,234,567 · Asia · CN10P0002'],
        ['First sentence of q.'],
      ]);
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
  });
});
