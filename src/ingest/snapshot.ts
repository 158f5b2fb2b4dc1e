import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Library } from '../core/library.js';
import type { DocumentRecord } from '../core/record.js';

/** The snapshot file's name under DATA_DIR. */
export const SNAPSHOT_FILE = 'index-snapshot.json';

/** Where the snapshot lives for a data folder. */
export const snapshotPath = (dataDir: string) => path.join(dataDir, SNAPSHOT_FILE);

export interface OpenOptions {
  /** A corrupt or stale snapshot, or one that could not be written: the library still opens. */
  readonly onWarning?: (message: string) => void;
  /** Skip writing the snapshot after a rebuild (read-only data folders). */
  readonly isReadOnly?: boolean;
}

/** How the library was obtained, for logs and `index build`. */
export interface OpenedLibrary {
  readonly library: Library;
  readonly source: 'snapshot' | 'rebuilt';
  /** Why the snapshot was not used (`missing`, `stale: ...`, `corrupt: ...`), when rebuilt. */
  readonly reason: string | null;
  /** Milliseconds spent loading or building the index (not reading the pages). */
  readonly millis: number;
  /** Whether a new snapshot was written. */
  readonly wrote: boolean;
}

/**
 * Opens the library over `documents`: from `DATA_DIR/index-snapshot.json` when it matches them
 * (no re-tokenizing), else by building the index and rewriting the snapshot atomically. A corrupt
 * or stale snapshot is reported through `onWarning`, never thrown; a missing one is normal.
 */
export async function openLibrary(
  dataDir: string,
  documents: readonly DocumentRecord[],
  options: OpenOptions = {},
): Promise<OpenedLibrary> {
  const file = snapshotPath(dataDir);
  const started = performance.now();
  let reason = 'missing';
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') reason = `unreadable: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (text !== null) {
    const loaded = Library.fromSnapshot(text, documents);
    text = null; // let the (large) text go before building anything else
    if (loaded.ok) {
      return {
        library: loaded.value,
        source: 'snapshot',
        reason: null,
        millis: performance.now() - started,
        wrote: false,
      };
    }
    reason = loaded.error;
  }
  if (reason !== 'missing') options.onWarning?.(`index snapshot ${file}: ${reason}; rebuilding the index`);
  const library = Library.create(documents);
  const millis = performance.now() - started;
  let wrote = false;
  if (!options.isReadOnly) {
    try {
      await saveSnapshot(dataDir, library);
      wrote = true;
    } catch (error) {
      options.onWarning?.(
        `index snapshot ${file}: could not write (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  return { library, source: 'rebuilt', reason, millis, wrote };
}

/**
 * Writes the library's snapshot atomically: a temporary file in the same folder, then a rename, so
 * readers see the old snapshot or the new one, never half of one. Returns the bytes written.
 */
export async function saveSnapshot(dataDir: string, library: Library): Promise<number> {
  const file = snapshotPath(dataDir);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const text = library.toSnapshot();
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return Buffer.byteLength(text);
}
