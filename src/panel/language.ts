import type { FastifyRequest } from 'fastify';
import { catalogLanguage, type Language } from '../i18n/translate.js';

/**
 * The languages an `Accept-Language` header asks for, best first (`fr-CA;q=0.9, ar` → ar, fr),
 * keeping those with a catalog.
 */
export function acceptedLanguages(header: string | undefined): Language[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: catalogLanguage(tag?.trim()), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((c): c is { lang: Language; q: number; index: number } => c.lang !== undefined && c.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((c) => c.lang);
}

/** The page's language: the browser's, else the server's /settings language, else BOT_LANGUAGE. */
export function pageLanguage(
  request: FastifyRequest,
  guildLanguage: string | null | undefined,
  fallback: Language,
): Language {
  return (
    acceptedLanguages(request.headers['accept-language'])[0] ?? catalogLanguage(guildLanguage) ?? fallback
  );
}
