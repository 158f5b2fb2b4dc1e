/**
 * Generated corpora are cached under the OS temp folder, keyed by size, seed and a hash of the
 * generator's source (so editing the generator never benchmarks stale pages). Each benchmark run
 * works in its own fresh DATA_DIR whose raw/ is a symlink to the cached pages, so snapshots written
 * by one run never leak into the next.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './syntheticCorpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Changes whenever the generator or its vocabulary does. */
function generatorVersion(): string {
  const hash = createHash('sha256');
  for (const file of ['syntheticCorpus.ts', 'vocabulary.ts'])
    hash.update(readFileSync(path.join(here, file)));
  return hash.digest('hex').slice(0, 12);
}

export interface CachedCorpus {
  /** The folder holding the pages. */
  readonly rawDir: string;
  /** Seconds spent generating now; 0 when the cache was used. */
  readonly generatedSeconds: number;
}

/** The pages for (size, seed), generated on first use. */
export async function ensureCorpus(
  size: number,
  seed: number,
  log: (line: string) => void,
): Promise<CachedCorpus> {
  const version = generatorVersion();
  const dir = path.join(tmpdir(), 'mnb-bench-corpus', `n${size}-s${seed}-${version}`);
  const rawDir = path.join(dir, 'raw');
  const marker = path.join(dir, 'complete.json');
  if (existsSync(marker)) {
    log(`corpus ${size}: cached in ${rawDir}`);
    return { rawDir, generatedSeconds: 0 };
  }
  rmSync(dir, { recursive: true, force: true });
  log(`corpus ${size}: generating into ${rawDir}`);
  const started = performance.now();
  const result = await writeCorpus(rawDir, { count: size, seed }, (done, total) =>
    log(`corpus ${size}: ${done}/${total} pages`),
  );
  writeFileSync(marker, JSON.stringify({ size, seed, version, bytes: result.bytes }));
  return { rawDir, generatedSeconds: (performance.now() - started) / 1000 };
}

/** A fresh DATA_DIR whose raw/ points at the cached pages. */
export function makeWorkDir(rawDir: string): { dataDir: string; cleanup: () => void } {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mnb-bench-run-'));
  symlinkSync(rawDir, path.join(dataDir, 'raw'), 'dir');
  return { dataDir, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}
