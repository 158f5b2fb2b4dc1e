/**
 * Which queries are slow, and are they slow every time? For tuning, not for the report:
 *
 *   npx tsx bench/slowest.ts --size 10000 [--side ours|raw] [--seed 1] [--repeat 5] [--top 15]
 *
 * Uses the cached synthetic corpus (generated on first use), builds the side once, then times every
 * query of the benchmark mix and every autocomplete prefix `repeat` times and lists the slowest by
 * their *minimum* time (so a GC pause does not make a fast query look slow), with the median.
 */
import { ensureCorpus, makeWorkDir } from './corpusCache.js';
import { loadCorpus } from '../src/ingest/loadCorpus.js';
import { buildPrefixMix, buildQueryMix } from './queries.js';
import type { SideName } from './side.js';
import { loadSide } from './sides.js';
import { storedWebDocuments } from './storedDocuments.js';

function option(argv: readonly string[], name: string, fallback: string): string {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? (argv[at + 1] ?? fallback) : fallback;
}

async function timeEach<T>(
  items: readonly T[],
  repeat: number,
  run: (item: T) => number | Promise<number>,
): Promise<Array<{ item: T; min: number; median: number; hits: number }>> {
  const rows = [];
  for (const item of items) {
    const times: number[] = [];
    let hits = 0;
    for (let k = 0; k < repeat; k++) {
      const started = performance.now();
      hits = await run(item);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    rows.push({ item, min: times[0] ?? 0, median: times[Math.floor(times.length / 2)] ?? 0, hits });
  }
  return rows.sort((a, b) => b.min - a.min);
}

async function main(argv: readonly string[]): Promise<void> {
  const size = Number(option(argv, 'size', '10000'));
  const sideName = option(argv, 'side', 'ours') as SideName;
  const seed = Number(option(argv, 'seed', '1'));
  const repeat = Number(option(argv, 'repeat', '5'));
  const top = Number(option(argv, 'top', '15'));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const corpus = await ensureCorpus(size, seed, log);
  const work = makeWorkDir(corpus.rawDir);
  try {
    const side = await loadSide(sideName);
    if (!side) throw new Error(`side ${sideName} is not available`);
    const documents = [
      ...(await loadCorpus(work.dataDir)).documents,
      ...(await storedWebDocuments(work.dataDir)),
    ];
    log(`${sideName}: building over ${documents.length} documents`);
    const answerer = await side.build(documents);
    const queries = await timeEach(buildQueryMix(seed), repeat, (q) => answerer.search(q));
    const total = queries.reduce((sum, row) => sum + row.min, 0);
    process.stdout.write(
      `\n${sideName} @ ${size}: slowest queries by min of ${repeat} (sum of mins ${total.toFixed(0)} ms)\n`,
    );
    for (const row of queries.slice(0, top)) {
      const filter = row.item.filter ? ` ${JSON.stringify(row.item.filter)}` : '';
      process.stdout.write(
        `${row.min.toFixed(1).padStart(8)} ms  median ${row.median.toFixed(1).padStart(8)}  hits ${String(row.hits).padStart(6)}  ${row.item.class.padEnd(8)} "${row.item.text}"${filter}\n`,
      );
    }
    const prefixes = await timeEach(buildPrefixMix(seed), repeat, (p) => answerer.suggest(p));
    process.stdout.write(`\n${sideName} @ ${size}: slowest autocomplete prefixes\n`);
    for (const row of prefixes.slice(0, Math.min(top, 8))) {
      process.stdout.write(
        `${row.min.toFixed(2).padStart(8)} ms  median ${row.median.toFixed(2).padStart(8)}  choices ${String(row.hits).padStart(3)}  ${row.item.field.padEnd(8)} "${row.item.prefix}"\n`,
      );
    }
  } finally {
    work.cleanup();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
