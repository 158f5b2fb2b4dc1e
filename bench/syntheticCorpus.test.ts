import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateCorpus,
  generatePage,
  hardWrap,
  ROSTER,
  toAscii,
  writeCorpus,
  type GeneratedPage,
} from './syntheticCorpus.js';
import { SITE_NAVIGATION } from './vocabulary.js';
import { reflowParagraphs } from '../src/core/parse/paragraphs.js';
import { loadCorpus } from '../src/ingest/loadCorpus.js';

/** The navigation block exactly as the shipped pages carry it (read, not retyped). */
const NAVIGATION = readFileSync(new URL('../data/raw/000_1e0d9a2d3cac57c3.txt', import.meta.url), 'utf8')
  .split('\n')
  .slice(0, 22)
  .join('\n');

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mnb-synth-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const corpus = generateCorpus({ count: 1000, seed: 42 });
const count = (predicate: (page: GeneratedPage) => boolean) => corpus.filter(predicate).length;

describe('syntheticCorpus', () => {
  describe('generateCorpus', () => {
    it('gives the same bytes for the same seed and different bytes for another seed', () => {
      const again = generateCorpus({ count: 1000, seed: 42 });
      expect(again.map((p) => [p.fileName, p.text])).toEqual(corpus.map((p) => [p.fileName, p.text]));
      const other = generateCorpus({ count: 50, seed: 43 });
      expect(other.map((p) => p.text)).not.toEqual(corpus.slice(0, 50).map((p) => p.text));
    });

    it('gives page i the same text whatever the corpus size (only the number width changes)', () => {
      const big = generatePage(7, { count: 100_000, seed: 42 });
      expect(big.text).toBe(corpus[7]?.text);
      expect(big.fileName).toBe(`00007_${corpus[7]?.fileName.slice(4)}`);
      expect(corpus[7]?.fileName).toMatch(/^007_[0-9a-f]{16}\.txt$/);
    });

    it('starts every page with the shipped site navigation and ends without a newline', () => {
      expect(SITE_NAVIGATION).toBe(NAVIGATION);
      for (const page of corpus) {
        expect(page.text.startsWith(`${NAVIGATION}\n`)).toBe(true);
        expect(page.text.endsWith('\n')).toBe(false);
      }
    });

    it('writes pages of 2-4 KB with about 10% projects', () => {
      const sizes = corpus.map((p) => Buffer.byteLength(p.text)).sort((a, b) => a - b);
      const median = sizes[Math.floor(sizes.length / 2)] ?? 0;
      expect(median).toBeGreaterThan(2000);
      expect(median).toBeLessThan(4000);
      const projects = count((p) => p.truth.kind === 'project') / corpus.length;
      expect(projects).toBeGreaterThan(0.07);
      expect(projects).toBeLessThan(0.13);
    });

    it('exercises every layout variant the shipped pages show', () => {
      const variants = {
        hardWrapped: count((p) => p.truth.layout.hardWrapped),
        titleWrapped: count((p) => p.truth.layout.titleWrapped),
        hyphenDateline: count((p) => p.truth.layout.dateline === '-'),
        enDashDateline: count((p) => p.truth.layout.dateline === '–'),
        noDateline: count((p) => p.truth.kind === 'article' && p.truth.layout.dateline === null),
        mangledEmail: count((p) => p.truth.layout.mangledEmail),
        severalContacts: count((p) => p.truth.contacts.length > 1),
        honorific: count((p) => /\n(?:Mr|Ms|Dr)\. /.test(p.text)),
        extension: count((p) => p.text.includes(' Ext. ')),
        mobile: count((p) => p.text.includes('\nMobile: ')),
        furtherHeader: count((p) => p.text.includes('\nFor further information, please contact:\n')),
        moreHeader: count((p) => p.text.includes('\nFor more information, please contact\n')),
        noEndDate: count((p) => p.truth.kind === 'project' && p.truth.project?.endDate === null),
        budgetWithCommas: count((p) => /\nBudget Amount \(USD\)\n\d{1,3},\d{3}/.test(p.text)),
        budgetPlain: count((p) => /\nBudget Amount \(USD\)\n\d{4,}/.test(p.text)),
        severalStates: count((p) => (p.truth.project?.memberStates.length ?? 0) > 1),
        asciiSpelling: count((p) =>
          ROSTER.some((person) => person.name !== person.asciiName && p.text.includes(person.asciiName)),
        ),
      };
      for (const [variant, pages] of Object.entries(variants)) {
        expect({ variant, pages: pages > 5 }).toEqual({ variant, pages: true });
      }
    });
  });

  describe('hardWrap', () => {
    it('wraps so that the parser re-flows exactly the original paragraphs', () => {
      const paragraphs = [
        'One two three four five six seven eight nine ten eleven twelve. Thirteen fourteen fifteen.',
        'Sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four.',
        '“A quoted sentence that ends a paragraph,” said the Director General of the organization.',
        'Short.',
      ];
      const lines = hardWrap(paragraphs, 40);
      expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(40);
      expect(reflowParagraphs(lines)).toEqual(paragraphs);
    });
  });

  describe('toAscii', () => {
    it.each([
      ['Pär Liljert', 'Par Liljert'],
      ['Łukasz Wiśniewski', 'Lukasz Wisniewski'],
      ['Søren Åberg', 'Soren Aberg'],
      ['Siobhán O’Connor', 'Siobhan O’Connor'],
    ])('spells %s as %s', (name, ascii) => {
      expect(toAscii(name)).toBe(ascii);
    });
  });

  describe('writeCorpus', () => {
    it('writes the generated bytes, and the real loader reads back what the generator meant', async () => {
      const dataDir = tempDir();
      const options = { count: 800, seed: 42 };
      const result = await writeCorpus(path.join(dataDir, 'raw'), options);
      const names = readdirSync(path.join(dataDir, 'raw')).sort();
      expect(result.files).toBe(800);
      expect(names).toEqual(corpus.slice(0, 800).map((p) => p.fileName));
      const first = corpus[0];
      expect(readFileSync(path.join(dataDir, 'raw', names[0] ?? ''), 'utf8')).toBe(first?.text);

      const { documents, errors } = await loadCorpus(dataDir);
      expect(errors).toEqual([]);
      expect(documents).toHaveLength(800);
      const read = documents.map((d) => ({
        id: d.id,
        kind: d.kind,
        title: d.title,
        country: d.country,
        paragraphs: d.paragraphs,
        contacts: d.contacts,
        project: d.project,
      }));
      const meant = corpus.slice(0, 800).map(({ truth }) => ({
        id: truth.id,
        kind: truth.kind,
        title: truth.title,
        country: truth.country,
        paragraphs: truth.paragraphs,
        contacts: truth.contacts,
        project: truth.project,
      }));
      expect(read).toEqual(meant);
    });
  });
});
