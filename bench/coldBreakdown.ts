/**
 * Where a cold start of our library spends its time, step by step, in one process:
 *
 *   node --expose-gc --max-old-space-size=12288 --import tsx bench/coldBreakdown.ts --size 10000
 *
 * Opens the library the way the bot starts (openCorpusLibrary) twice over the cached synthetic
 * corpus (seed 1): first with a rebuild that writes the snapshot, then from that snapshot; prints
 * the timings each start reports, then the first search and the first autocomplete of each field.
 */
const started = performance.now();
const { SUGGEST_FIELDS } = await import('../src/core/library.js');
const { openCorpusLibrary, webDocumentsOf } = await import('../src/ingest/openCorpus.js');
const { ensureCorpus, makeWorkDir } = await import('./corpusCache.js');
const { storedWebDocuments } = await import('./storedDocuments.js');
const imported = performance.now();

const at = process.argv.indexOf('--size');
const size = Number(at >= 0 ? process.argv[at + 1] : 10_000);
const corpus = await ensureCorpus(size, 1, (line) => process.stderr.write(`${line}\n`));
const work = makeWorkDir(corpus.rawDir);
const out = (name: string, ms: number) =>
  process.stdout.write(`${name.padEnd(40)} ${(ms / 1000).toFixed(2).padStart(8)} s\n`);
try {
  process.stdout.write(`cold start breakdown, ${size} pages\n`);
  out('node start to this script', started);
  out('module imports', imported - started);
  for (const mode of ['rebuild', 'snapshot'] as const) {
    const opened = await openCorpusLibrary(work.dataDir, {
      isRebuild: mode === 'rebuild',
      webDocuments: webDocumentsOf(await storedWebDocuments(work.dataDir)),
    });
    process.stdout.write(
      `-- open (${mode}): source ${opened.source}, ${opened.counts.documents} documents\n`,
    );
    for (const [name, ms] of Object.entries(opened.timings)) out(`   ${name}`, ms);
    let t = performance.now();
    opened.library.search('border management');
    out('   first search', performance.now() - t);
    for (const field of SUGGEST_FIELDS) {
      t = performance.now();
      opened.library.suggest(field, 'li');
      out(`   first suggest(${field})`, performance.now() - t);
    }
  }
} finally {
  work.cleanup();
}
