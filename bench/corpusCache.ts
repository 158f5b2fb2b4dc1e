/**
 * Generated corpora are cached under the OS temp folder, keyed by size, seed and a hash of the
 * generator's source (so editing the generator never benchmarks stale pages). A cached corpus is a
 * DATA_DIR of its own: raw/ holds the pages that are files, bot.sqlite the fetched share (see
 * webCorpus.ts), stored as the bot stores them. Each benchmark run works in its own fresh DATA_DIR
 * whose raw/ points at the cached pages and which gets its own copy of the store, so snapshots and
 * store writes of one run never leak into the next.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { storePath } from '../src/store/sqliteDriver.js';
import { Store } from '../src/store/store.js';
import { isMultilingualPage, writeMultilingualCorpus } from './multilingualCorpus.js';
import { writeCorpus } from './syntheticCorpus.js';
import { DEFAULT_WEB_SHARE, isWebPage, writeWebCorpus } from './webCorpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Changes whenever the generator, its vocabulary, the web share or the conversion of a fetched item
 * into a stored record does.
 */
function generatorVersion(): string {
  const hash = createHash('sha256');
  for (const file of ['syntheticCorpus.ts', 'vocabulary.ts', 'webCorpus.ts', 'multilingualCorpus.ts'])
    hash.update(readFileSync(path.join(here, file)));
  hash.update(readFileSync(path.join(here, '../src/core/sources/itemRecord.ts')));
  hash.update(readFileSync(path.join(here, '../src/store/webDocuments.ts')));
  hash.update(readFileSync(path.join(here, '../test/fixtures/languages/sentences.txt')));
  return hash.digest('hex').slice(0, 12);
}

export interface CachedCorpus {
  /** The folder holding the pages. */
  readonly rawDir: string;
  /** The SQLite store holding the fetched documents (bot.sqlite of the cached DATA_DIR). */
  readonly storeFile: string;
  /** Pages in raw/ and documents in the store. */
  readonly files: number;
  readonly webDocuments: number;
  /** Of the fetched documents, those in other languages (the multilingual share). */
  readonly multilingualDocuments: number;
  /** Seconds spent generating now; 0 when the cache was used. */
  readonly generatedSeconds: number;
}

/**
 * The corpus for (size, seed, multilingual share), generated on first use: `multilingualShare` of
 * the pages are fetched documents in six other languages (multilingualCorpus.ts); of the rest, 70%
 * are pages in raw/ and 30% fetched documents. A share of 0 (the default, for the benches of their
 * own) is the English corpus.
 */
export async function ensureCorpus(
  size: number,
  seed: number,
  log: (line: string) => void,
  multilingualShare = 0,
): Promise<CachedCorpus> {
  const version = generatorVersion();
  const shareTag = multilingualShare > 0 ? `-m${multilingualShare}` : '';
  const dir = path.join(tmpdir(), 'mnb-bench-corpus', `n${size}-s${seed}${shareTag}-${version}`);
  const rawDir = path.join(dir, 'raw');
  const storeFile = storePath(dir);
  const marker = path.join(dir, 'complete.json');
  if (existsSync(marker)) {
    const done = JSON.parse(readFileSync(marker, 'utf8')) as {
      files: number;
      webDocuments: number;
      multilingualDocuments?: number;
    };
    log(`corpus ${size}: cached in ${dir}`);
    return {
      rawDir,
      storeFile,
      files: done.files,
      webDocuments: done.webDocuments,
      multilingualDocuments: done.multilingualDocuments ?? 0,
      generatedSeconds: 0,
    };
  }
  rmSync(dir, { recursive: true, force: true });
  log(`corpus ${size}: generating into ${dir}`);
  const started = performance.now();
  const options = { count: size, seed };
  const isMultilingual = (index: number) => isMultilingualPage(index, seed, multilingualShare);
  const result = await writeCorpus(
    rawDir,
    options,
    (done, total) => log(`corpus ${size}: ${done}/${total} pages`),
    (index) => !isWebPage(index, seed, DEFAULT_WEB_SHARE) && !isMultilingual(index),
  );
  const store = await Store.open(dir);
  let webDocuments: number;
  let multilingualDocuments: number;
  try {
    webDocuments = await writeWebCorpus(
      store,
      options,
      DEFAULT_WEB_SHARE,
      (done) => log(`corpus ${size}: ${done} fetched documents stored`),
      isMultilingual,
    );
    multilingualDocuments = await writeMultilingualCorpus(store, options, multilingualShare);
    webDocuments += multilingualDocuments;
  } finally {
    await store.close();
  }
  log(
    `corpus ${size}: ${result.files} pages in raw/, ${webDocuments} fetched documents in bot.sqlite ` +
      `(${multilingualDocuments} in other languages)`,
  );
  writeFileSync(
    marker,
    JSON.stringify({
      size,
      seed,
      multilingualShare,
      version,
      bytes: result.bytes,
      files: result.files,
      webDocuments,
      multilingualDocuments,
    }),
  );
  return {
    rawDir,
    storeFile,
    files: result.files,
    webDocuments,
    multilingualDocuments,
    generatedSeconds: (performance.now() - started) / 1000,
  };
}

export interface WorkDirOptions {
  /**
   * Give the work folder a raw/ of its own (each page hard-linked, or symlinked across file
   * systems) instead of a link to the cached folder, so pages can be added without touching the
   * cache. Hard links keep size and mtime, so a snapshot's stamps still match.
   */
  readonly ownRaw?: boolean;
}

/** A fresh DATA_DIR whose raw/ points at the cached pages, with its own copy of the cached store. */
export function makeWorkDir(
  rawDir: string,
  options: WorkDirOptions = {},
): { dataDir: string; cleanup: () => void } {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mnb-bench-run-'));
  const raw = path.join(dataDir, 'raw');
  if (options.ownRaw) {
    mkdirSync(raw);
    for (const name of readdirSync(rawDir)) {
      const from = path.join(rawDir, name);
      try {
        linkSync(from, path.join(raw, name));
      } catch {
        symlinkSync(from, path.join(raw, name));
      }
    }
  } else symlinkSync(rawDir, raw, 'dir');
  const cachedStore = storePath(path.dirname(rawDir));
  // Copied, not linked: opening a store may migrate it and writes its journal beside it.
  if (existsSync(cachedStore)) copyFileSync(cachedStore, storePath(dataDir));
  return { dataDir, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * Copies what a run left in `from` (index snapshots, whatever their file names) into `to`, except
 * the pages, the store and the benchmark's own parsed-records cache.
 */
export function copySnapshotFiles(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('bot.sqlite') || entry.name.startsWith('bench-documents'))
      continue;
    copyFileSync(path.join(from, entry.name), path.join(to, entry.name));
  }
}
