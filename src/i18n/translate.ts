import i18next from 'i18next';
import ICU from 'i18next-icu';
import ar from './catalogs/ar.json' with { type: 'json' };
import en from './catalogs/en.json' with { type: 'json' };
import es from './catalogs/es.json' with { type: 'json' };
import fr from './catalogs/fr.json' with { type: 'json' };

/** A message catalog: nested groups of ICU MessageFormat strings, keyed by surface (`search.*`, …). */
export interface Catalog {
  readonly [key: string]: string | Catalog;
}

import { LANGUAGES, type Language } from './languages.js';

export { LANGUAGES, catalogLanguage, isLanguage, type Language } from './languages.js';

/** Every catalog as shipped, for the completeness test. */
export const CATALOGS: Readonly<Record<Language, Catalog>> = { en, fr, es, ar };

/** Values an ICU message interpolates: already escaped for where it goes (Discord markdown, a terminal). */
export type MessageValues = Readonly<Record<string, string | number>>;

/** Renders one message of one language: `t('search.noResults', { query })`. */
export type Translate = (key: string, values?: MessageValues) => string;

const i18n = i18next.createInstance();
void i18n.use(new ICU()).init({
  // Resources are in memory: with initAsync false, the instance is ready when init returns.
  initAsync: false,
  resources: Object.fromEntries(LANGUAGES.map((lang) => [lang, { translation: CATALOGS[lang] }])),
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  // Output is Discord markdown or terminal text that our own formatters escape; HTML escaping would
  // turn "&" into "&amp;" on screen.
  interpolation: { escapeValue: false },
  returnNull: false,
  returnEmptyString: false,
});

/** Right-to-left scripts among our catalogs. */
const RTL: ReadonlySet<Language> = new Set(['ar']);

/** A letter or digit of another script than Arabic: the value may read left to right. */
const FOREIGN_LETTER_OR_DIGIT = /(?!\p{Script=Arabic})[\p{L}\p{N}]/u;

/**
 * In a right-to-left language, each text value that holds Latin letters or digits (an id, a channel
 * mention, a query typed in French) is wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE,
 * so its own direction cannot reorder the sentence around it. Numbers stay numbers, for plurals.
 */
function isolateValues(lang: Language, values: MessageValues | undefined): Record<string, string | number> {
  if (!values || !RTL.has(lang)) return { ...values };
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      typeof v === 'string' && FOREIGN_LETTER_OR_DIGIT.test(v) ? isolate(lang, v) : v,
    ]),
  );
}

const translators = new Map<Language, Translate>(
  LANGUAGES.map((lang) => {
    const fixed = i18n.getFixedT(lang);
    return [lang, (key: string, values?: MessageValues) => fixed(key, isolateValues(lang, values))];
  }),
);

/** The messages of `lang`, falling back to English key by key. */
export function translator(lang: Language): Translate {
  return translators.get(lang) ?? translators.get('en')!;
}

/** One message in `lang`; see {@link translator}. */
export function t(lang: Language, key: string, values?: MessageValues): string {
  return translator(lang)(key, values);
}

/** Whether English (hence every language, by fallback) has a message at `key`. */
export function hasMessage(key: string): boolean {
  return i18n.exists(key, { lng: 'en' });
}

/** A language's name in itself ("Français", "العربية"), for choices and confirmations. */
export function languageName(lang: Language): string {
  const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang;
  return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
}

const displayNames = new Map<Language, Intl.DisplayNames>();

/**
 * A document language's name in the reader's language, capitalized as a list item: for a French
 * reader `ar` is "Arabe", `fa-AF` "Dari". A tag Intl cannot name is returned as is.
 */
export function languageNameIn(reader: Language, tag: string): string {
  // Intl names `und` "root" (CLDR's name for the root locale), which means nothing to a reader.
  if (tag.toLowerCase() === 'und') return t(reader, 'language.undetermined');
  let names = displayNames.get(reader);
  if (!names) displayNames.set(reader, (names = new Intl.DisplayNames([reader], { type: 'language' })));
  let name: string | undefined;
  try {
    name = names.of(tag);
  } catch {
    return tag; // not a well-formed tag (a record written by hand): show it as it is
  }
  if (!name || name === tag) return tag;
  return name.charAt(0).toLocaleUpperCase(reader) + name.slice(1);
}

/**
 * A left-to-right fragment (an id, a channel mention, a cron expression) made safe to drop into a
 * sentence of `lang`: in right-to-left text it is wrapped in U+2068 … U+2069 so its digits and
 * punctuation keep their order; elsewhere it is returned as is.
 */
export function isolate(lang: Language, fragment: string): string {
  return RTL.has(lang) ? `\u2068${fragment}\u2069` : fragment;
}

/** Dates written as text (not Discord timestamps), in the language's own way: "1 nov. 2026". */
export function formatDate(lang: Language, iso: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
}

/** "a, b and c" in the language's own way (Intl.ListFormat). */
export function formatList(lang: Language, items: readonly string[]): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}
