import { beforeAll, describe, expect, it } from 'vitest';
import { extractMentions } from '../../../src/core/contacts/mentions.js';
import type { DocumentRecord } from '../../../src/core/record.js';
import { ids, shippedDocuments } from '../search/fixtures.js';

let shipped: DocumentRecord[];
beforeAll(async () => {
  shipped = await shippedDocuments();
});

describe('contacts/mentions', () => {
  describe('extractMentions', () => {
    it.each([
      ['said IOM Beijing Head of Office Par Liljert.', 'Par Liljert', 'Head of Office, IOM Beijing'],
      [
        'signed by IOM Director General, Brunson McKinley, today',
        'Brunson McKinley',
        'Director General, IOM',
      ],
      [
        '"We agree," said Zhang Ming, Assistant Minister at China’s Ministry of Foreign Affairs.',
        'Zhang Ming',
        'Assistant Minister at China’s Ministry of Foreign Affairs',
      ],
      ['Chinese President Xi Jinping welcomed it.', 'Xi Jinping', 'Chinese President'],
      [
        'the Ambassador and Permanent Representative of China in Geneva, Sha Zukang, and',
        'Sha Zukang',
        'Ambassador and Permanent Representative of China in Geneva',
      ],
    ])('finds the person and role in %j', (text, name, role) => {
      expect(extractMentions([text])).toContainEqual({ name, role });
    });

    it('keeps capitalized pairs without a role, for the directory to match against known people', () => {
      expect(extractMentions(['Later Pär Liljert left.'])).toContainEqual({
        name: 'Pär Liljert',
        role: null,
      });
    });

    it('does not take role words, months or single words for names', () => {
      const names = extractMentions(['In June Director General Swing met Head of Office staff.']).map(
        (m) => m.name,
      );
      expect(names).toEqual([]);
    });

    it('finds the people named in the shipped pages', () => {
      const byDocument = Object.fromEntries(
        shipped.map((r) => [
          r.id,
          extractMentions(r.paragraphs)
            .filter((m) => m.role !== null)
            .map((m) => m.name),
        ]),
      );
      expect(byDocument).toEqual({
        [ids.governance]: ['William Lacy Swing', 'Xi Jinping'],
        [ids.seminarEu]: ['William Lacy Swing', 'Elvinas Jankevicius', 'Zhang Ming'],
        [ids.agreement]: ['Sha Zukang', 'Brunson McKinley'],
        [ids.seminarImmigration]: ['Par Liljert'],
        [ids.project]: [],
      });
    });
  });
});
