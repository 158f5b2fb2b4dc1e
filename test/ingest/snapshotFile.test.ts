import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  appendFileSync,
  existsSync,
} from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Library } from '../../src/core/library.js';
import { Ingester } from '../../src/ingest/ingester.js';
import { loadCorpus, parseFiles } from '../../src/ingest/loadCorpus.js';
import {
  isSnapshotRewriteWorthIt,
  openCorpusLibrary,
  type OpenCorpusOptions,
  type WebDocumentSource,
} from '../../src/ingest/openCorpus.js';
import { saveSnapshot, SNAPSHOT_FILE, snapshotPath } from '../../src/ingest/snapshotFile.js';
import { Store } from '../../src/store/store.js';
import { makeDataDir } from '../fixtures/dataDir.js';
import { fetchedRecord, storedDocument } from '../support/sourceItems.js';
import { page } from '../fixtures/pages.js';

const dirs: Array<{ cleanup: () => void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

/** A fixed mtime (whole seconds survive utimes exactly), so a test can put a file's mtime back. */
const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-02-01T00:00:00Z');
const AGREEMENT = '002_6920415c55e1d6e5';

/** The shipped pages plus 15 small ones: 20 pages, so a few changes stay under the rebuild share. */
function corpusDir(extra = 15) {
  const data = makeDataDir({ shipped: true });
  dirs.push(data);
  for (let n = 0; n < extra; n++) {
    writeFileSync(
      path.join(data.raw, `5${String(n).padStart(2, '0')}_extra.txt`),
      page(`Extra Page ${n} on Labour Mobility`, `Mali - Page ${n} tells of migrants and labour mobility.`),
    );
  }
  for (const name of readdirSync(data.raw)) utimesSync(path.join(data.raw, name), T0, T0);
  return data;
}

async function open(dataDir: string, options: OpenCorpusOptions = {}) {
  const warnings: string[] = [];
  const opened = await openCorpusLibrary(dataDir, { ...options, onWarning: (m) => warnings.push(m) });
  return { ...opened, warnings };
}

/** What users see of a library, to compare an opened one with a fresh build. */
function answers(library: Library) {
  return {
    stats: library.stats(),
    documents: library.documents(),
    searches: ['beijing liaison office agreement', 'Lijert', 'CN10P0002', 'migrants', 'labour mobility'].map(
      (q) => library.search(q, { pageSize: 25 }),
    ),
    contacts: library.contacts.all(),
    suggestions: [library.suggest('title', 'extra'), library.suggest('contact', 'li')],
    related: library.related(AGREEMENT),
  };
}

async function freshBuild(dataDir: string) {
  return Library.create((await loadCorpus(dataDir)).documents);
}

/** The snapshot's preamble: JSON padded with spaces in its first 4096 bytes. */
const PREAMBLE_BYTES = 4096;
type Preamble = Record<string, unknown> & {
  sections: Record<string, { offset: number; length: number }>;
};
const readPreamble = (bytes: Buffer) =>
  JSON.parse(bytes.subarray(0, PREAMBLE_BYTES).toString('utf8')) as Preamble;

/** Rewrites the preamble of the snapshot. */
function editPreamble(dataDir: string, edit: (preamble: Preamble) => unknown) {
  const file = snapshotPath(dataDir);
  const bytes = readFileSync(file);
  const text = JSON.stringify(edit(readPreamble(bytes))).padEnd(PREAMBLE_BYTES - 1, ' ') + '\n';
  bytes.write(text, 0, 'utf8');
  writeFileSync(file, bytes);
}

/** Rewrites the first line of the page stamps section (parser, navigation; gzipped JSON lines; the last section). */
function editSourcesHead(dataDir: string, edit: (head: Record<string, unknown>) => unknown) {
  const file = snapshotPath(dataDir);
  const bytes = readFileSync(file);
  const preamble = readPreamble(bytes);
  const { offset, length } = preamble.sections.sources!;
  const lines = gunzipSync(bytes.subarray(offset, offset + length))
    .toString('utf8')
    .split('\n');
  lines[0] = JSON.stringify(edit(JSON.parse(lines[0]!) as Record<string, unknown>));
  const section = gzipSync(Buffer.from(lines.join('\n'), 'utf8'));
  preamble.sections.sources = { offset, length: section.length };
  const head = Buffer.from(JSON.stringify(preamble).padEnd(PREAMBLE_BYTES - 1, ' ') + '\n', 'utf8');
  writeFileSync(file, Buffer.concat([head, bytes.subarray(PREAMBLE_BYTES, offset), section]));
}

describe('ingest/openCorpus', () => {
  describe('openCorpusLibrary', () => {
    it('builds and writes the snapshot when there is none, without warning', async () => {
      const data = corpusDir();
      const opened = await open(data.dir);
      expect(opened).toMatchObject({ source: 'rebuilt', reason: 'missing', wrote: true, warnings: [] });
      expect(opened.counts).toEqual({
        documents: 20,
        files: 20,
        reused: 0,
        parsed: 20,
        upserted: 20,
        removed: 0,
      });
      expect(opened.snapshotBytes).toBe(statSync(snapshotPath(data.dir)).size);
      expect(readdirSync(data.dir).sort()).toEqual([SNAPSHOT_FILE, 'raw']);
      expect(answers(opened.library)).toEqual(answers(await freshBuild(data.dir)));
    });

    it('reads no page on the next start: an unchanged size and mtime is trusted (by design)', async () => {
      const data = corpusDir();
      const first = await open(data.dir);
      const before = readFileSync(snapshotPath(data.dir));
      // Garbage of the same size with the same mtime: only a read could tell, and none happens.
      const file = path.join(data.raw, `${AGREEMENT}.txt`);
      writeFileSync(file, 'x'.repeat(statSync(file).size));
      utimesSync(file, T0, T0);
      const second = await open(data.dir);
      expect(second).toMatchObject({
        source: 'snapshot',
        reason: null,
        wrote: false,
        warnings: [],
        errors: [],
      });
      expect(second.counts).toEqual({
        documents: 20,
        files: 20,
        reused: 20,
        parsed: 0,
        upserted: 0,
        removed: 0,
      });
      expect(second.library.getDocument(AGREEMENT)).toEqual(first.library.getDocument(AGREEMENT));
      expect(answers(second.library)).toEqual(answers(first.library));
      expect(readFileSync(snapshotPath(data.dir)).equals(before)).toBe(true);
    });

    it('answers from the snapshot exactly like a fresh build', async () => {
      const data = corpusDir();
      await open(data.dir);
      const second = await open(data.dir);
      expect(second.source).toBe('snapshot');
      expect(answers(second.library)).toEqual(answers(await freshBuild(data.dir)));
    });

    it('re-reads a touched page, keeps its record, and stamps it anew', async () => {
      const data = corpusDir();
      await open(data.dir);
      utimesSync(path.join(data.raw, `${AGREEMENT}.txt`), T1, T1);
      const touched = await open(data.dir);
      expect(touched).toMatchObject({ source: 'snapshot', wrote: true, warnings: [] });
      expect(touched.counts).toMatchObject({ reused: 19, parsed: 1, upserted: 0, removed: 0 });
      expect((await open(data.dir)).counts).toMatchObject({ reused: 20, parsed: 0 });
    });

    it('applies a changed page to the loaded library, like a fresh build', async () => {
      const data = corpusDir();
      await open(data.dir);
      const file = path.join(data.raw, `${AGREEMENT}.txt`);
      writeFileSync(file, readFileSync(file, 'utf8').replace('Sha Zukang', 'Zanzibar Zukang'));
      const changed = await open(data.dir);
      expect(changed).toMatchObject({ source: 'updated', wrote: true, warnings: [] });
      expect(changed.counts).toMatchObject({ documents: 20, reused: 19, parsed: 1, upserted: 1, removed: 0 });
      expect(changed.library.search('zanzibar').results.map((r) => r.id)).toEqual([AGREEMENT]);
      expect(answers(changed.library)).toEqual(answers(await freshBuild(data.dir)));
      const next = await open(data.dir);
      expect(next).toMatchObject({ source: 'snapshot', wrote: false });
      expect(answers(next.library)).toEqual(answers(await freshBuild(data.dir)));
    });

    it('applies added and removed pages, like a fresh build', async () => {
      const data = corpusDir();
      await open(data.dir);
      const text = readFileSync(path.join(data.raw, '000_1e0d9a2d3cac57c3.txt'), 'utf8');
      writeFileSync(path.join(data.raw, '900_copy.txt'), text.replace('Pär Liljert', 'Zed Quux'));
      rmSync(path.join(data.raw, '503_extra.txt'));
      const opened = await open(data.dir);
      expect(opened).toMatchObject({ source: 'updated', warnings: [] });
      expect(opened.counts).toMatchObject({ documents: 20, parsed: 1, upserted: 1, removed: 1 });
      expect(opened.library.search('quux').results.map((r) => r.id)).toEqual(['900_copy']);
      expect(opened.library.has('503_extra')).toBe(false);
      expect(answers(opened.library)).toEqual(answers(await freshBuild(data.dir)));
      expect((await open(data.dir)).counts).toMatchObject({ reused: 20, parsed: 0 });
    });

    it('follows a page renamed to another id', async () => {
      const data = corpusDir();
      await open(data.dir);
      renameSync(path.join(data.raw, '500_extra.txt'), path.join(data.raw, '599_renamed.txt'));
      const opened = await open(data.dir);
      expect(opened.counts).toMatchObject({ upserted: 1, removed: 1 });
      expect(answers(opened.library)).toEqual(answers(await freshBuild(data.dir)));
    });

    it('leaves the snapshot as it is when under 1% of the pages changed, parsing them again next time', async () => {
      const data = corpusDir(120);
      await open(data.dir);
      const before = readFileSync(snapshotPath(data.dir));
      const file = path.join(data.raw, `${AGREEMENT}.txt`);
      writeFileSync(file, readFileSync(file, 'utf8').replace('Sha Zukang', 'Zanzibar Zukang'));
      for (let start = 0; start < 2; start++) {
        const opened = await open(data.dir);
        expect(opened).toMatchObject({ source: 'updated', wrote: false, warnings: [] });
        expect(opened.counts).toMatchObject({ documents: 125, parsed: 1, upserted: 1 });
        expect(answers(opened.library)).toEqual(answers(await freshBuild(data.dir)));
      }
      expect(readFileSync(snapshotPath(data.dir)).equals(before)).toBe(true);
    });

    it('rebuilds from the pages, without warning, when more than a fifth changed', async () => {
      const data = corpusDir();
      await open(data.dir);
      for (let n = 0; n < 5; n++) appendFileSync(path.join(data.raw, `50${n}_extra.txt`), '\nMore.');
      const opened = await open(data.dir);
      expect(opened).toMatchObject({ source: 'rebuilt', reason: '5 of 20 pages changed', warnings: [] });
      expect(answers(opened.library)).toEqual(answers(await freshBuild(data.dir)));
    });

    it('reports pages that fail to parse at every start, like loadCorpus', async () => {
      const data = corpusDir();
      writeFileSync(path.join(data.raw, '100_empty.txt'), '');
      writeFileSync(path.join(data.raw, '510_extra.md'), page('Twin Page', 'Mali - Same id.'));
      const expected = (await loadCorpus(data.dir)).errors;
      expect(expected.map((e) => e.file)).toEqual(['raw/100_empty.txt', 'raw/510_extra.txt']);
      const first = await open(data.dir);
      expect(first.errors).toEqual(expected);
      const second = await open(data.dir);
      expect(second).toMatchObject({ source: 'snapshot', errors: expected });
      expect(second.counts).toMatchObject({ parsed: 3, reused: 19 });
      expect(answers(second.library)).toEqual(answers(await freshBuild(data.dir)));
    });

    it('rebuilds with a warning when the snapshot was written with other index options', async () => {
      const data = corpusDir();
      await open(data.dir);
      editPreamble(data.dir, (preamble) => ({ ...preamble, optionsHash: 'older-options' }));
      const opened = await open(data.dir);
      expect(opened.source).toBe('rebuilt');
      expect(opened.warnings).toEqual([
        `index snapshot ${snapshotPath(data.dir)}: stale: built with other index options; rebuilding the index`,
      ]);
      expect(opened.library.search('liljert').total).toBe(2);
      expect((await open(data.dir)).source).toBe('snapshot');
    });

    it('rebuilds with a warning when the records were parsed by other parser code', async () => {
      const data = corpusDir();
      await open(data.dir);
      editSourcesHead(data.dir, (head) => ({ ...head, parser: 'older-parser' }));
      const opened = await open(data.dir);
      expect(opened.source).toBe('rebuilt');
      expect(opened.warnings).toEqual([
        `index snapshot ${snapshotPath(data.dir)}: stale: the records were parsed by other parser code; rebuilding the index`,
      ]);
    });

    it.each([1, 3])(
      'rebuilds once, with a warning, from a snapshot of a previous format (version %i; 3: records without language)',
      async (version) => {
        const data = corpusDir();
        writeFileSync(
          snapshotPath(data.dir),
          JSON.stringify({ format: 'migration-news-bot/index-snapshot', version, index: {}, mentions: {} }),
        );
        const opened = await open(data.dir);
        expect(opened.source).toBe('rebuilt');
        expect(opened.warnings).toEqual([
          `index snapshot ${snapshotPath(data.dir)}: stale: snapshot format version ${version}, this program writes 4; rebuilding the index`,
        ]);
        expect((await open(data.dir)).source).toBe('snapshot');
      },
    );

    /** The snapshot's bytes with `fill` written over part of a section. */
    const overwrite = (name: string, at: (length: number) => number, fill: string) => (bytes: Buffer) => {
      const { offset, length } = readPreamble(bytes).sections[name]!;
      const copy = Buffer.from(bytes);
      copy.write(fill, offset + at(length), 'latin1');
      return copy;
    };
    it.each([
      ['cut in half', (bytes: Buffer) => bytes.subarray(0, bytes.length / 2)],
      ['cut before the end', (bytes: Buffer) => bytes.subarray(0, bytes.length - 10)],
      ['empty', () => Buffer.alloc(0)],
      ['binary noise', () => Buffer.from('\u0000\u0001\u0002garbage')],
      ['valid JSON of another shape', () => Buffer.from('{"format":"migration-news-bot/index-snapshot"}')],
      // A posting for a document number the segment does not have (its 6th part: the postings).
      [
        'a broken index',
        (bytes: Buffer) => {
          const { offset } = readPreamble(bytes).sections.segment!;
          const lengths = [0, 1, 2, 3, 4].map((k) => bytes.readDoubleLE(offset + 8 * (k + 1)));
          const docs = offset + 64 + lengths.reduce((sum, n) => sum + n + ((8 - (n % 8)) % 8), 0);
          return overwrite('segment', () => docs - offset, '\xff\xff\xff\xff')(bytes);
        },
      ],
      ['a malformed record', overwrite('metas', () => 0, '{"id":3}\n')],
      ['damaged mentions', overwrite('mentions', () => 0, '[7]\n')],
    ])('rebuilds with a warning when the snapshot is corrupt (%s), never crashing', async (_name, damage) => {
      const data = corpusDir();
      await open(data.dir);
      const file = snapshotPath(data.dir);
      writeFileSync(file, damage(readFileSync(file)));
      const opened = await open(data.dir);
      expect(opened.source).toBe('rebuilt');
      expect(opened.warnings).toHaveLength(1);
      expect(opened.warnings[0]).toMatch(/^index snapshot .*: (corrupt|stale): .*; rebuilding the index$/);
      expect(opened.library.search('beijing liaison office agreement').results[0]?.id).toBe(AGREEMENT);
      expect((await open(data.dir)).source).toBe('snapshot');
    });

    it('reads only the fetched documents the store changed since the snapshot', async () => {
      const data = corpusDir();
      const store = await Store.open(data.dir);
      try {
        const fetched = ['Flood relief in Chad', 'Border talks resume', 'A new office opens'].map(
          (title, n) =>
            fetchedRecord({
              sourceId: 'un-news',
              title,
              url: `https://news.example/${n}`,
              text: `Geneva - ${title}, the story.`,
            }),
        );
        for (const record of fetched) await store.webDocuments.put(storedDocument(record), []);
        /** The store, counting the records it is asked for. */
        const asked: string[] = [];
        const counted: WebDocumentSource = {
          stamps: () => store.webDocuments.stamps(),
          records: (ids) => (asked.push(...ids), store.webDocuments.records(ids)),
        };
        expect((await open(data.dir, { webDocuments: counted })).counts.documents).toBe(23);
        expect(asked).toHaveLength(3); // a rebuild reads them all

        asked.length = 0;
        expect(await open(data.dir, { webDocuments: counted })).toMatchObject({ source: 'snapshot' });
        expect(asked).toEqual([]);

        // A merged duplicate adds an address, the text staying the same: that one is read again.
        const merged = { ...fetched[1]!, urls: [...(fetched[1]!.urls ?? []), 'https://mirror.example/1'] };
        await store.webDocuments.put(storedDocument(merged), []);
        const opened = await open(data.dir, { webDocuments: counted });
        expect(asked).toEqual([merged.id]);
        expect(opened.counts.upserted).toBe(1);
        expect(opened.library.getDocument(merged.id).urls).toEqual(merged.urls);
        expect((await store.webDocuments.stamps()).find((s) => s.id === merged.id)?.urlCount).toBe(
          merged.urls.length,
        );
      } finally {
        await store.close();
      }
    });

    it('still opens, with a warning, when the snapshot cannot be written', async () => {
      const data = corpusDir();
      mkdirSync(snapshotPath(data.dir)); // a folder where the file should go: rename fails
      const opened = await open(data.dir);
      expect(opened.source).toBe('rebuilt');
      expect(opened.wrote).toBe(false);
      expect(opened.warnings.some((w) => w.includes('could not write'))).toBe(true);
      expect(readdirSync(data.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('writes nothing when read-only', async () => {
      const data = corpusDir();
      const opened = await open(data.dir, { isReadOnly: true });
      expect(opened).toMatchObject({ source: 'rebuilt', wrote: false, warnings: [] });
      expect(existsSync(snapshotPath(data.dir))).toBe(false);
    });

    it('keeps the snapshot when raw/ is missing, reporting the folder', async () => {
      const data = corpusDir();
      await open(data.dir);
      renameSync(data.raw, path.join(data.dir, 'raw-away'));
      const opened = await open(data.dir);
      expect(opened).toMatchObject({
        source: 'rebuilt',
        wrote: false,
        errors: [{ file: 'raw', reason: 'folder not found' }],
      });
      renameSync(path.join(data.dir, 'raw-away'), data.raw);
      expect((await open(data.dir)).source).toBe('snapshot');
    });

    it('reads every page when a rebuild is asked for', async () => {
      const data = corpusDir();
      await open(data.dir);
      const opened = await open(data.dir, { isRebuild: true });
      expect(opened).toMatchObject({ source: 'rebuilt', reason: 'requested', wrote: true });
      expect(opened.counts.parsed).toBe(20);
    });
  });
});

describe('ingest/openCorpus', () => {
  describe('isSnapshotRewriteWorthIt', () => {
    it.each([
      [1, 5, true],
      [0, 5, false],
      [1, 0, true],
      [999, 100_000, false],
      [1000, 100_000, true],
    ])('for %j changed pages of %j documents is %j', (changed, documents, expected) => {
      expect(isSnapshotRewriteWorthIt(changed, documents)).toBe(expected);
    });
  });
});

describe('ingest/snapshotFile', () => {
  describe('saveSnapshot', () => {
    it('replaces the file atomically and returns its size', async () => {
      const data = corpusDir();
      const { library } = await open(data.dir);
      const bytes = await saveSnapshot(data.dir, library);
      expect(bytes).toBe(readFileSync(snapshotPath(data.dir)).length);
      expect(readdirSync(data.dir).sort()).toEqual([SNAPSHOT_FILE, 'raw']);
    });

    it('after live ingestion, keeps the stamps still true and stamps the new page', async () => {
      const data = corpusDir();
      const { library } = await open(data.dir);
      const file = path.join(data.raw, '700_live.txt');
      writeFileSync(file, page('A Live Page', 'Chad - Ingested while running.'));
      const [record] = (await parseFiles([file], data.dir)).documents;
      if (!record) throw new Error('the live page did not parse');
      library.upsert(record);
      await saveSnapshot(data.dir, library);
      const next = await open(data.dir);
      expect(next).toMatchObject({ source: 'snapshot', wrote: false });
      expect(next.counts).toMatchObject({ documents: 21, reused: 21, parsed: 0 });
      expect(answers(next.library)).toEqual(answers(await freshBuild(data.dir)));
    });

    it('takes writes one at a time, while the library keeps changing and answering', async () => {
      const data = corpusDir();
      const { library } = await open(data.dir);
      const file = path.join(data.raw, '701_live.txt');
      writeFileSync(file, page('Another Live Page', 'Chad - Written between two snapshots.'));
      const [record] = (await parseFiles([file], data.dir)).documents;
      if (!record) throw new Error('the live page did not parse');
      const first = saveSnapshot(data.dir, library);
      library.upsert(record);
      const second = saveSnapshot(data.dir, library);
      // Both finish; the texts the library shows come from the last file (or memory), never a closed one.
      expect((await first) > 0 && (await second) > 0).toBe(true);
      expect(library.getDocument(AGREEMENT).paragraphs.length).toBeGreaterThan(0);
      expect(library.search('written between two snapshots').results[0]?.id).toBe(record.id);
      const next = await open(data.dir);
      expect(next.counts).toMatchObject({ documents: 21, parsed: 0 });
      expect(next.library.getDocument(record.id)).toEqual(record);
      expect(answers(next.library)).toEqual(answers(library));
    });

    it('stamps every page of a library built elsewhere by reading it', async () => {
      const data = corpusDir();
      await saveSnapshot(data.dir, await freshBuild(data.dir));
      expect((await open(data.dir)).counts).toMatchObject({ reused: 20, parsed: 0 });
    });
  });
});

describe('ingest/ingester', () => {
  describe('Ingester over a library opened from the snapshot', () => {
    it('trusts the stamps on its first pass after a restart: unchanged pages are not read', async () => {
      const data = corpusDir();
      const first = await open(data.dir);
      const store = await Store.open(data.dir);
      try {
        const before = await new Ingester({ dataDir: data.dir, store, library: first.library }).sync();
        expect(before.added).toHaveLength(20);
        // Restart: the same bytes' stamps, but the page now holds garbage of the same size and mtime.
        const file = path.join(data.raw, `${AGREEMENT}.txt`);
        writeFileSync(file, 'x'.repeat(statSync(file).size));
        utimesSync(file, T0, T0);
        const restarted = await open(data.dir);
        const report = await new Ingester({ dataDir: data.dir, store, library: restarted.library }).sync();
        expect(report).toMatchObject({ logged: [], rejected: [], unchanged: 20 });
      } finally {
        await store.close();
      }
    });
  });
});
