import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import type { Mention } from '../contacts/mentions.js';
import { UserError } from '../errors.js';
import { languageOf, type DocumentKind, type DocumentRecord, type RecordMeta } from '../record.js';
import { analyzeText, analyzeWord } from '../text/analysis.js';
import { matchesLanguage } from '../text/language.js';
import { SEARCH_INDEX_OPTIONS, type IndexedDocument } from './options.js';
import {
  containsSequence,
  fuzzyDistance,
  isCorrectable,
  MIN_PREFIX_LENGTH,
  parseQuery,
  rewriteQuery,
  stemsOfPrefix,
  type ParsedQuery,
} from './query.js';
import { QueryEngine, type IndexReader, type Matches, type TermPostings, type TermQuery } from './engine.js';
import { LiveIndex, type IndexStats } from './liveIndex.js';
import { areMiniSearchInternalsEnabled } from './miniSearchInternals.js';
import type { Segment } from './segment.js';
import { buildSnippet, type Snippet } from './snippet.js';
import { fold, tokenize } from './terms.js';

/** Narrowing a search. Text filters ignore case and accents; `region` matches part of the region. */
export interface SearchFilters {
  readonly kind?: DocumentKind;
  /** Dateline country (articles) or first benefiting member state (projects), exactly. */
  readonly country?: string;
  /** Project year; articles have none, so they drop out. */
  readonly year?: number;
  /** Project status, exactly (e.g. "Completed"). */
  readonly status?: string;
  /** Part of the project's region (e.g. "asia"). */
  readonly region?: string;
  /**
   * ISO time: only documents published at or after it (see parseSince for `7d`, `2026-11-01`).
   * Documents without a publication date (the shipped pages, feeds that give none) drop out: a
   * date filter promises dates.
   */
  readonly since?: string;
  /**
   * BCP 47 tag: only documents in this language (`fr` also matches `fr-CA`), and the query is
   * analysed in it alone.
   */
  readonly language?: string;
}

/** How results are ordered: best match first, or newest publication first (undated last). */
export type SearchSort = 'relevance' | 'newest';

/** A search: filters plus the page wanted. */
export interface SearchRequest extends SearchFilters {
  /** 1-based; a page past the last gives no results (not an error). */
  readonly page?: number;
  /** Results per page, 1 to 25 (default 10). */
  readonly pageSize?: number;
  /** Default relevance; `newest` ranks by publication date, then by score. */
  readonly sort?: SearchSort;
}

/** One result. The CLI's `search --json` renders it (its field names must not change). */
export interface SearchHit {
  readonly id: string;
  readonly kind: DocumentKind;
  readonly title: string;
  readonly country: string | null;
  /** The document's language tag (`und` when it could not be told). */
  readonly language: string;
  readonly score: number;
  /** Best sentence, ≤ 200 characters, as plain text with the ranges of the matched words. */
  readonly snippet: Snippet;
  /** Fetched documents only: the original's address, publication date (ISO or null) and source id. */
  readonly url?: string;
  readonly publishedAt?: string | null;
  readonly sourceId?: string;
}

/** A page of results. The CLI's `search --json` contract (extra fields welcome). */
export interface SearchPage {
  readonly query: string;
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  readonly pageSize: number;
  readonly results: SearchHit[];
  /** False when no document had every word and the results have some of them. */
  readonly matchedAll: boolean;
  /** "Did you mean" rewrites of the query, when nothing matched. */
  readonly suggestions: string[];
  /** A sentence for the user when the results need explaining (fallback, nothing found). */
  readonly note: string | null;
}

/** How the index reads records: metadata (cheap, in memory), or the whole record with its text. */
export interface RecordReader {
  meta(id: string): RecordMeta | undefined;
  full(id: string): DocumentRecord | undefined;
}

/** A document related to another one. */
export interface RelatedDocument {
  readonly id: string;
  readonly kind: DocumentKind;
  readonly title: string;
  readonly country: string | null;
  readonly score: number;
}

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 25;

