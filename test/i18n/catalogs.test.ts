import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { CATALOGS, LANGUAGES, type Catalog, t } from '../../src/i18n/translate.js';

/** Every message of a catalog by its dotted key. */
function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** The names a parsed ICU message interpolates (plain arguments, plurals, selects), sorted. */
function placeholders(message: string, lang: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: unknown): void => {
    if (!Array.isArray(nodes)) return;
    for (const node of nodes as Array<Record<string, unknown>>) {
      if (typeof node.value === 'string' && node.type !== 0 && node.type !== 7) names.add(node.value);
      const options = node.options as Record<string, { value: unknown }> | undefined;
      for (const option of Object.values(options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, lang).getAst());
  return [...names].sort();
}

const english = flatten(CATALOGS.en);
const others = LANGUAGES.filter((lang) => lang !== 'en');

describe('message catalogs', () => {
  it('has every English key in every other catalog (the list names what each one lacks)', () => {
    const missing = Object.fromEntries(
      others.map((lang) => {
        const keys = flatten(CATALOGS[lang]);
        return [lang, [...english.keys()].filter((key) => !keys.has(key))];
      }),
    );
    expect(missing).toEqual(Object.fromEntries(others.map((lang) => [lang, []])));
  });

  it('has no key that English lacks (a typo would never be shown)', () => {
    const extra = Object.fromEntries(
      others.map((lang) => [lang, [...flatten(CATALOGS[lang]).keys()].filter((key) => !english.has(key))]),
    );
    expect(extra).toEqual(Object.fromEntries(others.map((lang) => [lang, []])));
  });

  it.each(LANGUAGES)(
    'parses every %s message as ICU MessageFormat, with the placeholders of English',
    (lang) => {
      const mismatched: string[] = [];
      for (const [key, message] of flatten(CATALOGS[lang])) {
        const own = placeholders(message, lang);
        const en = english.get(key);
        if (en !== undefined && own.join() !== placeholders(en, 'en').join()) mismatched.push(key);
      }
      expect(mismatched).toEqual([]);
    },
  );

  it('never HTML-escapes values (the formatters escape for Discord)', () => {
    expect(t('es', 'search.noResults', { query: '“a & <b>”' })).toBe('No hay resultados para “a & <b>”.');
  });

  it('isolates text values in Arabic, so an id or a Latin query keeps its order', () => {
    expect(t('ar', 'search.noResults', { query: '“CN10P0002”' })).toBe(
      'لا توجد نتائج لـ \u2068“CN10P0002”\u2069.',
    );
  });

  it('says the key itself for a key no catalog has (a bug the completeness tests catch first)', () => {
    expect(t('fr', 'no.such.key')).toBe('no.such.key');
  });

  it.each([
    ['en', 1, 'Page 1 of 1 · 1 result'],
    ['fr', 0, 'Page 1 sur 1 · 0 résultat'],
    ['es', 7, 'Página 1 de 1 · 7 resultados'],
    ['ar', 2, 'الصفحة 1 من 1 · نتيجتان'],
    ['ar', 5, 'الصفحة 1 من 1 · 5 نتائج'],
    ['ar', 11, 'الصفحة 1 من 1 · 11 نتيجة'],
  ] as const)('writes plurals the %s way (%d)', (lang, total, expected) => {
    expect(t(lang, 'search.footer', { page: 1, pages: 1, total })).toBe(expected);
  });
});
