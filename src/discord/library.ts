import type { DocumentKind, DocumentRecord } from '../core/record.js';

/**
 * What the commands ask of the search services. main.ts adapts the core library to it; keeping
 * the port small keeps the commands independent of how search is implemented.
 */
export interface LibraryPort {
  /** Ranked results; throws UserError for a query it cannot run (empty, too long). */
  search(query: string, options: SearchOptions): SearchPage;
  document(id: string): DocumentRecord | undefined;
  /** Articles related to a document, best first. */
  related(id: string, limit: number): readonly DocumentRef[];
  /** People whose name, office or e-mail matches, best first. */
  contacts(query: string): readonly ContactCard[];
  /** A vCard 4.0 for one person. */
  vcard(contact: ContactCard): string;
  /** Projects by Prima ID, Projects ID or title words, best first. */
  projects(query: string): readonly DocumentRecord[];
  /** Autocomplete choices for a field: at most `limit`, names and values at most 100 characters. */
  suggest(field: SuggestField, prefix: string, limit: number): readonly Choice[];
  stats(): LibraryStats;
}

export type SuggestField = 'article' | 'search' | 'contact' | 'country' | 'project';

export interface SearchOptions {
  readonly kind?: DocumentKind | undefined;
  readonly country?: string | undefined;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

export interface SearchHit {
  readonly id: string;
  readonly kind: DocumentKind;
  readonly title: string;
  readonly country: string | null;
  /** The best sentence, matched words between `**` markers. */
  readonly snippet: string;
}

export interface SearchPage {
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  readonly results: readonly SearchHit[];
  /** True when no document had every word and these match any word. */
  readonly anyWord: boolean;
  /** "Did you mean" terms when nothing matched. */
  readonly suggestions: readonly string[];
}

export interface DocumentRef {
  readonly id: string;
  readonly title: string;
}

export interface ContactCard {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly offices: readonly string[];
  readonly phones: readonly string[];
  readonly emails: readonly string[];
  readonly roles: readonly string[];
  readonly documents: readonly (DocumentRef & { readonly as: 'contact' | 'mention' })[];
}

export interface Choice {
  readonly name: string;
  readonly value: string;
}

export interface LibraryStats {
  readonly documents: number;
  readonly articles: number;
  readonly projects: number;
  readonly contacts: number;
}
