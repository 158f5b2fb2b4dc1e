import type { LocalizationMap } from 'discord.js';

/** A name or description in every language the commands ship in. */
export interface Localized {
  readonly en: string;
  readonly fr: string;
  readonly es: string;
}

/** Discord locales we fill; Spanish has a European and a Latin American code. */
export const COMMAND_LOCALES = ['fr', 'es-ES', 'es-419'] as const;

/** The localization map for Discord (English is the default name itself). */
export function localizations(text: Localized): LocalizationMap {
  return { fr: text.fr, 'es-ES': text.es, 'es-419': text.es };
}

interface Localizable {
  setName(name: string): unknown;
  setNameLocalizations(map: LocalizationMap | null): unknown;
  setDescription(description: string): unknown;
  setDescriptionLocalizations(map: LocalizationMap | null): unknown;
}

/**
 * Names and describes a command or option in all languages at once, e.g.
 * `.addStringOption((o) => named(o, { en: 'query', … }, { en: 'Words to look for', … }))`.
 */
export function named<T extends Localizable>(builder: T, name: Localized, description: Localized): T {
  builder.setName(name.en);
  builder.setNameLocalizations(localizations(name));
  builder.setDescription(description.en);
  builder.setDescriptionLocalizations(localizations(description));
  return builder;
}
