import { describe, expect, it } from 'vitest';
import { itemToRecord } from '../../src/core/sources/itemRecord.js';
import { parseIomPage } from '../../src/sources/connectors/iom.js';
import { NADOR_MELILLA, nadorMelillaItem, sourceItem } from '../support/sourceItems.js';
import { webFixture } from './webFixtures.js';

describe('language versions the publisher links', () => {
  describe('parseIomPage', () => {
    it('reads the page’s hreflang alternates, x-default included, as written', () => {
      const page = parseIomPage(webFixture('translations/nador-melilla-fr.html'), NADOR_MELILLA.fr);
      expect(page?.language).toBe('fr');
      expect(page?.translations).toEqual([
        { language: 'en', url: NADOR_MELILLA.en },
        { language: 'fr', url: NADOR_MELILLA.fr },
        { language: 'it', url: NADOR_MELILLA.it },
        { language: 'x-default', url: NADOR_MELILLA.en },
      ]);
    });

    it('gives none for a page without alternates', () => {
      expect(parseIomPage(webFixture('iom-press-release.html'), NADOR_MELILLA.en)?.translations).toEqual([]);
    });
  });

  describe('itemToRecord', () => {
    it('keeps the other versions: real tags, canonical addresses, never the page itself', () => {
      const record = itemToRecord(nadorMelillaItem('fr'));
      expect(record.ok && record.value.language).toBe('fr');
      expect(record.ok && record.value.translations).toEqual([
        { language: 'en', url: NADOR_MELILLA.en },
        { language: 'it', url: NADOR_MELILLA.it },
      ]);
    });

    it('has no translations field when the publisher links no other version', () => {
      const record = itemToRecord(
        sourceItem({ sourceId: 'iom-press', title: 'A title', text: 'Geneva - Text.' }),
      );
      expect(record.ok && 'translations' in record.value).toBe(false);
    });
  });
});
