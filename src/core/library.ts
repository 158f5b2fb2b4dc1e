/**
 * The library: every document with its search index, autocomplete, contact directory and project
 * catalog, kept consistent under live updates. The one object adapters (Discord, CLI, digests) talk
 * to; they get it through their context, never as a module singleton.
 *
 * ```ts
 * const library = createLibrary(records);               // or openCorpusLibrary(dataDir) (src/ingest/openCorpus.ts)
 * library.search('beijing office', { kind: 'article', page: 1 });  // SearchPage; UserError on bad queries
 * library.matchIds('"liaison office"', { kind: 'article' });       // string[]: every match, AND only
 * library.getDocument('002_6920415c55e1d6e5');          // DocumentRecord; UserError 'unknown-id'
 * library.meta('002_6920415c55e1d6e5');                 // RecordMeta (no text) | undefined
 * library.related('002_6920415c55e1d6e5');              // RelatedDocument[] (never itself)
 * library.translationsOf(id);                           // {language, url, id?}[]: the publisher's language versions
 * library.contacts.search('liljert');                   // ContactEntry[]
 * library.contacts.get('Par Liljert');                  // ContactEntry | undefined (name, alias or e-mail)
 * library.contacts.vcard(entry);                        // vCard 4.0 text (CRLF)
 * library.projects.find('CN10P0002');                   // ProjectRecord[] (id exact, else title words)
 * library.projects.list({ status: 'Completed', sort: 'budget' });
 * library.suggest('title', 'mig');                      // ≤ 25 {name, value}, each ≤ 100 chars
 * library.stats();                                      // {documents, articles, projects, contacts}
 * library.warmSteps();                                  // build lazy parts now, step by step
 * library.upsert(record); library.remove(id);           // live ingestion
 * library.compactSteps(); library.toSnapshot();       // merge changes into the index, then its parts
 * Library.fromSnapshot(parts);                          // Result: the reason on damage
 * ```
 *
 * Errors: `search` throws UserError `empty-query`, `query-too-long` or `bad-page`; `getDocument` and
 * `related` throw UserError `unknown-id`; `suggest` throws UserError `unknown-field`. Nothing else
 * throws on user input.
 *
 * Costs: search and suggest never scan all documents (snippets only for the page shown). Each
 * record's metadata is held in memory; its text is read from the {@link TextSource} (the snapshot
 * file) when a page shows it, unless it changed since. The title lookup and the contact directory
 * are built on first use (or by `warmSteps`) and then updated in place: an upsert rebuilds only
 * the people it names. Records are held as given and must not be mutated; `upsert` a new object.
 */
import {
  ContactDirectory,
  type ContactEntry,
  type DirectoryChange,
  type DirectorySource,
} from './contacts/directory.js';
import { extractMentions, type Mention } from './contacts/mentions.js';
import { toVCard } from './contacts/vcard.js';
import { err, ok, UserError, type Result } from './errors.js';
import { ProjectCatalog, type ProjectListOptions, type ProjectMeta, type ProjectRecord } from './projects.js';
import {
  languageOf,
  metaOf,
  withParagraphs,
  type DocumentRecord,
  type RecordMeta,
  type Translation,
} from './record.js';
import { PrefixIndex, type Suggestion } from './search/autocomplete.js';
import { truncate } from './truncate.js';
import { runSteps } from './steps.js';
import {
  SearchIndex,
  toIndexedDocument,
  type RecordReader,
  type RelatedDocument,
  type SearchFilters,
  type SearchPage,
  type SearchRequest,
} from './search/searchIndex.js';
import type { IndexStats } from './search/liveIndex.js';
import type { Segment } from './search/segment.js';

export type { ContactEntry, ContactDocument } from './contacts/directory.js';
export type { Mention } from './contacts/mentions.js';
export type {
  ProjectFilters,
  ProjectListOptions,
  ProjectMeta,
  ProjectRecord,
  ProjectSort,
} from './projects.js';
export type { RecordMeta } from './record.js';
export type { IndexStats } from './search/liveIndex.js';
export type { Segment } from './search/segment.js';
export type { Suggestion } from './search/autocomplete.js';
export type { FileStamp, SnapshotSources } from './search/snapshotFormat.js';
export type {
  RelatedDocument,
  SearchFilters,
  SearchHit,
  SearchPage,
  SearchRequest,
  SearchSort,
} from './search/searchIndex.js';
export { parseSince, sinceUserError } from './search/since.js';

