import { catalogLanguage, type Language } from '../i18n/languages.js';
import type { GuildSettingsRepository } from '../store/store.js';

/**
 * The language a server's digests are written in: the server's `/settings language`, else English.
 * (A subscription's own language, and the guild locale at subscribe time, would come first once the
 * store keeps them.)
 */
export async function digestLanguage(
  settings: Pick<GuildSettingsRepository, 'language'>,
  guildId: string,
): Promise<Language> {
  return catalogLanguage(await settings.language(guildId)) ?? 'en';
}
