/**
 * The baseline: MiniSearch 7 with default options over the same parsed documents (title + the
 * paragraphs joined), asked the same query strings. Query-time options mirror what our library
 * promises (all words must match, the last one as a prefix, typo tolerance for longer words, with
 * the same thresholds), so the comparison is of implementations, not of semantics.
 *
 * Dates: the publication time is a stored field (`publishedAt`, epoch milliseconds, absent when
 * undated). `since` is a MiniSearch `filter` on it (undated documents drop out, as in ours);
 * `newest` sorts every match by it, newest first, undated last, ties by score, as ours orders them.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import MiniSearch, { type SearchOptions, type SearchResult } from 'minisearch';
import type { DocumentRecord } from '../src/core/record.js';
import { loadCorpus, parseFiles } from '../src/ingest/loadCorpus.js';
import { storedWebDocuments } from './storedDocuments.js';
import type { BenchPrefix, BenchQuery } from './queries.js';
import type { Answerer, BenchSide, SnapshotInfo } from './side.js';

interface RawDocument {
  id: string;
  title: string;
  text: string;
  publishedAt?: number;
}

/** The defaults a MiniSearch user starts with, plus the date stored for `since` and `newest`. */
export const RAW_OPTIONS = { fields: ['title', 'text'], storeFields: ['title', 'publishedAt'] };

/**
 * Typo tolerance as ours grants it (src/core/search/query.ts fuzzyDistance): none below 5 letters
 * or with digits, one edit from 5 letters, two from 9.
 */
const fuzzyDistance = (term: string): number | false =>
  term.length < 5 || /\d/.test(term) ? false : term.length >= 9 ? 2 : 1;
/** The last word is a prefix from 3 characters on (ours: MIN_PREFIX_LENGTH). */
const MIN_PREFIX_LENGTH = 3;

const SNAPSHOT_FILE = 'bench-raw-minisearch.json';

export const toRawDocument = (d: DocumentRecord): RawDocument => {
  const published = d.publishedAt ? Date.parse(d.publishedAt) : NaN;
  return {
    id: d.id,
    title: d.title,
    text: d.paragraphs.join('\n'),
    ...(Number.isFinite(published) ? { publishedAt: published } : {}),
  };
};

/** Newest first, undated last, then best match. */
const byNewest = (a: SearchResult, b: SearchResult): number =>
  ((b['publishedAt'] as number | undefined) ?? -Infinity) -
    ((a['publishedAt'] as number | undefined) ?? -Infinity) || b.score - a.score;

function answerer(index: MiniSearch<RawDocument>, documents: readonly DocumentRecord[] | null): Answerer {
  // Kind and country filters are answered from a side table rather than stored fields, so the
  // index stores only what it must; the lookup costs the same as reading a stored field.
  const facts = new Map(documents?.map((d) => [d.id, { kind: d.kind, country: d.country }]));
  return {
    search(query: BenchQuery): number {
      const options: SearchOptions = {
        combineWith: 'AND',
        prefix: (term, i, terms) => i === terms.length - 1 && term.length >= MIN_PREFIX_LENGTH,
        fuzzy: fuzzyDistance,
      };
      const filter = query.filter;
      const since = query.since ? Date.parse(query.since.iso) : null;
      if (filter || since !== null) {
        options.filter = (result) => {
          const published = result['publishedAt'] as number | undefined;
          if (since !== null && (published === undefined || published < since)) return false;
          if (!filter) return true;
          const fact = facts.get(String(result.id));
          return (
            (filter.kind === undefined || fact?.kind === filter.kind) &&
            (filter.country === undefined || fact?.country === filter.country)
          );
        };
      }
      const results = index.search(query.text, options);
      // The page a user sees is the first ten after sorting every match by date.
      if (query.sort === 'newest') results.sort(byNewest);
      return results.length;
    },
    suggest(typed: BenchPrefix): number {
      // autoSuggest has no notion of fields: it completes over every indexed term.
      return index.autoSuggest(typed.prefix).slice(0, 25).length;
    },
  };
}

/** Every document of DATA_DIR, pages and fetched ones, as a raw MiniSearch service would read them. */
async function loadAll(dataDir: string): Promise<DocumentRecord[]> {
  const { documents } = await loadCorpus(dataDir);
  return [...documents, ...(await storedWebDocuments(dataDir))];
}

/** A fresh raw side: one index at a time, as a process would hold. */
export function createRawSide(): BenchSide {
  let built: MiniSearch<RawDocument> | null = null;
  return {
    name: 'raw',
    build(documents) {
      const index = new MiniSearch<RawDocument>(RAW_OPTIONS);
      index.addAll(documents.map(toRawDocument));
      built = index;
      return Promise.resolve(answerer(index, documents));
    },
    async writeSnapshot(dataDir): Promise<SnapshotInfo> {
      if (!built) throw new Error('raw side: build before writing a snapshot');
      const file = path.join(dataDir, SNAPSHOT_FILE);
      await writeFile(file, JSON.stringify(built));
      return { bytes: (await stat(file)).size, files: [file] };
    },
    async loadSnapshot(dataDir, documents) {
      const json = await readFile(path.join(dataDir, SNAPSHOT_FILE), 'utf8');
      built = MiniSearch.loadJSON<RawDocument>(json, RAW_OPTIONS);
      return answerer(built, documents);
    },
    async coldOpen(dataDir, mode) {
      if (mode === 'snapshot') {
        // A raw MiniSearch service needs nothing but its index to answer.
        const json = await readFile(path.join(dataDir, SNAPSHOT_FILE), 'utf8');
        built = MiniSearch.loadJSON<RawDocument>(json, RAW_OPTIONS);
        return answerer(built, null);
      }
      return this.build(await loadAll(dataDir));
    },
    beginIngestion() {
      return Promise.resolve(0);
    },
    async ingest(dataDir, files) {
      if (!built) throw new Error('raw side: open before ingesting');
      // What a raw MiniSearch service would do with new pages: parse them and add them.
      const { documents } = await parseFiles(files, dataDir);
      built.addAll(documents.map(toRawDocument));
      return documents.length;
    },
    close() {
      return Promise.resolve();
    },
  };
}
