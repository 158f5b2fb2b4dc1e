import { beforeAll, describe, expect, it } from 'vitest';
import { ContactDirectory, type ContactEntry } from '../../../src/core/contacts/directory.js';
import { extractMentions } from '../../../src/core/contacts/mentions.js';
import type { DocumentRecord } from '../../../src/core/record.js';
import { article, ids, shippedDocuments } from '../search/fixtures.js';
import { directoryOf } from './fixtures.js';

let shipped: DocumentRecord[];
let directory: ContactDirectory;
beforeAll(async () => {
  shipped = await shippedDocuments();
  directory = directoryOf(shipped);
});

describe('contacts/directory', () => {
  describe('ContactDirectory', () => {
    it('merges Pär Liljert (press contact in 000) and Par Liljert (quoted in 003) into one entry', () => {
      const entry = directory.get('Par Liljert');
      expect(entry).toEqual({
        name: 'Pär Liljert',
        aliases: ['Par Liljert'],
        offices: ['IOM Beijing'],
        phones: ['+86 10 597 996 95'],
        emails: ['pliljert@iom.int'],
        roles: ['Head of Office, IOM Beijing'],
        documents: [
          {
            id: ids.governance,
            title: 'Director General Discusses Migration Governance in China',
            as: 'contact',
          },
          {
            id: ids.seminarImmigration,
            title: 'International Seminar on Immigration Management in China',
            as: 'mention',
          },
        ],
      } satisfies ContactEntry);
    });

    it('has one entry per person: contacts and people named with a role', () => {
      expect(directory.entries.map((e) => e.name)).toEqual([
        'Brunson McKinley',
        'Ellen Wong',
        'Elvinas Jankevicius',
        'Jian Zhao',
        'Kieran Best',
        'Pär Liljert',
        'Sha Zukang',
        'William Lacy Swing',
        'Xi Jinping',
        'Zhang Ming',
      ]);
      expect(directory.get('William Lacy Swing')?.documents.map((d) => d.id)).toEqual([
        ids.governance,
        ids.seminarEu,
      ]);
    });

    it('finds entries by name, alias, e-mail, case and accents aside', () => {
      expect(directory.get('PÄR LILJERT')?.name).toBe('Pär Liljert');
      expect(directory.get('pliljert@IOM.int')?.name).toBe('Pär Liljert');
      expect(directory.get('Mr. Jian Zhao')?.name).toBe('Jian Zhao');
      expect(directory.get('Nobody Here')).toBeUndefined();
    });

    it('merges different spellings that share an e-mail, keeping the contact-block spelling', () => {
      const a = article('a1', {
        contacts: [{ name: 'Jose Perez', office: 'IOM Lima', phones: ['1'], email: 'jperez@iom.int' }],
      });
      const b = article('b1', {
        contacts: [{ name: 'José Pérez-Soto', office: 'IOM Quito', phones: ['2'], email: 'JPerez@iom.int' }],
      });
      const merged = new ContactDirectory([a, b].map((record) => ({ record, mentions: [] })));
      expect(merged.entries).toHaveLength(1);
      expect(merged.entries[0]).toMatchObject({
        name: 'José Pérez-Soto',
        aliases: ['Jose Perez'],
        offices: ['IOM Lima', 'IOM Quito'],
        phones: ['1', '2'],
      });
    });

    it('ignores names without a role that match nobody', () => {
      const record = article('c1', { paragraphs: ['Later Global Compact talks began.'] });
      expect(new ContactDirectory([{ record, mentions: extractMentions(record.paragraphs) }]).size).toBe(0);
    });

    it.each([
      ['liljert', ['Pär Liljert']],
      ['par', ['Pär Liljert']],
      ['beijing', ['Ellen Wong', 'Kieran Best', 'Pär Liljert']],
      ['iom.int', ['Ellen Wong', 'Jian Zhao', 'Kieran Best', 'Pär Liljert']],
      ['kgormanbest@iom.int', ['Kieran Best']],
      ['zhao', ['Jian Zhao']],
      ['nobody', []],
      ['', []],
    ])('searches %j by any part of name, office or e-mail', (query, names) => {
      expect(directory.search(query).map((e) => e.name)).toEqual(names);
    });

    it('ranks an exact name before partial matches', () => {
      const a = article('a2', { contacts: [{ name: 'Ann Lee', office: null, phones: [], email: null }] });
      const b = article('b2', {
        contacts: [{ name: 'Annabel Leeds', office: null, phones: [], email: null }],
      });
      const d = new ContactDirectory([b, a].map((record) => ({ record, mentions: [] })));
      expect(d.search('ann lee').map((e) => e.name)).toEqual(['Ann Lee', 'Annabel Leeds']);
    });
  });
});
