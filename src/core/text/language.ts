/**
 * Language tags (BCP 47) as records carry them: `fr`, `fa-AF`, `zh-Hant`, and `und` when the
 * language could not be told.
 */

/** The tag of a text whose language is unknown: too short, too mixed, or not declared. */
export const UNDETERMINED = 'und';

const TAG_RE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/;

/**
 * A declared language (`fr-FR`, `en_US` as in `og:locale`, `AR`) as a canonical BCP 47 tag
 * (`fr-FR`, `en-US`, `ar`: primary subtag in lower case), or null when it is not a language tag.
 * `und` and the private/special codes (`mul`, `zxx`) give null: they say nothing about the text.
 */
export function canonicalLanguage(declared: string | null | undefined): string | null {
  const raw = declared?.trim();
  if (!raw || !TAG_RE.test(raw)) return null;
  let tag: string;
  try {
    tag = Intl.getCanonicalLocales(raw.replace(/_/g, '-'))[0] ?? '';
  } catch {
    return null;
  }
  const primary = primaryLanguage(tag);
  if (primary === '' || primary === UNDETERMINED || primary === 'mul' || primary === 'zxx') return null;
  return tag;
}

/** The primary subtag, lower case: `fa-AF` → `fa`. */
export function primaryLanguage(tag: string): string {
  return tag.split('-', 1)[0]!.toLowerCase();
}

/**
 * Whether a document's tag answers a language filter: `fr` matches `fr` and `fr-*`, `fa-AF` only
 * `fa-AF` (and its own subtags). Case does not matter.
 */
export function matchesLanguage(tag: string, wanted: string): boolean {
  const t = tag.toLowerCase();
  const w = wanted.toLowerCase();
  return t === w || t.startsWith(`${w}-`);
}
