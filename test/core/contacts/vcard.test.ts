import { beforeAll, describe, expect, it } from 'vitest';
import type { ContactDirectory } from '../../../src/core/contacts/directory.js';
import { escapeVCardText, toVCard } from '../../../src/core/contacts/vcard.js';
import type { DocumentRecord } from '../../../src/core/record.js';
import { shippedDocuments } from '../search/fixtures.js';
import { directoryOf } from './fixtures.js';

let shipped: DocumentRecord[];
let directory: ContactDirectory;
beforeAll(async () => {
  shipped = await shippedDocuments();
  directory = directoryOf(shipped);
});

describe('contacts/vcard', () => {
  describe('toVCard', () => {
    it('writes a vCard 4.0 with CRLF lines', () => {
      expect(toVCard(directory.get('pär liljert')!)).toBe(
        [
          'BEGIN:VCARD',
          'VERSION:4.0',
          'FN:Pär Liljert',
          'N:Liljert;Pär;;;',
          'ORG:IOM Beijing',
          'TEL;VALUE=text:+86 10 597 996 95',
          'EMAIL:pliljert@iom.int',
          'NOTE:Head of Office\\, IOM Beijing\\nAlso written: Par Liljert',
          'END:VCARD',
          '',
        ].join('\r\n'),
      );
    });

    it('escapes backslash, comma, semicolon and newlines', () => {
      expect(escapeVCardText('a\\b,c;d\ne')).toBe('a\\\\b\\,c\\;d\\ne');
    });

    it('folds lines longer than 75 octets without splitting characters', () => {
      const card = toVCard({
        name: 'Zoë Ångström',
        aliases: [],
        offices: [`IOM ${'Ö'.repeat(60)}`],
        phones: [],
        emails: [],
        roles: [],
        documents: [],
      });
      const lines = card.split('\r\n');
      for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
      expect(card.replace(/\r\n /g, '')).toContain(`ORG:IOM ${'Ö'.repeat(60)}`);
    });
  });
});
