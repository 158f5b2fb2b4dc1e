import { watch, type FSWatcher } from 'node:fs';
import { mkdirSync } from 'node:fs';
import type { Ingester, IngestReport } from './ingester.js';
import { rawDir } from './loadCorpus.js';

export interface WatchOptions {
  readonly dataDir: string;
  readonly ingester: Ingester;
  /** Seconds between fallback rescans (file events are not guaranteed on every file system); 0 = off. */
  readonly rescanIntervalSeconds: number;
  /** Quiet time after the last file event before a pass, so a file being written is read once, whole. */
  readonly debounceMs?: number;
  /** Listen to fs events (default true); off leaves only the rescan, e.g. on network file systems. */
  readonly events?: boolean;
  readonly onReport?: (report: IngestReport) => void;
  readonly onError?: (error: unknown) => void;
}

export interface RawWatcher {
  /** Stops events and rescans and waits for a running pass to end. */
  close(): Promise<void>;
}

/**
 * Watches `DATA_DIR/raw` with fs events plus a periodic rescan, and runs an ingest pass after each
 * burst of changes. The start-up reconciliation is the caller's first `ingester.sync()`.
 */
export function watchRaw(options: WatchOptions): RawWatcher {
  const dir = rawDir(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const debounceMs = options.debounceMs ?? 300;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const run = () => {
    if (closed) return;
    options.ingester.sync().then(
      (report) => {
        if (report.logged.length > 0 || report.rejected.length > 0) options.onReport?.(report);
      },
      (error: unknown) => options.onError?.(error),
    );
  };
  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  };

  let watcher: FSWatcher | undefined;
  try {
    if (options.events !== false) watcher = watch(dir, { persistent: false }, schedule);
    watcher?.on('error', (error) => options.onError?.(error));
  } catch (error) {
    // Some file systems cannot be watched; the rescan still finds new files.
    options.onError?.(error);
  }
  const rescan =
    options.rescanIntervalSeconds > 0 ? setInterval(run, options.rescanIntervalSeconds * 1000) : undefined;
  rescan?.unref();

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(rescan);
      watcher?.close();
      await options.ingester.idle();
    },
  };
}