/** A language version a document links, with the library's document there when it has one. */
export interface LinkedTranslation extends Translation {
  readonly id?: string;
}

/** What `suggest` can complete. */
export const SUGGEST_FIELDS = ['title', 'contact', 'country', 'project'] as const;
export type SuggestField = (typeof SUGGEST_FIELDS)[number];

/** Counts for status lines. */
export interface LibraryStats {
  readonly documents: number;
  readonly articles: number;
  readonly projects: number;
  readonly contacts: number;
}

/** The contact directory as the library exposes it (always current). */
export interface ContactsApi {
  /** Entries matching part of a name, office or e-mail (folded), best first, at most `limit`. */
  search(query: string, limit?: number): ContactEntry[];
  /** The entry for an exact name, alias or e-mail (case, accents and honorifics ignored). */
  get(nameOrEmail: string): ContactEntry | undefined;
  /** Every entry, by name. */
  all(): readonly ContactEntry[];
  /** vCard 4.0 text of an entry. */
  vcard(entry: ContactEntry): string;
}

/** The project catalog as the library exposes it (always current). */
export interface ProjectsApi {
  /** By Prima ID or Projects ID (exact, case-insensitive), else by title words. */
  find(query: string): ProjectRecord[];
  /** With filters and sorting (without their text: a listing may hold thousands). */
  list(options?: ProjectListOptions): ProjectMeta[];
}

/** The project's id shown and completed: Prima ID, else Projects ID, else the document id. */
const projectKey = (r: RecordMeta) => r.project?.primaId ?? r.project?.projectId ?? r.id;

/**
 * Where the library reads texts it does not keep in memory (a snapshot file, see
 * src/ingest/snapshotFile.ts): `paragraphs` may do I/O, and is asked only for the documents shown
 * or checked (a page of results, a phrase, an article).
 */
export interface TextSource {
  paragraphs(id: string): string[] | undefined;
  /** Whether it holds the text of this id (of this content hash, when given). */
  has(id: string, contentHash?: string): boolean;
}

/** What a snapshot holds; see {@link Library.toSnapshot} and {@link Library.fromSnapshot}. */
export interface SnapshotParts {
  /** Every record without its text. */
  readonly metas: readonly RecordMeta[];
  /** The people found in each text (documents without any left out). */
  readonly mentions: ReadonlyMap<string, readonly Mention[]>;
  readonly segment: Segment;
  readonly stats: IndexStats;
  /** Where the texts not in `texts` are read. */
  readonly textSource: TextSource | null;
}

/** A library's state to save: the parts, and the texts it holds in memory (the others are in `textSource`). */
export interface LibrarySnapshot extends SnapshotParts {
  readonly texts: ReadonlyMap<string, readonly string[]>;
}

/** Documents indexed between two freezes while building (see the constructor). */
const BUILD_BATCH = 10_000;

/** See the file comment for the API. */
export class Library {
  private readonly metas = new Map<string, RecordMeta>();
  /** Paragraphs the text source does not hold (documents added since it was written, or all). */
  private readonly texts = new Map<string, string[]>();
  private textSource: TextSource | null = null;
  private readonly mentions = new Map<string, readonly Mention[]>();
  private readonly index: SearchIndex;
  /** Built on first use (or {@link warmSteps}): a word index over every title is the largest lookup. */
  private titlesIndex: PrefixIndex | undefined;
  private readonly countries = new PrefixIndex();
  private readonly countryCounts = new Map<string, number>();
  /** Canonical address → document id, for the translations a record links (see translationsOf). */
  private readonly byUrl = new Map<string, string>();
  /** Documents per language tag, kept as documents come and go (the index's set never shrinks). */
  private readonly languageCounts = new Map<string, number>();
  private readonly projectIds = new PrefixIndex();
  private peopleIndex: PeopleIndex | undefined;
  /**
   * Changes the directory has not taken yet: applied together on its next use. Rebuilding a person
   * reads every document naming them, so a batch of 1,000 pages naming the same people costs one
   * rebuild of each, not a thousand (a second at 100,000 documents instead of half a minute).
   */
  private readonly peopleChanges = { removed: new Set<string>(), added: new Map<string, DirectorySource>() };
  private catalogCache: ProjectCatalog | undefined;
  private sortedIdsCache: string[] | undefined;

