import MiniSearch from 'minisearch';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extractMentions } from '../../../src/core/contacts/mentions.js';
import type { DocumentRecord } from '../../../src/core/record.js';
import {
  acceptMiniSearchVersion,
  MINISEARCH_INTERNALS_VERSION,
  readInternals,
} from '../../../src/core/search/miniSearchInternals.js';
import { SEARCH_INDEX_OPTIONS, type IndexedDocument } from '../../../src/core/search/options.js';
import { SearchIndex, toIndexedDocument, type SearchRequest } from '../../../src/core/search/searchIndex.js';
import { shippedDocuments, syntheticRecords } from './fixtures.js';

let records: DocumentRecord[];
let index: MiniSearch<IndexedDocument>;

beforeAll(async () => {
  records = [...(await shippedDocuments()), ...syntheticRecords(300)];
  index = new MiniSearch<IndexedDocument>(SEARCH_INDEX_OPTIONS);
  for (const r of records) index.add(toIndexedDocument(r, extractMentions(r.paragraphs)));
});

afterEach(() => {
  acceptMiniSearchVersion(MINISEARCH_INTERNALS_VERSION);
});

describe('miniSearchInternals', () => {
  describe('readInternals', () => {
    it("agrees with MiniSearch's public API: document count, ids, fields, terms and their documents", () => {
      const internals = readInternals(index)!;
      expect(internals).not.toBeNull();
      expect(internals.documentCount).toBe(index.documentCount);
      expect(new Set(internals.documentIds.values())).toEqual(new Set(records.map((r) => r.id)));
      expect(Object.keys(internals.fieldIds).sort()).toEqual([...SEARCH_INDEX_OPTIONS.fields].sort());
      expect(internals.nextId).toBe(records.length);
      expect(internals.fieldLength.size).toBe(records.length);
      // Every term's documents (read from the tree) are exactly what an exact public search finds.
      const terms = [...internals.tree.atPrefix('')].map(([term]) => term);
      expect(terms.length).toBe(index.termCount);
      const exact = {
        prefix: false,
        fuzzy: false,
        tokenize: (t: string) => [t],
        processTerm: (t: string) => t,
      };
      for (const term of terms.filter((_, k) => k % 25 === 0)) {
        const fromTree = new Set<unknown>();
        for (const docs of internals.tree.get(term)!.values()) {
          for (const doc of docs.keys()) fromTree.add(internals.documentIds.get(doc));
        }
        expect(fromTree).toEqual(new Set(index.search(term, exact).map((r): unknown => r.id)));
      }
    });

    it('reads live values: a document added after opening is counted', () => {
      const small = new MiniSearch<IndexedDocument>(SEARCH_INDEX_OPTIONS);
      small.add(toIndexedDocument(records[0]!, []));
      const internals = readInternals(small)!;
      small.add(toIndexedDocument(records[1]!, []));
      expect([internals.documentCount, internals.nextId]).toEqual([small.documentCount, 2]);
    });
  });

  describe('acceptMiniSearchVersion', () => {
    it('accepts only the exact pinned version, which is the one package.json pins', async () => {
      const pkg = (await import('../../../package.json', { with: { type: 'json' } })).default as {
        dependencies: Record<string, string>;
      };
      expect(pkg.dependencies.minisearch).toBe(MINISEARCH_INTERNALS_VERSION);
      expect(acceptMiniSearchVersion('7.2.1')).toBe(false);
      expect(acceptMiniSearchVersion('^7.2.0')).toBe(false);
      expect(acceptMiniSearchVersion(MINISEARCH_INTERNALS_VERSION)).toBe(true);
    });

    it('on a mismatch, reads no internals and search answers the same through the public search()', () => {
      const byId = new Map(records.map((r) => [r.id, r]));
      const build = () => {
        const built = SearchIndex.create({ meta: (id) => byId.get(id), full: (id) => byId.get(id) });
        for (const r of records) built.add(toIndexedDocument(r, extractMentions(r.paragraphs)));
        for (const _ of built.compactSteps());
        return built;
      };
      const library = build();
      const asks: Array<[string, SearchRequest]> = [
        ['migration', {}],
        ['migration health', { page: 2 }],
        ['migratoin keny', { kind: 'article' }],
        ['"migration partners" kenya', {}],
        ['project numbr', { kind: 'project' }],
        ['border manag', {}],
      ];
      const withInternals = asks.map(([q, r]) => library.search(q, r));

      expect(acceptMiniSearchVersion('8.0.0')).toBe(false);
      expect(readInternals(index)).toBeNull();
      // The version is checked once at start, before any index is made: this one is plain MiniSearch.
      const plain = build();
      expect(plain.segment()).toBeNull();
      const publicOnly = asks.map(([q, r]) => plain.search(q, r));

      expect(withInternals.filter((p) => p.total > 0).length).toBeGreaterThanOrEqual(5);
      publicOnly.forEach((page, k) => {
        const fast = withInternals[k]!;
        expect(page.total).toBe(fast.total);
        expect(page.results.map((r) => [r.id, r.score])).toEqual(fast.results.map((r) => [r.id, r.score]));
      });
      // What needs the term tree is lost, not wrong: no "did you mean" instead of a bad one.
      expect(plain.search('migrashun').suggestions).toEqual([]);
      acceptMiniSearchVersion(MINISEARCH_INTERNALS_VERSION);
      expect(library.search('migrashun').suggestions.length).toBeGreaterThan(0);
    });
  });
});
