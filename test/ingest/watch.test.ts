import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../src/core/record.js';
import { Ingester, type LibraryWriter } from '../../src/ingest/ingester.js';
import { watchRaw, type RawWatcher } from '../../src/ingest/watch.js';
import { Store } from '../../src/store/store.js';
import { dropArticle } from '../digests/articles.js';
import { makeDataDir } from '../fixtures/dataDir.js';
import { NAVIGATION } from '../fixtures/pages.js';

const SHIPPED = [
  '000_1e0d9a2d3cac57c3',
  '001_8879b2f42bfd0150',
  '002_6920415c55e1d6e5',
  '003_bfb7b29f8f6badf6',
  '004_b8327546129996ab',
];
const NOW = new Date('2026-11-23T14:00:00Z');

/** A library that keeps what it is given, to check what ingestion sends it. */
class RecordingLibrary implements LibraryWriter {
  readonly records = new Map<string, DocumentRecord>();
  upsert(record: DocumentRecord) {
    this.records.set(record.id, record);
  }
  remove(id: string) {
    this.records.delete(id);
  }
}

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(shipped = true) {
  const data = makeDataDir({ shipped });
  const store = await Store.open(data.dir);
  const library = new RecordingLibrary();
  const warnings: string[] = [];
  const ingester = new Ingester({
    dataDir: data.dir,
    store,
    library,
    warn: (m) => warnings.push(m),
    now: () => NOW,
  });
  cleanups.push(data.cleanup, () => store.close());
  return { data, store, library, warnings, ingester };
}

