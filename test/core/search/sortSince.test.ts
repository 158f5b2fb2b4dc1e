import { describe, expect, it } from 'vitest';
import { Library, parseSince } from '../../../src/core/library.js';
import { fetchedRecord } from '../../support/sourceItems.js';
import { shippedDocuments } from './fixtures.js';

const NOW = new Date('2026-11-30T12:00:00Z');

/** Three fetched flood articles published on different days, one undated, and the shipped pages. */
async function library() {
  const flood = (n: number, publishedAt: string | null, extra = '') =>
    fetchedRecord({
      sourceId: 'un-news',
      guid: `flood-${n}`,
      url: `https://news.example.org/flood-${n}`,
      title: `Flood update ${n}`,
      publishedAt,
      text: `Geneva - Flood waters rose again in the region${extra}. Families moved to higher ground.`,
    });
  const records = {
    old: flood(1, '2026-10-01T08:00:00Z', ', flood flood flood'), // the best match, the oldest
    recent: flood(2, '2026-11-29T08:00:00Z'),
    middle: flood(3, '2026-11-20T08:00:00Z'),
    undated: flood(4, null, ', flood flood'),
  };
  return { records, library: Library.create([...(await shippedDocuments()), ...Object.values(records)]) };
}

describe('search sort and since', () => {
  describe('parseSince', () => {
    it.each([
      ['2026-11-01', '2026-11-01T00:00:00.000Z'],
      ['24h', '2026-11-29T12:00:00.000Z'],
      ['7d', '2026-11-23T12:00:00.000Z'],
      [' 2W ', '2026-11-16T12:00:00.000Z'],
    ])('reads %j as %s', (text, iso) => {
      expect(parseSince(text, NOW)).toEqual({ ok: true, value: iso });
    });

    it.each(['yesterday', '2026-02-31', '0d', '7', '7m', '2026-1-1', ''])(
      'refuses %j, saying what works',
      (text) => {
        expect(parseSince(text, NOW)).toEqual({
          ok: false,
          error: `"since" must be a day (YYYY-MM-DD) or a time back such as 24h, 7d or 2w; got "${text.trim()}".`,
        });
      },
    );
  });

  describe('Library.search', () => {
    it('ranks by relevance by default and by publication date with sort: newest, undated last', async () => {
      const { records, library: lib } = await library();
      const byRelevance = lib.search('flood').results.map((r) => r.id);
      expect(byRelevance[0]).toBe(records.old.id);
      const newest = lib.search('flood', { sort: 'newest' }).results.map((r) => r.id);
      expect(newest).toEqual([records.recent.id, records.middle.id, records.old.id, records.undated.id]);
    });

    it('pages through newest-first results in the same order', async () => {
      const { records, library: lib } = await library();
      const pages = [1, 2, 3, 4].map(
        (page) => lib.search('flood', { sort: 'newest', pageSize: 1, page }).results[0]?.id,
      );
      expect(pages).toEqual([records.recent.id, records.middle.id, records.old.id, records.undated.id]);
    });

    it('keeps documents published at or after since; undated documents drop out', async () => {
      const { records, library: lib } = await library();
      const since = lib.search('flood', { since: '2026-11-20T08:00:00Z' });
      expect(since.results.map((r) => r.id).sort()).toEqual([records.middle.id, records.recent.id].sort());
      expect(since.total).toBe(2);
      expect(lib.search('migration', { since: '2020-01-01T00:00:00Z' }).total).toBe(0); // shipped pages: no date
    });

    it('carries the url, publication date and source of fetched documents, nothing for file pages', async () => {
      const { records, library: lib } = await library();
      const hit = lib.search('flood', { sort: 'newest' }).results[0];
      expect(hit).toMatchObject({
        id: records.recent.id,
        url: 'https://news.example.org/flood-2',
        publishedAt: '2026-11-29T08:00:00Z',
        sourceId: 'un-news',
      });
      const file = lib.search('beijing').results[0];
      expect(file).not.toHaveProperty('url');
      expect(file).not.toHaveProperty('sourceId');
    });

    it('refuses a since that is not a time and a sort it does not know', async () => {
      const { library: lib } = await library();
      expect(() => lib.search('flood', { since: 'last week' })).toThrow(
        '"since" must be an ISO time; got "last week".',
      );
      expect(() => lib.search('flood', { sort: 'oldest' as never })).toThrow(
        'Sort must be relevance or newest; got oldest.',
      );
    });

    it('orders the same with MiniSearch’s own search (an index with replaced documents)', async () => {
      const { records, library: lib } = await library();
      // Replacing a document leaves a discarded one until vacuumed: the engine steps aside.
      lib.upsert({ ...records.middle, title: 'Flood update 3, revised' });
      const newest = lib.search('flood', { sort: 'newest' }).results.map((r) => r.id);
      expect(newest).toEqual([records.recent.id, records.middle.id, records.old.id, records.undated.id]);
      const since = lib.search('flood', { since: '2026-11-20T08:00:00Z' }).results.map((r) => r.id);
      expect(since.sort()).toEqual([records.middle.id, records.recent.id].sort());
    });
  });
});