  readonly contacts: ContactsApi = {
    search: (query, limit) => this.people().directory.search(query, limit),
    get: (nameOrEmail) => this.people().directory.get(nameOrEmail),
    all: () => this.people().directory.entries,
    vcard: (entry) => toVCard(entry),
  };

  readonly projects: ProjectsApi = {
    find: (query) =>
      this.catalog()
        .find(query)
        .map((p) => this.record(p.id) as ProjectRecord),
    list: (options) => this.catalog().list(options),
  };

  private constructor(
    entries: Iterable<{ meta: RecordMeta; paragraphs: string[] | null; mentions: readonly Mention[] | null }>,
    loadIndex: ((records: RecordReader) => SearchIndex | null) | null,
    textSource: TextSource | null,
  ) {
    this.textSource = textSource;
    const records: RecordReader = { meta: (id) => this.metas.get(id), full: (id) => this.record(id) };
    const loaded = loadIndex?.(records) ?? null;
    this.index = loaded ?? SearchIndex.create(records);
    let added = 0;
    for (const { meta, paragraphs, mentions } of entries) {
      if (this.metas.has(meta.id)) throw new Error(`Library: duplicate document id "${meta.id}"`);
      this.metas.set(meta.id, meta);
      if (paragraphs) this.texts.set(meta.id, paragraphs);
      const found = mentions ?? extractMentions(paragraphs ?? this.record(meta.id)!.paragraphs);
      if (found.length > 0) this.mentions.set(meta.id, found);
      this.addLookups(meta);
      if (loaded) this.index.noteLanguage(languageOf(meta));
      else {
        // One at a time, frozen every few thousand: a flat copy of every text at once, or one big
        // MiniSearch index, would multiply peak memory on big corpora.
        this.index.add(toIndexedDocument(this.record(meta.id)!, found));
        if (++added % BUILD_BATCH === 0) runSteps(this.index.compactSteps());
      }
    }
    if (!loaded) runSteps(this.index.compactSteps());
    for (const lookup of [this.countries, this.projectIds]) lookup.prepare();
  }

  /** Builds a library over records (ids must be unique: a duplicate is a bug and throws). */
  static create(records: readonly DocumentRecord[]): Library {
    return new Library(
      records.map((record) => ({ meta: metaOf(record), paragraphs: record.paragraphs, mentions: null })),
      null,
      null,
    );
  }

