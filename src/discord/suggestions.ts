import { UserError } from '../core/errors.js';
import { languageNameIn, t, type Language } from '../i18n/translate.js';
import { canonicalLanguage, UNDETERMINED } from '../core/text/language.js';
import { escapeText } from './format/text.js';
import type { ContactEntry, Library, Suggestion } from '../core/library.js';
import type { DocumentRecord } from '../core/record.js';
import { MAX_QUERY_LENGTH } from './options.js';

/**
 * Titles offered as whole queries for /search: the title suggestions' values are document ids,
 * so the choice carries the title itself, cut at a word to stay a readable query.
 */
export function titleQueries(library: Library, typed: string): Suggestion[] {
  return library.suggest('title', typed).map((s) => {
    const title = library.has(s.value) ? library.getDocument(s.value).title : s.name;
    const query =
      title.length <= MAX_QUERY_LENGTH ? title : title.slice(0, MAX_QUERY_LENGTH).replace(/\s+\S*$/, '');
    return { name: query, value: query };
  });
}

/**
 * The country as the index knows it: clients sometimes submit the typed text ("chin") instead of
 * the chosen value, so an inexact entry becomes the best suggestion when there is one.
 */
export function resolveCountry(library: Library, typed: string | undefined): string | undefined {
  if (!typed) return undefined;
  const choices = library.suggest('country', typed);
  const exact = choices.find((c) => c.value.toLowerCase() === typed.toLowerCase());
  return (exact ?? choices[0])?.value ?? typed;
}

/**
 * The document an option names: its id as chosen from the list, or (clients sometimes submit the
 * typed text instead of the choice) the best title match for that text. Throws UserError.
 */
export function resolveArticle(library: Library, text: string): DocumentRecord {
  if (library.has(text)) return library.getDocument(text);
  const best = library.suggest('title', text)[0];
  const doc = best && library.has(best.value) ? library.getDocument(best.value) : undefined;
  if (!doc) {
    throw new UserError(
      'unknown-article',
      `No article matches “${escapeText(text)}”. Pick one from the list, or try /search.`,
      { values: { text: escapeText(text) } },
    );
  }
  return doc;
}

/** The document a button or menu names, or UserError `unknown-document` saying catalog message `key`. */
export function documentById(library: Library, id: string | undefined, key: string): DocumentRecord {
  if (id && library.has(id)) return library.getDocument(id);
  throw new UserError('unknown-document', t('en', key), { key });
}

/**
 * The press contact `name` names: an exact name, alias or e-mail wins (buttons carry the full
 * name); else the best partial match, with up to five other close names. Throws UserError.
 */
export function resolveContact(library: Library, name: string): { contact: ContactEntry; others: string[] } {
  const exact = library.contacts.get(name);
  const [contact, ...others] = exact ? [exact] : library.contacts.search(name, 6);
  if (!contact) {
    throw new UserError('unknown-contact', `No press contact matches “${escapeText(name)}”.`, {
      values: { name: escapeText(name) },
    });
  }
  return { contact, others: others.slice(0, 5).map((c) => c.name) };
}

/** The best project for a title, Prima ID or Projects ID, with the others that also match. Throws UserError. */
export function resolveProject(
  library: Library,
  query: string,
): { project: DocumentRecord; others: DocumentRecord[] } {
  const [project, ...others] = library.projects.find(query);
  if (!project) {
    throw new UserError(
      'unknown-project',
      `No project matches “${escapeText(query)}”. Try a Prima ID such as CN10P0002, or /search kind:Projects.`,
      { values: { query: escapeText(query) } },
    );
  }
  return { project, others };
}

/** Lower case without accents: "Árabe" is found by "ara". */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The languages the library holds, for a `language` option: each named in the reader's language
 * ("Arabe (ar)" for a French reader), value the tag, those whose name or tag starts a word with
 * what was typed first. The library counts documents per tag as they come and go: no scan.
 */
export function languageChoices(library: Library, typed: string, reader: Language): Suggestion[] {
  const wanted = fold(typed.trim());
  const choices = library.languages.map((tag) => ({
    name: `${languageNameIn(reader, tag)} (${tag})`,
    value: tag,
  }));
  if (wanted === '') return choices;
  const starts = (c: Suggestion) =>
    fold(c.value).startsWith(wanted) ||
    fold(c.name)
      .split(/[\s(]+/)
      .some((w) => w.startsWith(wanted));
  return [...choices.filter(starts), ...choices.filter((c) => !starts(c) && fold(c.name).includes(wanted))];
}

/**
 * A `language` option's value as a tag (`fr`, `fa-AF`, `und`), or UserError `bad-language` when it
 * is not one (a client may submit the typed text instead of the choice: a name typed in full that
 * matches one choice is taken as that choice).
 */
export function resolveLanguage(
  library: Library,
  typed: string | undefined,
  reader: Language,
): string | undefined {
  if (!typed) return undefined;
  if (typed.toLowerCase() === UNDETERMINED) return UNDETERMINED;
  const tag = canonicalLanguage(typed);
  if (tag) return tag;
  const named = languageChoices(library, typed, reader);
  if (named.length === 1) return named[0]!.value;
  throw new UserError('bad-language', `“${escapeText(typed)}” is not a language; pick one from the list.`, {
    values: { value: escapeText(typed) },
  });
}
