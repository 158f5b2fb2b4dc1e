/**
 * Where a cold start of our library spends its time, step by step, in one process:
 *
 *   node --expose-gc --max-old-space-size=12288 --import tsx bench/coldBreakdown.ts --size 10000
 *
 * Steps: module imports, loadCorpus (read + parse every page), Library.create (rebuild),
 * saveSnapshot, reading and JSON-parsing the snapshot, Library.fromSnapshot, the first search and
 * the first autocomplete of each field. Uses the cached synthetic corpus (seed 1).
 */
const started = performance.now();
const { readFile } = await import('node:fs/promises');
const { Library, SUGGEST_FIELDS } = await import('../src/core/library.js');
const { loadCorpus } = await import('../src/ingest/loadCorpus.js');
const { saveSnapshot, snapshotPath } = await import('../src/ingest/snapshot.js');
const { ensureCorpus, makeWorkDir } = await import('./corpusCache.js');

const steps: Array<[string, number]> = [['node start to this script', started]];
async function step<T>(name: string, work: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  const value = await work();
  steps.push([name, performance.now() - t]);
  return value;
}
steps.push(['module imports', performance.now() - started]);

const at = process.argv.indexOf('--size');
const size = Number(at >= 0 ? process.argv[at + 1] : 10_000);
const corpus = await ensureCorpus(size, 1, (line) => process.stderr.write(`${line}\n`));
const work = makeWorkDir(corpus.rawDir);
try {
  const { documents } = await step('loadCorpus (read + parse)', () => loadCorpus(work.dataDir));
  const built = await step('Library.create (rebuild)', () => Library.create(documents));
  await step('saveSnapshot', () => saveSnapshot(work.dataDir, built));
  const text = await step('read snapshot', () => readFile(snapshotPath(work.dataDir), 'utf8'));
  await step('JSON.parse of the snapshot alone', () => JSON.parse(text) as unknown);
  const loaded = await step('Library.fromSnapshot', () => Library.fromSnapshot(text, documents));
  if (!loaded.ok) throw new Error(`snapshot rejected: ${loaded.error}`);
  const library = loaded.value;
  await step('first search', () => library.search('border management'));
  for (const field of SUGGEST_FIELDS) {
    await step(`first suggest(${field})`, () => library.suggest(field, 'li'));
  }
  process.stdout.write(`cold start breakdown, ${documents.length} documents\n`);
  for (const [name, ms] of steps) {
    process.stdout.write(`${name.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(8)} s\n`);
  }
} finally {
  work.cleanup();
}