  /**
   * A library from saved parts (see {@link toSnapshot}): record metadata, the people found in each
   * text, the index segment with its statistics, and where the texts are read. Nothing is
   * tokenized again (unless MiniSearch's internals may not be read: then the texts are indexed).
   * Any mismatch gives the reason instead of a library.
   */
  static fromSnapshot(parts: SnapshotParts): Result<Library, string> {
    try {
      const library = new Library(
        parts.metas.map((meta) => ({ meta, paragraphs: null, mentions: parts.mentions.get(meta.id) ?? [] })),
        (records) => SearchIndex.fromSegment(parts.segment, parts.stats, records),
        parts.textSource,
      );
      if (
        library.index.documentCount !== parts.metas.length ||
        !parts.metas.every((m) => library.index.has(m.id))
      ) {
        return err('corrupt: the index does not hold the documents it claims');
      }
      return ok(library);
    } catch (error) {
      return err(`corrupt: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * What a snapshot holds, as of now (later changes do not alter it), or null while changes wait
   * to be merged into the index (run {@link compactSteps} first).
   */
  toSnapshot(): LibrarySnapshot | null {
    const compact = this.index.segment();
    if (!compact) return null;
    return {
      metas: [...this.metas.values()],
      mentions: new Map(this.mentions),
      segment: compact.segment,
      stats: compact.stats,
      texts: new Map(this.texts),
      textSource: this.textSource,
    };
  }

  /**
   * Reads texts from `source` from now on (a snapshot just written or loaded), dropping the copies
   * in memory that it holds, so that only documents changed since stay in memory.
   */
  useTextSource(source: TextSource): void {
    for (const id of [...this.texts.keys()])
      if (source.has(id, this.metas.get(id)?.contentHash)) this.texts.delete(id);
    this.textSource = source;
  }

  /** Documents added, replaced or removed since the index was last merged into one segment. */
  get pendingChanges(): number {
    return this.index.pendingChanges;
  }

  /**
   * Merges the changes into the index's segment, step by step (see
   * {@link SearchIndex.compactSteps}): run it between other work (searches answer in between),
   * before a snapshot and after a batch of changes.
   */
  compactSteps(): Generator<void, void> {
    return this.index.compactSteps();
  }

  /** The language tags of the documents held now, sorted (a count per tag: no scan). */
  get languages(): string[] {
    return [...this.languageCounts.keys()].sort();
  }

  /** How many documents each language tag has, by tag (see {@link languages}). */
  languageCount(tag: string): number {
    return this.languageCounts.get(tag) ?? 0;
  }

  /** See {@link SearchIndex.search}. */
  search(query: string, request: SearchRequest = {}): SearchPage {
    return this.index.search(query, request);
  }

  /** See {@link SearchIndex.matchIds}: all ids matching every word, no pages, no fallback. */
  matchIds(query: string, filters: SearchFilters = {}): string[] {
    return this.index.matchIds(query, filters);
  }

  /** The record with this id, or UserError `unknown-id` naming it and suggesting close ids/titles. */
  getDocument(id: string): DocumentRecord {
    const record = this.record(id.trim());
    if (record) return record;
    const close = this.closeDocuments(id.trim());
    const suggestions = close.map((r) => `${r.id} ("${truncate(r.title, 60)}")`);
    const hint = close.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '';
    throw new UserError('unknown-id', `No document with id "${truncate(id, 100)}".${hint}`, {
      key: close.length > 0 ? 'errors.unknown-id-hint' : 'errors.unknown-id',
      values: { id: truncate(id, 100), suggestions },
    });
  }

  /**
   * The same release in other languages, as the document's publisher links them, each with the id
   * of the library's document at that address when it holds one (never the document itself).
   */
  translationsOf(id: string): LinkedTranslation[] {
    const meta = this.metas.get(id);
    return (meta?.translations ?? []).map((t) => {
      const docId = this.byUrl.get(t.url);
      return docId !== undefined && docId !== id ? { ...t, id: docId } : { ...t };
    });
  }

  /** The id of the document seen at a canonical address, if the library holds one. */
  idAtUrl(url: string): string | undefined {
    return this.byUrl.get(url);
  }

  /** Whether a document with this id exists. */
  has(id: string): boolean {
    return this.metas.has(id);
  }

  /** A record's metadata (everything but its text, which may need reading), or undefined. */
  meta(id: string): RecordMeta | undefined {
    return this.metas.get(id);
  }

  /** The metadata of every record (no text), in id order. */
  documents(): RecordMeta[] {
    return this.sortedIds().map((id) => this.metas.get(id)!);
  }

  /** The metadata of every record, in no particular order (no sort: for passes over all of them). */
  metadata(): IterableIterator<RecordMeta> {
    return this.metas.values();
  }

  /** Documents related to `id` (shared rare terms, same country, same people), never itself. */
  related(id: string, limit = 5): RelatedDocument[] {
    const record = this.getDocument(id);
    const sharing = new Set<string>();
    for (const entry of this.people().byDocument.get(record.id) ?? []) {
      for (const d of entry.documents) sharing.add(d.id);
    }
    sharing.delete(record.id);
    return this.index.related(record, sharing, limit);
  }

  /** Autocomplete: ≤ 25 choices, names and values ≤ 100 characters. */
  suggest(field: SuggestField, prefix: string): Suggestion[] {
    switch (field) {
      case 'title':
        return this.titles().lookup(prefix);
      case 'country':
        return this.countries.lookup(prefix);
      case 'project':
        return this.projectIds.lookup(prefix);
      case 'contact':
        return this.people().suggest.lookup(prefix);
      default:
        throw new UserError(
          'unknown-field',
          `Cannot suggest "${String(field)}"; use one of ${SUGGEST_FIELDS.join(', ')}.`,
          { values: { field: String(field), fields: SUGGEST_FIELDS } },
        );
    }
  }

  /**
   * Builds what is otherwise built on first use (the title lookup, the contact directory, the
   * project catalog), so that first use answers quickly: seconds at 100k documents, longer than
   * Discord's 3 s for an autocomplete. A generator: one part per step, so an adapter can let the
   * event loop run in between (`runStepsInTurns`); call it once after start-up.
   */
  *warmSteps(): Generator<void, void> {
    this.titles();
    yield;
    this.people();
    yield;
    this.catalog();
  }

  /** How many documents it holds (cheap: {@link stats} also counts people). */
  get documentCount(): number {
    return this.metas.size;
  }

  stats(): LibraryStats {
    let articles = 0;
    for (const r of this.metas.values()) if (r.kind === 'article') articles++;
    return {
      documents: this.metas.size,
      articles,
      projects: this.metas.size - articles,
      contacts: this.people().directory.size,
    };
  }

  /** Adds a document or replaces the one with its id, everywhere (index, lookups, directory). */
  upsert(record: DocumentRecord): void {
    const previous = this.metas.get(record.id);
    if (previous) this.removeLookups(previous);
    const meta = metaOf(record);
    this.metas.set(record.id, meta);
    this.texts.set(record.id, record.paragraphs);
    const mentions = extractMentions(record.paragraphs);
    if (mentions.length > 0) this.mentions.set(record.id, mentions);
    else this.mentions.delete(record.id);
    this.addLookups(meta);
    this.index.upsert(toIndexedDocument(record, mentions));
    if (this.peopleIndex) {
      this.peopleChanges.removed.delete(record.id);
      this.peopleChanges.added.set(record.id, { record: meta, mentions });
    }
    this.changed();
  }

  /** Removes a document everywhere; returns false when there was none with this id. */
  remove(id: string): boolean {
    const previous = this.metas.get(id);
    if (!previous) return false;
    this.removeLookups(previous);
    this.metas.delete(id);
    this.texts.delete(id);
    this.mentions.delete(id);
    this.index.remove(id);
    if (this.peopleIndex) {
      this.peopleChanges.added.delete(id);
      this.peopleChanges.removed.add(id);
    }
    this.changed();
    return true;
  }

  private changed(): void {
    this.catalogCache = undefined;
    this.sortedIdsCache = undefined;
  }

  private addLookups(record: RecordMeta): void {
    this.titlesIndex?.set(record.id, record.title, [record.title]);
    const language = languageOf(record);
    this.languageCounts.set(language, (this.languageCounts.get(language) ?? 0) + 1);
    for (const url of record.urls ?? []) this.byUrl.set(url, record.id);
    if (record.country) {
      const count = this.countryCounts.get(record.country) ?? 0;
      this.countryCounts.set(record.country, count + 1);
      if (count === 0) this.countries.set(record.country, record.country, [record.country]);
    }
    if (record.project) {
      const p = record.project;
      const ids = [p.primaId, p.projectId].filter((v): v is string => Boolean(v));
      const name = `${ids.join(' · ') || record.id} — ${record.title}`;
      this.projectIds.set(projectKey(record), name, ids.length > 0 ? ids : [record.id]);
    }
  }

  private removeLookups(record: RecordMeta): void {
    this.titlesIndex?.delete(record.id);
    const language = languageOf(record);
    const left = (this.languageCounts.get(language) ?? 1) - 1;
    if (left > 0) this.languageCounts.set(language, left);
    else this.languageCounts.delete(language);
    for (const url of record.urls ?? []) if (this.byUrl.get(url) === record.id) this.byUrl.delete(url);
    if (record.country) {
      const count = (this.countryCounts.get(record.country) ?? 1) - 1;
      if (count <= 0) {
        this.countryCounts.delete(record.country);
        this.countries.delete(record.country);
      } else this.countryCounts.set(record.country, count);
    }
    if (record.project) this.projectIds.delete(projectKey(record));
  }

  /** The directory and what is built on it, made on first use and then updated in place. */
  private people(): PeopleIndex {
    if (!this.peopleIndex) {
      this.peopleIndex = new PeopleIndex(
        new ContactDirectory(
          [...this.metas.values()].map((record) => ({
            record,
            mentions: this.mentions.get(record.id) ?? [],
          })),
        ),
      );
    } else if (this.peopleChanges.removed.size + this.peopleChanges.added.size > 0) {
      const { removed, added } = this.peopleChanges;
      this.peopleIndex.apply(this.peopleIndex.directory.update([...removed], [...added.values()]));
      removed.clear();
      added.clear();
    }
    return this.peopleIndex;
  }

  private titles(): PrefixIndex {
    if (!this.titlesIndex) {
      const titles = new PrefixIndex();
      for (const meta of this.metas.values()) titles.set(meta.id, meta.title, [meta.title]);
      titles.prepare();
      this.titlesIndex = titles;
    }
    return this.titlesIndex;
  }

  private catalog(): ProjectCatalog {
    this.catalogCache ??= new ProjectCatalog(this.documents());
    return this.catalogCache;
  }

  /**
   * The full record: its metadata with its text, from memory or the text source; undefined for an
   * unknown id. A text source that cannot give a text it was said to hold is damage, and throws.
   */
  private record(id: string): DocumentRecord | undefined {
    const meta = this.metas.get(id);
    if (!meta) return undefined;
    const paragraphs = this.texts.get(id) ?? this.textSource?.paragraphs(id);
    if (!paragraphs) throw new Error(`Library: the text of document "${id}" cannot be read`);
    return withParagraphs(meta, paragraphs);
  }

  private sortedIds(): string[] {
    this.sortedIdsCache ??= [...this.metas.keys()].sort();
    return this.sortedIdsCache;
  }

  /** Ids starting with what was typed, else titles matching it as a query. */
  private closeDocuments(typed: string): RecordMeta[] {
    if (typed.length === 0) return [];
    const ids = this.sortedIds();
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! < typed) lo = mid + 1;
      else hi = mid;
    }
    const byPrefix: RecordMeta[] = [];
    for (let i = lo; i < ids.length && byPrefix.length < 3 && ids[i]!.startsWith(typed); i++) {
      byPrefix.push(this.metas.get(ids[i]!)!);
    }
    if (byPrefix.length > 0) return byPrefix;
    try {
      return this.search(typed.slice(0, 500), { pageSize: 3 }).results.map((hit) => this.metas.get(hit.id)!);
    } catch {
      return []; // not searchable text (punctuation only): no suggestion
    }
  }
}

/** The contact directory with its autocomplete and a document → people map, kept in step. */
class PeopleIndex {
  readonly suggest = new PrefixIndex();
  readonly byDocument = new Map<string, ContactEntry[]>();
  private readonly byName = new Map<string, Set<ContactEntry>>();
  private readonly valueOf = new Map<ContactEntry, string>();

  constructor(readonly directory: ContactDirectory) {
    this.apply({ removed: [], added: directory.entries });
  }

  /** Follows a directory update: drops removed entries, adds new ones, fixes choice values. */
  apply(change: DirectoryChange): void {
    const names = new Set<string>();
    for (const entry of change.removed) {
      names.add(entry.name);
      this.byName.get(entry.name)?.delete(entry);
      const value = this.valueOf.get(entry);
      if (value !== undefined) this.suggest.delete(value);
      this.valueOf.delete(entry);
      for (const d of entry.documents) {
        const list = this.byDocument.get(d.id)?.filter((e) => e !== entry) ?? [];
        if (list.length > 0) this.byDocument.set(d.id, list);
        else this.byDocument.delete(d.id);
      }
    }
    for (const entry of change.added) {
      names.add(entry.name);
      let set = this.byName.get(entry.name);
      if (!set) this.byName.set(entry.name, (set = new Set()));
      set.add(entry);
      for (const d of entry.documents) {
        const list = this.byDocument.get(d.id) ?? [];
        if (!list.includes(entry)) list.push(entry);
        this.byDocument.set(d.id, list);
      }
    }
    for (const name of names) {
      const same = this.byName.get(name) ?? new Set<ContactEntry>();
      if (same.size === 0) this.byName.delete(name);
      for (const entry of same) {
        // Two people with one spelling: their e-mail tells them apart (the CLI and bot accept it).
        const value = same.size > 1 && entry.emails[0] ? entry.emails[0] : entry.name;
        const previous = this.valueOf.get(entry);
        if (previous === value) continue;
        if (previous !== undefined) this.suggest.delete(previous);
        this.valueOf.set(entry, value);
        const where = entry.offices[0] ?? entry.roles[0];
        this.suggest.set(value, where ? `${entry.name} (${where})` : entry.name, [
          entry.name,
          ...entry.aliases,
          ...entry.emails,
        ]);
      }
    }
  }
}

/** Builds a library over records; see {@link Library}. */
export function createLibrary(records: readonly DocumentRecord[]): Library {
  return Library.create(records);
}
