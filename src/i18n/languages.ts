/**
 * The languages with a message catalog (src/i18n/catalogs/<lang>.json), as BCP 47 primary tags.
 * English is the fallback of every other. Kept apart from the catalogs so config.ts can validate
 * BOT_LANGUAGE without loading i18next.
 */
export const LANGUAGES = ['en', 'fr', 'es', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The catalog for a Discord locale (`fr`, `es-ES`, `es-419`, `en-US`) or a BCP 47 tag: its primary
 * subtag when a catalog exists, else undefined (`ko`, `pt-BR`).
 */
export function catalogLanguage(locale: string | null | undefined): Language | undefined {
  const primary = locale?.split(/[-_]/)[0]?.toLowerCase();
  return isLanguage(primary) ? primary : undefined;
}
