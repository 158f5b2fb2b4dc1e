/**
 * A process that starts cold, opens a search index from DATA_DIR and answers one query, as the bot
 * does after a restart:
 *
 *   coldStart.ts --side raw|ours --mode snapshot|rebuild --data DIR --query TEXT
 *
 * Prints the answer as one JSON line the moment it is ready (the parent times spawn → this line),
 * then, after a full GC, the memory the process keeps. Run under `node --expose-gc`.
 */
import { peakRssBytes } from './loopProbe.js';
import type { ColdStartResult } from './results.js';
import { loadSide } from './sides.js';

function option(argv: readonly string[], name: string): string {
  const at = argv.indexOf(`--${name}`);
  const value = at >= 0 ? argv[at + 1] : undefined;
  if (value === undefined) {
    throw new Error('usage: coldStart.ts --side raw|ours --mode snapshot|rebuild --data DIR --query TEXT');
  }
  return value;
}

async function main(argv: readonly string[]): Promise<void> {
  const sideName = option(argv, 'side');
  const mode = option(argv, 'mode');
  const dataDir = option(argv, 'data');
  const query = option(argv, 'query');
  if ((sideName !== 'raw' && sideName !== 'ours') || (mode !== 'snapshot' && mode !== 'rebuild')) {
    throw new Error(`coldStart.ts: unknown side "${sideName}" or mode "${mode}"`);
  }
  const side = await loadSide(sideName);
  if (!side) throw new Error(`coldStart.ts: side "${sideName}" is not available`);
  const answerer = await side.coldOpen(dataDir, mode);
  // Kept reachable until memory is read: it is what a serving process holds.
  (globalThis as { benchAnswerer?: unknown }).benchAnswerer = answerer;
  const hits = await answerer.search({ class: 'exact', text: query });
  const answeredAtMs = performance.now();
  const peak = peakRssBytes();
  process.stdout.write(`${JSON.stringify({ answeredAtMs, hits })}\n`);
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  const result: ColdStartResult = {
    answeredAtMs,
    hits,
    heapUsedBytes: memory.heapUsed,
    rssBytes: memory.rss,
    peakRssBytes: peak,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