describe('ingest', () => {
  describe('Ingester.sync', () => {
    it('logs every page as new on the first pass and nothing on the next', async () => {
      const { ingester, store, library } = await setup();
      const first = await ingester.sync();
      expect(first.logged.map((e) => [e.seq, e.docId, e.event])).toEqual(
        SHIPPED.map((id, k) => [k + 1, id, 'new']),
      );
      expect(first.logged[4]?.kind).toBe('project');
      expect([...library.records.keys()]).toEqual(SHIPPED);
      const second = await ingester.sync();
      expect(second.logged).toEqual([]);
      expect(second.unchanged).toBe(5);
      expect(await store.log.latestSeq()).toBe(5);
    });

    it('logs a file added while the bot was down as new exactly once after a restart', async () => {
      const { data, ingester, store } = await setup();
      await ingester.sync();
      await store.close();
      const id = dropArticle(data.raw, 1);
      const reopened = await Store.open(data.dir);
      cleanups.push(() => reopened.close());
      const restarted = new Ingester({ dataDir: data.dir, store: reopened });
      const report = await restarted.sync();
      expect(report.logged.map((e) => [e.seq, e.docId, e.event])).toEqual([[6, id, 'new']]);
      expect((await restarted.sync()).logged).toEqual([]);
      const again = new Ingester({ dataDir: data.dir, store: reopened });
      expect((await again.sync()).logged).toEqual([]);
    });

    it('logs a changed file as updated, not new, and hands the new record to the library', async () => {
      const { data, ingester, library } = await setup();
      await ingester.sync();
      const file = path.join(data.raw, '000_1e0d9a2d3cac57c3.txt');
      writeFileSync(file, readFileSync(file, 'utf8').replace('in Shenzhen.', 'in Shenzhen and Guangzhou.'));
      const report = await ingester.sync();
      expect(report.logged.map((e) => [e.docId, e.event])).toEqual([['000_1e0d9a2d3cac57c3', 'updated']]);
      expect(report.added).toEqual([]);
      expect(library.records.get('000_1e0d9a2d3cac57c3')?.paragraphs.join(' ')).toContain(
        'in Shenzhen and Guangzhou.',
      );
    });

    it('logs a removed file as removed, takes it out of the library, and a return as updated', async () => {
      const { data, ingester, library } = await setup();
      await ingester.sync();
      const file = path.join(data.raw, '001_8879b2f42bfd0150.txt');
      renameSync(file, path.join(data.dir, 'aside.txt'));
      const gone = await ingester.sync();
      expect(gone.logged.map((e) => [e.docId, e.event, e.contentHash, e.kind])).toEqual([
        ['001_8879b2f42bfd0150', 'removed', null, 'article'],
      ]);
      expect(library.records.has('001_8879b2f42bfd0150')).toBe(false);
      renameSync(path.join(data.dir, 'aside.txt'), file);
      const back = await ingester.sync();
      expect(back.logged.map((e) => [e.docId, e.event])).toEqual([['001_8879b2f42bfd0150', 'updated']]);
      expect(library.records.has('001_8879b2f42bfd0150')).toBe(true);
    });

    it('reports a bad file once with its reason and still ingests the others', async () => {
      const { data, ingester, warnings } = await setup();
      writeFileSync(path.join(data.raw, '100_empty.txt'), '');
      writeFileSync(path.join(data.raw, '101_binary.txt'), Buffer.from([0xff, 0xfe, 0x00, 0x81]));
      const report = await ingester.sync();
      expect(report.logged).toHaveLength(5);
      expect(report.rejected.map((r) => r.file)).toEqual(['raw/100_empty.txt', 'raw/101_binary.txt']);
      expect(warnings[0]).toBe('ingest: raw/100_empty.txt: empty file');
      expect((await ingester.sync()).rejected).toEqual([]);
      writeFileSync(path.join(data.raw, '100_empty.txt'), NAVIGATION);
      const changed = await ingester.sync();
      expect(changed.rejected).toEqual([
        { file: 'raw/100_empty.txt', reason: 'only site navigation, no content' },
      ]);
    });

    it('removes nothing when raw/ itself is missing (unmounted, being replaced)', async () => {
      const { data, ingester, warnings, library } = await setup();
      await ingester.sync();
      renameSync(data.raw, path.join(data.dir, 'raw-aside'));
      const report = await ingester.sync();
      expect(report.logged).toEqual([]);
      expect(library.records.size).toBe(5);
      expect(warnings.at(-1)).toBe(`ingest: ${data.raw} not found; nothing ingested or removed`);
    });

    it('rejects a second file with the same id instead of flip-flopping between them', async () => {
      const { data, ingester } = await setup();
      await ingester.sync();
      writeFileSync(path.join(data.raw, '000_1e0d9a2d3cac57c3.md'), 'other');
      const report = await ingester.sync();
      expect(report.logged).toEqual([]);
      expect(report.rejected).toEqual([
        {
          file: 'raw/000_1e0d9a2d3cac57c3.md',
          reason: 'duplicate id "000_1e0d9a2d3cac57c3" (also raw/000_1e0d9a2d3cac57c3.txt)',
        },
      ]);
    });

    it('runs overlapping calls as one pass plus one follow-up, never twice in parallel', async () => {
      const { data, ingester, store } = await setup();
      const a = ingester.sync();
      dropArticle(data.raw, 2);
      const [ra, rb, rc] = await Promise.all([a, ingester.sync(), ingester.sync()]);
      expect(rb).toBe(rc);
      expect(ra.logged.length + rb.logged.length).toBe(6);
      expect((await store.log.entries(0)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    });
  });

  describe('watchRaw', () => {
    async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    it.each([
      ['file events', true, 0],
      ['the periodic rescan alone', false, 1],
    ])('picks up a new file through %s and logs it once', async (_how, events, rescan) => {
      const { data, ingester, store } = await setup();
      await ingester.sync();
      let watcher: RawWatcher | undefined = watchRaw({
        dataDir: data.dir,
        ingester,
        rescanIntervalSeconds: rescan,
        events,
        debounceMs: 50,
      });
      cleanups.push(() => watcher?.close());
      const id = dropArticle(data.raw, 3);
      const entry = await until(async () => (await store.log.entries(5))[0]);
      expect([entry.docId, entry.event]).toEqual([id, 'new']);
      await watcher.close();
      watcher = undefined;
      expect(await store.log.entries(5)).toHaveLength(1);
    });

    it('notices a deleted file', async () => {
      const { data, ingester, store } = await setup();
      await ingester.sync();
      const watcher = watchRaw({ dataDir: data.dir, ingester, rescanIntervalSeconds: 0, debounceMs: 50 });
      cleanups.push(() => watcher.close());
      rmSync(path.join(data.raw, '003_bfb7b29f8f6badf6.txt'));
      const entry = await until(async () => (await store.log.entries(5))[0]);
      expect([entry.docId, entry.event]).toEqual(['003_bfb7b29f8f6badf6', 'removed']);
    });
  });
});
