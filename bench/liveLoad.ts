/**
 * A process that starts as the service does (the side's cold open from the snapshot), then does
 * what a running bot does under load, each under the event-loop and memory probe (loopProbe.ts):
 *
 *   liveLoad.ts --side raw|ours --data DIR --size N [--seed S] [--ingest 1000]
 *
 * 1. rewrites the index snapshot of the opened index;
 * 2. with --ingest: comes up as the running service does (ours: the digest runtime's Ingester,
 *    reconciling raw/ with the ingestion log), drops that many new generated pages (indexes N, N+1,
 *    ... of the same seed) into DIR/raw, which must be a folder of its own, and takes them in by
 *    the service's own path (ours: Ingester.sync, what the raw/ watcher calls).
 *
 * Prints one JSON line (LiveLoadResult). Run under `node --expose-gc`.
 */
import { lstatSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { probe } from './loopProbe.js';
import type { LiveLoadResult } from './results.js';
import { loadSide } from './sides.js';
import { generatePage } from './syntheticCorpus.js';

const USAGE = 'usage: liveLoad.ts --side raw|ours --data DIR --size N [--seed S] [--ingest PAGES]';
const log = (line: string) => process.stderr.write(`  ${line}\n`);

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<void> {
  const sideName = option(argv, 'side');
  const dataDir = option(argv, 'data');
  const size = Number(option(argv, 'size'));
  const seed = Number(option(argv, 'seed') ?? 1);
  const pages = Number(option(argv, 'ingest') ?? 0);
  if ((sideName !== 'raw' && sideName !== 'ours') || !dataDir || !Number.isInteger(size)) {
    throw new Error(USAGE);
  }
  const side = await loadSide(sideName);
  if (!side) throw new Error(`liveLoad.ts: side "${sideName}" is not available`);
  const answerer = await side.coldOpen(dataDir, 'snapshot');
  const firstAnswerHits = await answerer.search({ class: 'exact', text: 'migration' });
  log(`${sideName}: opened; rewriting the snapshot`);
  const written = await probe(() => side.writeSnapshot(dataDir));
  let ingest: LiveLoadResult['ingest'] = null;
  let reconciled = 0;
  let reconcileSeconds = 0;
  try {
    if (pages > 0) {
      const raw = path.join(dataDir, 'raw');
      if (lstatSync(raw).isSymbolicLink()) {
        throw new Error(`liveLoad.ts: ${raw} links to the cached corpus; new pages need a raw/ of its own`);
      }
      log(`${sideName}: coming up as the running service`);
      const started = performance.now();
      reconciled = await side.beginIngestion(dataDir);
      reconcileSeconds = (performance.now() - started) / 1000;
      const files: string[] = [];
      for (let k = 0; k < pages; k++) {
        const page = generatePage(size + k, { count: size + pages, seed });
        const file = path.join(raw, `bench-new-${page.fileName}`);
        await writeFile(file, page.text);
        files.push(file);
      }
      log(`${sideName}: ${pages} new pages in raw/; ingesting`);
      const run = await probe(() => side.ingest(dataDir, files));
      if (run.value !== pages) throw new Error(`liveLoad.ts: ${pages} new pages, ${run.value} added`);
      ingest = { ...run.figures, pages, added: run.value };
    }
  } finally {
    await side.close();
  }
  const result: LiveLoadResult = {
    side: sideName,
    firstAnswerHits,
    snapshotWrite: { ...written.figures, bytes: written.value.bytes },
    reconciled,
    reconcileSeconds,
    ingest,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
