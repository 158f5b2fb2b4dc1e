import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from '../core/parse/parseDocument.js';
import { decideLanguage, languageSample, type LanguageDetector } from '../core/text/detect.js';
import { loadLanguageDetector } from '../core/text/languageDetector.js';
import { learnSiteNavigation } from '../core/parse/siteNavigation.js';
import { decodePage } from '../core/parse/pageText.js';
import type { DocumentRecord } from '../core/record.js';
import { mapBounded } from '../util/concurrency.js';
import { timeSlicer } from '../util/timeSlices.js';

/** A file that could not be parsed, and why. `file` is relative to the data folder when inside it. */
export interface ParseFailure {
  readonly file: string;
  readonly reason: string;
}

export interface CorpusLoad {
  readonly documents: DocumentRecord[];
  readonly errors: ParseFailure[];
  /** The site navigation the pages were parsed with (learned, or given in the options). */
  readonly navigation?: readonly string[];
}

export interface LoadOptions {
  /** Called every `every` files with the count read so far, for progress output on big corpora. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Parse with this navigation instead of learning it from the pages read: a few changed pages
   * are parsed with their corpus' navigation, as they were in it (the index snapshot keeps it).
   */
  readonly navigation?: readonly string[];
}

/** Pages learned from at most this many files: navigation is the same on all of them. */
const NAVIGATION_SAMPLE = 400;
const READ_CONCURRENCY = 64;

/** The folder holding the pages under a data folder. */
export const rawDir = (dataDir: string) => path.join(dataDir, 'raw');

/** A page's id: its file name without the extension. */
export const documentId = (file: string) => path.basename(file).replace(/\.[^.]*$/, '');

/** Whether a file in raw/ is a page (hidden files and editor backups are not). */
const isPageFile = (name: string) => !name.startsWith('.') && !name.endsWith('~');

/** The page files in `dataDir/raw`, sorted by name; null when the folder does not exist. */
export async function listPageNames(dataDir: string): Promise<string[] | null> {
  try {
    return (await readdir(rawDir(dataDir), { withFileTypes: true }))
      .filter((entry) => entry.isFile() && isPageFile(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Reads and parses every page in `dataDir/raw`, in file-name order. A missing folder is an error. */
export async function loadCorpus(dataDir: string, options: LoadOptions = {}): Promise<CorpusLoad> {
  const dir = rawDir(dataDir);
  const names = await listPageNames(dataDir);
  if (names === null) {
    return { documents: [], errors: [{ file: displayPath(dir, dataDir), reason: 'folder not found' }] };
  }
  return parseFiles(
    names.map((name) => path.join(dir, name)),
    dataDir,
    options,
  );
}

/**
 * Reads and parses the given files (pages anywhere; folders are expanded one level). The site
 * navigation is learned from these pages together, so a batch parses like the corpus it came from.
 */
export async function parseFiles(
  paths: readonly string[],
  dataDir: string,
  options: LoadOptions = {},
): Promise<CorpusLoad> {
  const files = await expandFolders(paths);
  const errors: ParseFailure[] = [];
  const pages: Array<{ file: string; bytes: Buffer; text: string }> = [];
  let done = 0;
  const read = async (file: string) => {
    const display = displayPath(file, dataDir);
    try {
      const bytes = await readFile(file);
      const text = decodePage(bytes);
      if (text.ok) pages.push({ file, bytes, text: text.value });
      else errors.push({ file: display, reason: text.error });
    } catch (error) {
      errors.push({ file: display, reason: readFailure(error) });
    }
    done++;
    if (done % 1000 === 0 || done === files.length) options.onProgress?.(done, files.length);
  };
  await mapBounded(files, READ_CONCURRENCY, read);
  pages.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  const navigation =
    options.navigation ?? learnSiteNavigation(sample(pages, NAVIGATION_SAMPLE).map((page) => page.text));
  const documents: DocumentRecord[] = [];
  const seen = new Map<string, string>();
  // Parsing is synchronous (about a millisecond a page): a running bot keeps answering in between.
  const pause = timeSlicer();
  // Pages whose text is not plainly English are noted while parsing and their language detected
  // after, with the detector loaded then: an English corpus never loads it.
  const undetected: number[] = [];
  let isUndetected = false;
  const noteUndetected: LanguageDetector = () => {
    isUndetected = true;
    return { language: '', reliable: false };
  };
  for (const page of pages) {
    await pause();
    const display = displayPath(page.file, dataDir);
    const id = documentId(page.file);
    const previous = seen.get(id);
    if (previous !== undefined) {
      errors.push({ file: display, reason: `duplicate id "${id}" (also ${previous})` });
      continue;
    }
    const parsed = parseDocument(
      { id, source: display, text: page.text, contentHash: hashBytes(page.bytes) },
      { navigation, detectLanguage: noteUndetected },
    );
    if (parsed.ok) {
      seen.set(id, display);
      if (isUndetected) undetected.push(documents.length);
      documents.push(parsed.value);
    } else {
      errors.push({ file: display, reason: parsed.error });
    }
    isUndetected = false;
  }
  if (undetected.length > 0) await detectLanguages(documents, undetected);
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { documents, errors, navigation };
}

/** Sets the language of the records at `positions` from their text (raw/ pages: English unless detected). */
async function detectLanguages(documents: DocumentRecord[], positions: readonly number[]): Promise<void> {
  const detector = await loadLanguageDetector();
  const pause = timeSlicer();
  for (const at of positions) {
    await pause();
    const record = documents[at]!;
    const sample = languageSample(record.title, record.paragraphs);
    documents[at] = { ...record, language: decideLanguage({ sample, detector, fallback: 'en' }) };
  }
}

/** sha256 of a file's bytes, hex: the record's `contentHash`. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function expandFolders(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    let isFolder = false;
    try {
      isFolder = (await stat(p)).isDirectory();
    } catch {
      // Missing paths are reported by the reader with their reason.
    }
    if (!isFolder) {
      files.push(p);
      continue;
    }
    const entries = await readdir(p, { withFileTypes: true });
    files.push(
      ...entries
        .filter((entry) => entry.isFile() && isPageFile(entry.name))
        .map((entry) => path.join(p, entry.name))
        .sort(),
    );
  }
  return files;
}

/** Forward-slash path relative to the data folder when inside it, else as given. */
function displayPath(file: string, dataDir: string): string {
  const relative = path.relative(dataDir, file);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return (inside ? relative : file).split(path.sep).join('/');
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a folder, not a page';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** Evenly spaced items, so a learned model sees the whole corpus, not its first files. */
function sample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, k) => items[Math.floor(k * step)] as T);
}
