import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/stores.js';
import { NOW, openFresh } from './fixtures.js';

describe.each(STORE_KINDS)('store/guildSettings (%s)', (kind) => {
  describe('setLanguage', () => {
    it('keeps one language per server, replaced by the next choice and cleared with null', async () => {
      const store = await openFresh(kind);
      expect(await store.guildSettings.get('100')).toBeUndefined();
      expect(await store.guildSettings.language('100')).toBeNull();
      expect(await store.guildSettings.setLanguage('100', 'ar', NOW)).toEqual({
        guildId: '100',
        language: 'ar',
        updatedAt: NOW.toISOString(),
      });
      await store.guildSettings.setLanguage('200', 'fr', NOW);
      const later = new Date(NOW.getTime() + 60_000);
      await store.guildSettings.setLanguage('100', 'es', later);
      expect(await store.guildSettings.get('100')).toEqual({
        guildId: '100',
        language: 'es',
        updatedAt: later.toISOString(),
      });
      expect(await store.guildSettings.language('200')).toBe('fr');
      await store.guildSettings.setLanguage('100', null, later);
      expect(await store.guildSettings.language('100')).toBeNull();
    });
  });
});