/**
 * The flat document indexed for a record and the people named in it, each field analysed in the
 * record's language (see {@link IndexedDocument}).
 */
export function toIndexedDocument(record: DocumentRecord, mentions: readonly Mention[]): IndexedDocument {
  const p = record.project;
  const facts: string[] = [];
  if (record.country) facts.push(record.country);
  for (const c of record.contacts) facts.push([c.name, c.office ?? '', c.email ?? ''].join(' '));
  for (const m of mentions) if (m.role !== null) facts.push(`${m.name} ${m.role}`);
  if (p) {
    for (const v of [p.primaId, p.projectId, p.status, p.type, p.region, p.coverage, ...p.memberStates]) {
      if (typeof v === 'string') facts.push(v);
    }
  }
  const language = languageOf(record);
  const analysed = (text: string) => analyzeText(text, language).join(' ');
  return {
    id: record.id,
    language,
    title: analysed(record.title),
    body: analysed(record.paragraphs.join('\n')),
    facts: analysed(facts.join('\n')),
  };
}

/** Lines a snippet may show when the match is not in the text: contacts, project ids. */
function snippetExtras(record: RecordMeta): string[] {
  const lines = record.contacts.map(
    (c) => `Press contact: ${[c.name, c.office, c.email].filter((v) => v !== null && v !== '').join(', ')}`,
  );
  const p = record.project;
  if (p) {
    const parts = [
      p.primaId && `Prima ID ${p.primaId}`,
      p.projectId && `Projects ID ${p.projectId}`,
      p.status,
      p.region,
      p.memberStates.length > 0 && p.memberStates.join(', '),
    ];
    lines.push(parts.filter((v): v is string => typeof v === 'string' && v.length > 0).join(' · '));
  }
  return lines;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
// Query terms are already processed: MiniSearch must not process them again.
const identityTerm = (term: string) => term;
const splitTerms = (text: string) => text.split(' ');

/**
 * MiniSearch over the records with our query semantics: all words (AND) with the last one as a
 * prefix and typo tolerance for longer words, an any-word fallback, quoted phrases, filters, pages
 * with snippets and "did you mean". Records are read through `records`, never stored twice: their
 * metadata for filters and lists, their text only for the page shown and phrases.
 *
 * The index is a {@link LiveIndex} (frozen segments plus a small MiniSearch index) searched by
 * {@link QueryEngine}; when MiniSearch's internals may not be read (another version than the one
 * pinned), a plain MiniSearch index searched with its own `search()` (same answers, slower and
 * larger, no "did you mean").
 */
export class SearchIndex {
  /** Filter values by document number (see {@link QueryEngine.idOf}), folded once. */
  private factsByDoc: Array<FilterFacts | undefined> = [];
  private factsGeneration = -1;
  /**
   * Language tags of the documents indexed (never shrinks: a language whose last document went
   * costs a few term lookups per query, nothing else). Queries are analysed in each.
   */
  private readonly languageTags = new Set<string>();

  private constructor(
    private readonly live: LiveIndex | null,
    private readonly plain: MiniSearch<IndexedDocument> | null,
    private readonly records: RecordReader,
  ) {}

  /** A new, empty index. */
  static create(records: RecordReader): SearchIndex {
    return areMiniSearchInternalsEnabled()
      ? new SearchIndex(LiveIndex.create(), null, records)
      : new SearchIndex(null, new MiniSearch<IndexedDocument>(SEARCH_INDEX_OPTIONS), records);
  }

  /**
   * An index over a saved segment and its statistics, or null when this MiniSearch's internals
   * may not be read (the caller indexes the records instead). Throws on a segment that does not fit.
   */
  static fromSegment(segment: Segment, stats: IndexStats, records: RecordReader): SearchIndex | null {
    if (!areMiniSearchInternalsEnabled()) return null;
    return new SearchIndex(LiveIndex.fromSegment(segment, stats), null, records);
  }

  /** Adds a document whose id is new. */
  add(document: IndexedDocument): void {
    this.languageTags.add(document.language);
    if (this.live) this.live.add(document);
    else this.plain!.add(document);
  }

  /** Adds or replaces one document. */
  upsert(document: IndexedDocument): void {
    this.remove(document.id);
    this.add(document);
  }

  /** Removes a document; unknown ids are ignored. */
  remove(id: string): void {
    if (this.live) this.live.remove(id);
    else if (this.plain!.has(id)) this.plain!.discard(id);
  }

  /** Records that a document loaded with a saved segment is in `language` (see {@link languages}). */
  noteLanguage(language: string): void {
    this.languageTags.add(language);
  }

  /** The language tags of the documents indexed, sorted. */
  get languages(): string[] {
    return [...this.languageTags].sort();
  }

  has(id: string): boolean {
    return this.live ? this.live.has(id) : this.plain!.has(id);
  }

  /**
   * Merges the documents added or removed since into one segment (see
   * {@link LiveIndex.compactSteps}), step by step; the index answers between steps. The plain
   * MiniSearch index cleans itself (autoVacuum), so has no steps.
   */
  *compactSteps(): Generator<void, void> {
    if (this.live) yield* this.live.compactSteps();
  }

  /** Documents added or removed since the last compaction. */
  get pendingChanges(): number {
    return this.live ? this.live.pending + this.live.dead : 0;
  }

  get documentCount(): number {
    return this.live ? this.live.size : this.plain!.documentCount;
  }

  /** The compacted segment and its statistics, for the snapshot; null when not compacted (or plain). */
  segment(): { segment: Segment; stats: IndexStats } | null {
    const segment = this.live?.segment();
    return segment ? { segment, stats: this.live!.stats() } : null;
  }

  /**
   * Searches. Throws UserError for a query that cannot be searched (`empty-query`,
   * `query-too-long`) or a bad page (`bad-page`); anything else gives a page, possibly empty.
   */
  search(query: string, request: SearchRequest = {}): SearchPage {
    const page = request.page ?? 1;
    const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(page) || page < 1) {
      throw new UserError('bad-page', `Page must be a whole number from 1; got ${String(page)}.`, {
        values: { value: String(page) },
      });
    }
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new UserError(
        'bad-page',
        `Page size must be a whole number from 1 to ${MAX_PAGE_SIZE}; got ${String(pageSize)}.`,
        { key: 'errors.bad-page-size', values: { limit: MAX_PAGE_SIZE, value: String(pageSize) } },
      );
    }
    const sort = request.sort ?? 'relevance';
    if (sort !== 'relevance' && sort !== 'newest') {
      throw new UserError('bad-sort', `Sort must be relevance or newest; got ${String(sort)}.`, {
        values: { value: String(sort) },
      });
    }
    const parsed = this.parse(query, request);
    const filter = this.filterFor(request, parsed);
    const newest = sort === 'newest';

    let matchedAll = true;
    let results = this.run(parsed, 'AND', filter, newest);
    if (results.total === 0 && parsed.terms.length > 1) {
      results = this.run(parsed, 'OR', filter, newest);
      matchedAll = results.total === 0;
    }
    const total = results.total;
    const pages = Math.ceil(total / pageSize);
    const hits: SearchHit[] = [];
    for (const result of results.slice((page - 1) * pageSize, page * pageSize)) {
      const record = this.records.full(result.id);
      if (!record) continue;
      hits.push({
        id: record.id,
        kind: record.kind,
        title: record.title,
        country: record.country,
        language: languageOf(record),
        score: round(result.score),
        snippet: buildSnippet(record.paragraphs, new Set(result.terms), {
          exact: new Set(result.queryTerms),
          extra: snippetExtras(record),
          language: languageOf(record),
        }),
        ...(record.url !== undefined ? { url: record.url } : {}),
        ...(record.publishedAt !== undefined ? { publishedAt: record.publishedAt } : {}),
        ...(record.sourceId !== undefined ? { sourceId: record.sourceId } : {}),
      });
    }
    const suggestions = total === 0 ? this.didYouMean(query, parsed) : [];
    let note: string | null = null;
    if (!matchedAll) note = 'No document has all the words; showing documents with some of them.';
    else if (total === 0) {
      note =
        suggestions.length > 0
          ? `Nothing found. Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`
          : 'Nothing found.';
    } else if (page > pages) note = `There are only ${pages} page${pages === 1 ? '' : 's'} of results.`;
    return { query, total, page, pages, pageSize, results: hits, matchedAll, suggestions, note };
  }

  /**
   * Ids of every document matching all the words of `query` (and the filters, phrases included),
   * best first, without pages or snippets: for digests and other filters over many documents. No
   * any-word fallback. Throws the same UserErrors as {@link search} for a query that cannot be searched.
   */
  matchIds(query: string, filters: SearchFilters = {}): string[] {
    const parsed = this.parse(query, filters);
    return this.run(parsed, 'AND', this.filterFor(filters, parsed)).ids();
  }

  /** The query analysed in the language asked for, else in every language the index holds. */
  private parse(query: string, filters: SearchFilters): ParsedQuery {
    const language = filters.language?.trim();
    return parseQuery(query, language ? [language] : this.languageTags);
  }

  /**
   * Documents sharing rare terms with `record` (its title and most frequent body terms, weighed
   * by BM25, which favours rare terms), boosted when they share the country or a person.
   * `sharingPeople` are ids of documents naming one of the record's people.
   */
  related(
    record: DocumentRecord,
    sharingPeople: ReadonlySet<string> = new Set(),
    limit = 5,
  ): RelatedDocument[] {
    const counts = new Map<string, number>();
    for (const term of analyzeText(`${record.title}\n${record.paragraphs.join('\n')}`, languageOf(record))) {
      if (term.length >= 4 && !/^\d+$/.test(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    // Rare terms say what a document is about; common ones would match (and cost) the whole corpus.
    const total = Math.max(1, this.documentCount);
    const reader = this.reader();
    const weighted: Array<[string, number]> = [];
    for (const [term, tf] of counts) {
      const df = reader ? documentFrequency(reader, term) : 1;
      if (total >= 20 && df / total > 0.2) continue;
      weighted.push([term, tf * Math.log(1 + total / Math.max(1, df))]);
    }
    const queryTerms = weighted
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 12)
      .map(([term]) => term);
    const scores = new Map<string, number>();
    if (queryTerms.length > 0) {
      const plan = queryTerms.map((term) => ({
        main: { term, prefix: false, fuzzy: 0, boost: 1 },
        stems: [],
        alternatives: [],
      }));
      const isOther = (id: string) => id !== record.id;
      const matches: Array<{ id: string; score: number }> = reader
        ? new QueryEngine(reader).run(plan, 'OR', null, isOther).slice(0, 200)
        : this.plain!.search(queryTerms.join(' '), {
            tokenize: splitTerms,
            processTerm: identityTerm,
            combineWith: 'OR',
            prefix: false,
            fuzzy: false,
            filter: (r) => isOther(r.id as string),
          })
            .slice(0, 200)
            .map((r) => ({ id: r.id as string, score: r.score }));
      const max = matches[0]?.score ?? 1;
      for (const r of matches) scores.set(r.id, r.score / max);
    }
    for (const id of sharingPeople) if (id !== record.id) scores.set(id, scores.get(id) ?? 0);
    const country = record.country;
    const related: RelatedDocument[] = [];
    for (const [id, base] of scores) {
      const other = this.records.meta(id);
      if (!other) continue;
      let score = base;
      if (country !== null && other.country === country) score += 0.2;
      if (sharingPeople.has(id)) score += 0.4;
      related.push({ id, kind: other.kind, title: other.title, country: other.country, score: round(score) });
    }
    return related.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, limit);
  }

  /**
   * Runs the query: with {@link QueryEngine} over the live index, else (the plain index, when
   * MiniSearch's internals may not be read) with MiniSearch's own search: same answers, slower.
   */
  private run(parsed: ParsedQuery, combineWith: 'AND' | 'OR', filter: QueryFilter, newest = false): Matches {
    const plan = planQuery(parsed);
    const reader = this.reader();
    const engine = reader && new QueryEngine(reader);
    const { passes, isKept } = filter;
    const fast = engine?.run(
      plan,
      combineWith,
      passes && ((doc) => passes((this.factsByDoc[doc] ??= this.factsOf(engine.idOf(doc))))),
      isKept,
      newest ? (doc) => publishedKey((this.factsByDoc[doc] ??= this.factsOf(engine.idOf(doc)))) : null,
    );
    if (fast) return fast;
    const queries: Query[] = plan.map(({ main, stems, alternatives = [] }) => {
      const spec: Query = { queries: [main.term], prefix: main.prefix, fuzzy: main.fuzzy || false };
      if (stems.length === 0 && alternatives.length === 0) return spec;
      const or: Query[] = [spec];
      if (alternatives.length > 0) {
        or.push({ queries: alternatives.map((a) => a.term), prefix: false, fuzzy: false });
      }
      if (stems.length > 0) {
        or.push({
          queries: stems.map((s) => s.term),
          prefix: false,
          fuzzy: false,
          boostTerm: () => STEM_BOOST,
        });
      }
      return { combineWith: 'OR', queries: or };
    });
    const results = this.plain!.search(
      { combineWith, queries },
      {
        tokenize: splitTerms,
        processTerm: identityTerm,
        // A document failing the field filters is skipped while scoring (boost 0).
        ...(passes && { boostDocument: (id: unknown) => (passes(this.factsOf(id as string)) ? 1 : 0) }),
        ...(isKept && { filter: (result: SearchResult) => isKept(result.id as string) }),
      },
    );
    if (newest) {
      // Stable: equal dates keep MiniSearch's score order.
      const keyOf = new Map(results.map((r) => [r.id as string, publishedKey(this.factsOf(r.id as string))]));
      results.sort((a, b) => keyOf.get(b.id as string)! - keyOf.get(a.id as string)! || 0);
    }
    return {
      total: results.length,
      slice: (start, end) =>
        results.slice(start, end).map((r) => ({
          id: r.id as string,
          score: r.score,
          terms: r.terms,
          queryTerms: r.queryTerms,
        })),
      ids: () => results.map((r) => r.id as string),
    };
  }

  /**
   * The query's filters in two parts. Field filters (kind, country, project fields) are checked
   * while scoring, so documents failing them are skipped instead of scored and dropped afterwards;
   * the filter values are folded once here and each document's values once per document
   * ({@link factsOf}). Phrases need the document's text, so they are checked only on the
   * documents that matched every word.
   */
  private filterFor(request: SearchFilters, parsed: ParsedQuery): QueryFilter {
    const { kind, year } = request;
    const language = request.language?.trim() || undefined;
    let since: number | undefined;
    if (request.since !== undefined) {
      since = Date.parse(request.since);
      if (Number.isNaN(since))
        throw new UserError('bad-since', `"since" must be an ISO time; got "${request.since}".`, {
          key: 'errors.bad-since-iso',
          values: { value: request.since.slice(0, 40) },
        });
    }
    const country = foldFilter(request.country);
    const status = foldFilter(request.status);
    const region = foldFilter(request.region);
    const hasProjectFilter = year !== undefined || status !== undefined || region !== undefined;
    const filter: { passes: QueryFilter['passes']; isKept: QueryFilter['isKept'] } = {
      passes: null,
      isKept: null,
    };
    const hasFilter = kind !== undefined || country !== undefined || language !== undefined;
    if (hasFilter || hasProjectFilter || since !== undefined) {
      const passes = (facts: FilterFacts | undefined): boolean => {
        if (!facts) return false;
        if (kind !== undefined && facts.kind !== kind) return false;
        if (language !== undefined && !matchesLanguage(facts.language, language)) return false;
        if (since !== undefined && (facts.publishedAt === null || facts.publishedAt < since)) return false;
        if (country !== undefined && facts.country !== country) return false;
        if (hasProjectFilter) {
          if (!facts.isProject) return false;
          if (year !== undefined && facts.year !== year) return false;
          if (status !== undefined && facts.status !== status) return false;
          if (region !== undefined && (facts.region === null || !facts.region.includes(region))) return false;
        }
        return true;
      };
      filter.passes = passes;
    }
    if (parsed.phrases.length > 0) {
      filter.isKept = (id) => {
        const record = this.records.full(id);
        if (!record) return false;
        // Phrases are analysed like the document: in its language.
        const language = languageOf(record);
        const sequence = analyzeText(`${record.title}\n${record.paragraphs.join('\n')}`, language);
        return parsed.phrases.every((phrase) =>
          containsSequence(
            sequence,
            phrase.map((word) => analyzeWord(word, language)).filter((t): t is string => t !== null),
          ),
        );
      };
    }
    return filter;
  }

  /** A document's filter values, folded like the filters (cached by short id in {@link run}). */
  private factsOf(id: string): FilterFacts | undefined {
    const record = this.records.meta(id);
    if (!record) return undefined;
    const p = record.project;
    const facts: FilterFacts = {
      kind: record.kind,
      language: languageOf(record),
      country: foldValue(record.country),
      isProject: p !== null,
      year: p?.year ?? null,
      status: foldValue(p?.status),
      region: foldValue(p?.region),
      publishedAt: record.publishedAt ? Date.parse(record.publishedAt) : null,
    };
    return facts;
  }

  /**
   * Rewrites of the query with each word that is not an indexed term replaced by a close one (up
   * to 2 edits, 3 for long words; fewest edits, then most documents), best first. Only words of
   * letters are corrected, never numbers or markup (see {@link isCorrectable}). Only runs when
   * nothing matched; costs a walk of the term tree, not of the documents.
   */
  private didYouMean(query: string, parsed: ParsedQuery): string[] {
    const reader = this.reader();
    if (!reader) return [];
    const replacements = new Map<string, string[]>();
    for (const { word, term } of parsed.words) {
      if (replacements.has(word) || reader.isIndexed(term) || !isCorrectable(query, word)) continue;
      const distance = term.length >= 8 ? 3 : term.length >= 3 ? 2 : 1;
      const candidates: Array<{ term: string; distance: number; documents: number; docId: string }> = [];
      for (const [postings, d] of reader.fuzzy(term, distance)) {
        const documents = Math.max(...postings.df);
        const first = firstDocument(postings);
        if (documents > 0 && first !== null) {
          candidates.push({ term: postings.term, distance: d, documents, docId: reader.idOf(first) });
        }
      }
      candidates.sort((a, b) => a.distance - b.distance || b.documents - a.documents);
      const words = candidates.slice(0, 3).map((c) => this.surfaceWord(c.docId, c.term) ?? c.term);
      if (words.length > 0) replacements.set(word, [...new Set(words)]);
    }
    if (replacements.size === 0) return [];
    const out = new Set<string>();
    for (let rank = 0; rank < 3; rank++) {
      const chosen = new Map(
        [...replacements].map(([word, words]) => [word, words[Math.min(rank, words.length - 1)]!]),
      );
      const rewritten = rewriteQuery(query, chosen);
      if (rewritten !== query) out.add(rewritten.trim());
    }
    return [...out];
  }

  /**
   * The engine's reader, or null on the plain MiniSearch index. Document numbers change when the
   * index is compacted, so facts cached by number are dropped then.
   */
  private reader(): IndexReader | null {
    if (!this.live) return null;
    if (this.factsGeneration !== this.live.generation) {
      this.factsByDoc = [];
      this.factsGeneration = this.live.generation;
    }
    const reader = this.live.reader();
    // The version is checked once at start, before any index is made; a change later is a bug.
    if (!reader) throw new Error('SearchIndex: MiniSearch internals became unreadable after start');
    return reader;
  }

  /** A word of the document whose index term is `term`, in lower case (index terms are stems). */
  private surfaceWord(docId: string, term: string): string | null {
    const record = this.records.full(docId);
    if (!record) return null;
    const texts = [
      record.title,
      ...record.paragraphs,
      ...record.contacts.map((c) => `${c.name} ${c.office ?? ''}`),
    ];
    if (record.project)
      texts.push(String(record.project.primaId ?? ''), String(record.project.projectId ?? ''));
    const language = languageOf(record);
    for (const text of texts) {
      for (const word of tokenize(text)) {
        if (analyzeWord(word, language) === term) return word.toLowerCase().replace(/['’]s$/, '');
      }
    }
    return null;
  }
}

/** In how many documents a term occurs (in its most common field). */
function documentFrequency(reader: IndexReader, term: string): number {
  return Math.max(0, ...(reader.exact(term)?.df ?? []));
}

/** The first document of a term's postings (first field, first part), as MiniSearch's Maps give it. */
function firstDocument(postings: TermPostings): number | null {
  for (const parts of postings.fields) {
    for (const part of parts) {
      if ('map' in part) {
        const first = part.map.keys().next();
        if (!first.done) return first.value + part.offset;
        continue;
      }
      for (let at = part.from; at < part.to; at++) {
        const local = part.docs[at]!;
        if (part.dead === null || !part.dead[local]) return local + part.offset;
      }
    }
  }
  return null;
}

/** A search's filters: cheap checks while scoring, costly ones on the matches (null: none). */
interface QueryFilter {
  readonly passes: ((facts: FilterFacts | undefined) => boolean) | null;
  readonly isKept: ((id: string) => boolean) | null;
}

/** Weight of a stem a half-typed last word may already be complete in, next to its prefix matches. */
const STEM_BOOST = 0.5;

/**
 * The query as MiniSearch specs: each term with typo tolerance for longer words; the last one
 * also as a prefix, OR the stems it may already be complete in ("beijin" → "beij"), counted lower.
 */
function planQuery(parsed: ParsedQuery): TermQuery[] {
  const last = parsed.terms.length - 1;
  return parsed.terms.map((term, i) => {
    const isPrefix = parsed.isLastPrefix && i === last && term.length >= MIN_PREFIX_LENGTH;
    const main = { term, prefix: isPrefix, fuzzy: fuzzyDistance(term), boost: 1 };
    const stems = isPrefix ? stemsOfPrefix(term) : [];
    // The word analysed in the index's other languages: an exact match, scored as one.
    const alternatives = (parsed.alternatives.get(term) ?? []).map((form) => ({
      term: form,
      prefix: false,
      fuzzy: 0,
      boost: 1,
    }));
    return {
      main,
      stems: stems.map((stem) => ({ term: stem, prefix: false, fuzzy: 0, boost: STEM_BOOST })),
      alternatives,
    };
  });
}

/** A document's values the field filters compare, folded like the filters. */
interface FilterFacts {
  readonly kind: DocumentKind;
  readonly language: string;
  readonly country: string | null;
  readonly isProject: boolean;
  readonly year: number | null;
  readonly status: string | null;
  readonly region: string | null;
  /** Publication time in ms; null when the document has none. */
  readonly publishedAt: number | null;
}

/** A document's rank under `sort: newest`: its publication time, undated documents last. */
const publishedKey = (facts: FilterFacts | undefined): number =>
  facts?.publishedAt ?? Number.NEGATIVE_INFINITY;

/** A filter value as compared: trimmed and folded; blank means no filter. */
const foldFilter = (filter: string | undefined) =>
  filter === undefined || filter.trim() === '' ? undefined : fold(filter.trim());
const foldValue = (value: string | null | undefined) =>
  value === null || value === undefined ? null : fold(value.trim());
