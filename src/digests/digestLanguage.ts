import { catalogLanguage, type Language } from '../i18n/languages.js';
import type { GuildSettingsRepository } from '../store/store.js';

/**
 * The language a digest is written in: the subscription's language filter when it has a catalog
 * (a French-only digest is written in French), else the server's `/settings language`, else English.
 */
export async function digestLanguage(
  settings: Pick<GuildSettingsRepository, 'language'>,
  guildId: string,
  subscriptionLanguage: string | null = null,
): Promise<Language> {
  return catalogLanguage(subscriptionLanguage) ?? catalogLanguage(await settings.language(guildId)) ?? 'en';
}
