import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/parse/parseDocument.js';
import { hashBytes, loadCorpus, parseFiles } from '../../src/ingest/loadCorpus.js';
import { makeDataDir } from '../fixtures/dataDir.js';
import { NAVIGATION, page } from '../fixtures/pages.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});
function dataDir(shipped: boolean) {
  const made = makeDataDir({ shipped });
  cleanups.push(made.cleanup);
  return made;
}

describe('loadCorpus', () => {
  describe('loadCorpus', () => {
    it('parses the shipped pages in file order with sources and content hashes', async () => {
      const { dir, raw } = dataDir(true);
      const { documents, errors } = await loadCorpus(dir);
      expect(errors).toEqual([]);
      expect(documents.map((d) => [d.id, d.kind])).toEqual([
        ['000_1e0d9a2d3cac57c3', 'article'],
        ['001_8879b2f42bfd0150', 'article'],
        ['002_6920415c55e1d6e5', 'article'],
        ['003_bfb7b29f8f6badf6', 'article'],
        ['004_b8327546129996ab', 'project'],
      ]);
      const first = documents[0];
      expect(first?.source).toBe('raw/000_1e0d9a2d3cac57c3.txt');
      expect(first?.contentHash).toBe(hashBytes(readFileSync(path.join(raw, '000_1e0d9a2d3cac57c3.txt'))));
    });

    it('gives raw/ pages English, unless the text is detected as another language (real UDHR text)', async () => {
      const { dir, raw } = dataDir(true);
      const udhr = (language: string) =>
        readFileSync(path.join(import.meta.dirname, '../fixtures/languages/sentences.txt'), 'utf8')
          .split('\n')
          .filter((line) => line.startsWith(`${language}:`))
          .slice(0, 5)
          .map((line) => line.slice(3));
      for (const language of ['fr', 'ar']) {
        const [title, ...body] = udhr(language);
        writeFileSync(path.join(raw, `200_${language}.txt`), page(title!, ...body));
      }
      const { documents, errors } = await loadCorpus(dir);
      expect(errors).toEqual([]);
      expect(documents.map((d) => [d.id, d.language])).toEqual([
        ['000_1e0d9a2d3cac57c3', 'en'],
        ['001_8879b2f42bfd0150', 'en'],
        ['002_6920415c55e1d6e5', 'en'],
        ['003_bfb7b29f8f6badf6', 'en'],
        ['004_b8327546129996ab', 'en'],
        ['200_ar', 'ar'],
        ['200_fr', 'fr'],
      ]);
    });

    it('reports every bad file with its reason and still parses the others', async () => {
      const { dir, raw } = dataDir(true);
      writeFileSync(path.join(raw, '100_empty.txt'), '');
      writeFileSync(path.join(raw, '101_nav.txt'), NAVIGATION);
      writeFileSync(path.join(raw, '102_binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
      writeFileSync(path.join(raw, '103_latin1.txt'), Buffer.from('Caf\xe9 - ol\xe9', 'latin1'));
      writeFileSync(path.join(raw, '104_notitle.txt'), page('Chad - Text without a title.'));
      writeFileSync(path.join(raw, '105_good.txt'), page('A Good Page', 'Mali - It parses.'));
      writeFileSync(path.join(raw, '.hidden.txt'), 'ignored');
      const { documents, errors } = await loadCorpus(dir);
      expect(documents).toHaveLength(6);
      expect(documents.at(-1)).toMatchObject({ id: '105_good', title: 'A Good Page', country: 'Mali' });
      expect(errors).toEqual([
        { file: 'raw/100_empty.txt', reason: 'empty file' },
        { file: 'raw/101_nav.txt', reason: 'only site navigation, no content' },
        { file: 'raw/102_binary.txt', reason: 'binary file (contains NUL bytes), not a text page' },
        { file: 'raw/103_latin1.txt', reason: 'not UTF-8 text' },
        {
          file: 'raw/104_notitle.txt',
          reason: 'no title: the first line after the site navigation is a paragraph',
        },
      ]);
    });

    it('refuses a second file with the same id', async () => {
      const { dir, raw } = dataDir(false);
      writeFileSync(path.join(raw, 'a.txt'), page('Title A', 'Text.'));
      writeFileSync(path.join(raw, 'a.md'), page('Title B', 'Text.'));
      const { documents, errors } = await loadCorpus(dir);
      expect(documents.map((d) => d.title)).toEqual(['Title B']);
      expect(errors).toEqual([{ file: 'raw/a.txt', reason: 'duplicate id "a" (also raw/a.md)' }]);
    });

    it('reports a missing raw folder', async () => {
      const { dir } = dataDir(false);
      expect(await loadCorpus(path.join(dir, 'nowhere'))).toEqual({
        documents: [],
        errors: [{ file: 'raw', reason: 'folder not found' }],
      });
    });

    it('gives the same record for a page parsed alone as within its corpus', async () => {
      const { dir, raw } = dataDir(true);
      const { documents } = await loadCorpus(dir);
      for (const record of documents) {
        const text = readFileSync(path.join(raw, `${record.id}.txt`), 'utf8');
        const alone = parseDocument({
          id: record.id,
          source: record.source,
          text,
          contentHash: record.contentHash,
        });
        expect(alone).toEqual({ ok: true, value: record });
      }
    });
  });

  describe('parseFiles', () => {
    it('parses chosen files and folders, reporting missing ones', async () => {
      const { dir, raw } = dataDir(true);
      const result = await parseFiles(
        [path.join(raw, '002_6920415c55e1d6e5.txt'), path.join(dir, 'missing.txt')],
        dir,
      );
      expect(result.documents.map((d) => d.id)).toEqual(['002_6920415c55e1d6e5']);
      expect(result.errors).toEqual([{ file: 'missing.txt', reason: 'file not found' }]);
      expect((await parseFiles([raw], dir)).documents).toHaveLength(5);
    });
  });
});
