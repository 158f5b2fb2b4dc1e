import type { Library, Suggestion } from '../core/library.js';
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
