import { existsSync, readdirSync, readFileSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/ingest/loadCorpus.js';
import { openLibrary, saveSnapshot, SNAPSHOT_FILE, snapshotPath } from '../../src/ingest/snapshot.js';
import { makeDataDir } from '../fixtures/dataDir.js';

const dirs: Array<{ cleanup: () => void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

async function shippedDataDir() {
  const data = makeDataDir({ shipped: true });
  dirs.push(data);
  const { documents } = await loadCorpus(data.dir);
  return { ...data, documents };
}

async function open(dataDir: string) {
  const { documents } = await loadCorpus(dataDir);
  const warnings: string[] = [];
  const opened = await openLibrary(dataDir, documents, { onWarning: (m) => warnings.push(m) });
  return { ...opened, warnings };
}

describe('ingest/snapshot', () => {
  describe('openLibrary', () => {
    it('builds and writes the snapshot when there is none, without warning', async () => {
      const data = await shippedDataDir();
      const opened = await open(data.dir);
      expect(opened).toMatchObject({ source: 'rebuilt', reason: 'missing', wrote: true, warnings: [] });
      expect(existsSync(path.join(data.dir, SNAPSHOT_FILE))).toBe(true);
      expect(readdirSync(data.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('loads a valid snapshot the next time, answering the same', async () => {
      const data = await shippedDataDir();
      const first = await open(data.dir);
      const before = readFileSync(snapshotPath(data.dir), 'utf8');
      const second = await open(data.dir);
      expect(second).toMatchObject({ source: 'snapshot', reason: null, wrote: false, warnings: [] });
      expect(second.library.search('Lijert')).toEqual(first.library.search('Lijert'));
      expect(second.library.contacts.get('par liljert')).toEqual(first.library.contacts.get('par liljert'));
      expect(readFileSync(snapshotPath(data.dir), 'utf8')).toBe(before);
    });

    it('rebuilds with a warning when a page changed, and the new snapshot is then used', async () => {
      const data = await shippedDataDir();
      await open(data.dir);
      appendFileSync(path.join(data.raw, '002_6920415c55e1d6e5.txt'), '\nZanzibar addendum.');
      const changed = await open(data.dir);
      expect(changed.source).toBe('rebuilt');
      expect(changed.warnings).toEqual([
        `index snapshot ${snapshotPath(data.dir)}: stale: the documents changed since it was written; rebuilding the index`,
      ]);
      expect((await open(data.dir)).source).toBe('snapshot');
    });

    it('rebuilds with a warning when a page was added or removed', async () => {
      const data = await shippedDataDir();
      await open(data.dir);
      const text = readFileSync(path.join(data.raw, '000_1e0d9a2d3cac57c3.txt'), 'utf8');
      writeFileSync(path.join(data.raw, '900_copy.txt'), text.replace('Pär Liljert', 'Zed Quux'));
      const added = await open(data.dir);
      expect(added.source).toBe('rebuilt');
      expect(added.library.stats().documents).toBe(6);
      expect(added.library.search('quux').results.map((r) => r.id)).toEqual(['900_copy']);
    });

    it('rebuilds with a warning when the snapshot was written with other index options', async () => {
      const data = await shippedDataDir();
      await open(data.dir);
      const file = snapshotPath(data.dir);
      const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...snapshot, optionsHash: 'older-options' }));
      const opened = await open(data.dir);
      expect(opened.source).toBe('rebuilt');
      expect(opened.warnings).toEqual([
        `index snapshot ${file}: stale: built with other index options; rebuilding the index`,
      ]);
      expect(opened.library.search('liljert').total).toBe(2);
    });

    it.each([
      ['cut in half', (text: string) => text.slice(0, text.length / 2)],
      ['empty', () => ''],
      ['binary noise', () => '\u0000\u0001\u0002garbage'],
      ['valid JSON of another shape', () => '{"format":"migration-news-bot/index-snapshot"}'],
    ])('rebuilds with a warning when the snapshot is corrupt (%s), never crashing', async (_name, damage) => {
      const data = await shippedDataDir();
      await open(data.dir);
      const file = snapshotPath(data.dir);
      writeFileSync(file, damage(readFileSync(file, 'utf8')));
      const opened = await open(data.dir);
      expect(opened.source).toBe('rebuilt');
      expect(opened.warnings).toHaveLength(1);
      expect(opened.warnings[0]).toMatch(/^index snapshot .*: (corrupt|stale): .*; rebuilding the index$/);
      expect(opened.library.search('beijing liaison office agreement').results[0]?.id).toBe(
        '002_6920415c55e1d6e5',
      );
      expect((await open(data.dir)).source).toBe('snapshot');
    });

    it('still opens, with a warning, when the snapshot cannot be written', async () => {
      const data = await shippedDataDir();
      mkdirSync(snapshotPath(data.dir)); // a folder where the file should go: rename fails
      const opened = await open(data.dir);
      expect(opened.source).toBe('rebuilt');
      expect(opened.wrote).toBe(false);
      expect(opened.warnings.some((w) => w.includes('could not write'))).toBe(true);
      expect(readdirSync(data.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  });

  describe('saveSnapshot', () => {
    it('replaces the file atomically and returns its size', async () => {
      const data = await shippedDataDir();
      const { library } = await open(data.dir);
      const bytes = await saveSnapshot(data.dir, library);
      expect(bytes).toBe(readFileSync(snapshotPath(data.dir)).length);
      expect(readdirSync(data.dir).sort()).toEqual(['index-snapshot.json', 'raw']);
    });
  });
});
