import { describe, expect, it } from 'vitest';
import { createLibrary } from '../../src/core/library.js';
import { digestLibrary, matchTopic } from '../../src/digests/topicFilter.js';
import { syntheticRecords } from '../core/search/fixtures.js';

describe('digests/topicFilter', () => {
  describe('digestLibrary', () => {
    const records = syntheticRecords(2000);
    const library = createLibrary(records);
    const filter = digestLibrary((id) => (library.has(id) ? library.getDocument(id) : undefined), library);
    // Candidates as a digest has them: most from the library, some fetched elsewhere and not in it.
    const elsewhere = syntheticRecords(40, 99).map((r) => ({ ...r, id: `elsewhere-${r.id}` }));
    const candidates = [...records.filter((_, k) => k % 3 !== 0), ...elsewhere];

    it.each([
      'flood',
      'floods Kenya',
      'drougth', // a typo, matched by typo tolerance
      'returnees Peru',
      '"Migration flood"',
      'Synth7',
      'nothing-matches-this',
    ])(
      'matches %s over many candidates by the library index exactly as over their own small library',
      (query) => {
        const expected = matchTopic(query, candidates);
        const got = filter.matching(query, candidates);
        expect([...got].sort()).toEqual([...expected].sort());
        expect(got.size).toBe(expected.size);
      },
    );

    it('matches candidates the library does not hold, and only candidates', () => {
      const got = filter.matching('flood', candidates);
      expect([...got].some((id) => id.startsWith('elsewhere-'))).toBe(true);
      const asked = new Set(candidates.map((r) => r.id));
      expect([...got].every((id) => asked.has(id))).toBe(true);
    });
  });
});
