import type { Interaction } from 'discord.js';
import type { Logger } from 'pino';
import { catalogLanguage, type Language } from '../i18n/translate.js';

/** Where a server's chosen language is kept (the store's guild settings). */
export interface GuildLanguageSource {
  language(guildId: string): Promise<string | null>;
}

/**
 * The language of a reply: the member's Discord `locale` when a catalog exists for it (`fr`, `es-ES`
 * and `es-419` → es, `en-US` → en); else the server's `/settings language`; else the server's
 * `guild_locale` when a catalog exists for it; else `fallback` (BOT_LANGUAGE, English by default).
 * Discord has no Arabic, Persian or Pashto locale, hence the server setting for those readers.
 */
export async function replyLanguage(
  interaction: Pick<Interaction, 'locale' | 'guildLocale' | 'guildId'>,
  settings: GuildLanguageSource | undefined,
  fallback: Language,
  logger: Logger,
): Promise<Language> {
  const own = catalogLanguage(interaction.locale);
  if (own) return own;
  const server = await serverLanguage(interaction.guildId, settings, logger);
  return server ?? catalogLanguage(interaction.guildLocale) ?? fallback;
}

/** The server's chosen language, or undefined (none, no store, or the store failed: logged). */
export async function serverLanguage(
  guildId: string | null,
  settings: GuildLanguageSource | undefined,
  logger: Logger,
): Promise<Language | undefined> {
  if (guildId === null || settings === undefined) return undefined;
  try {
    return catalogLanguage(await settings.language(guildId));
  } catch (error) {
    // A reply in the wrong language beats no reply: answer, and say why the setting was skipped.
    logger.warn({ err: error, guildId }, 'could not read the server language; using the locales');
    return undefined;
  }
}
