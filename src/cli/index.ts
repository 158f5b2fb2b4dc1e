import { Library } from '../core/library.js';
import { loadCorpus } from '../ingest/loadCorpus.js';
import { saveSnapshot, snapshotPath } from '../ingest/snapshot.js';
import { parseCliArgs, UsageError, type CliCommand } from './command.js';
import { json } from './openLibrary.js';

const help = `Usage: npm run --silent cli -- index build [--json]

Reads every page in $DATA_DIR/raw, builds the search index and writes the snapshot
($DATA_DIR/index-snapshot.json) that the bot and the CLI load at start. Prints counts and timing.

Options:
  --json   print {"documents", "articles", "projects", "contacts", "failed", "parseMs", "buildMs",
           "writeMs", "snapshotBytes", "snapshot"}
  --help   show this help

Exit code: 0 when written, 1 when some pages failed to parse (the others are indexed), 2 for
wrong usage.`;

const ms = (n: number) => Math.round(n);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `index build`: rebuild the index and its snapshot. */
export const indexCommand: CliCommand = {
  name: 'index',
  summary: 'index build: rebuild the search index snapshot',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, { json: { type: 'boolean', default: false } });
    if (positionals[0] !== 'build' || positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? 'missing the subcommand (build).'
          : `unknown subcommand "${positionals.join(' ')}"; use build.`,
      );
    }
    const t0 = performance.now();
    const corpus = await loadCorpus(io.dataDir, {
      onProgress: (done, total) => {
        if (total >= 5000 && !values.json) io.stderr(`index: ${done}/${total} files read\n`);
      },
    });
    for (const failure of corpus.errors) io.stderr(`index: ${failure.file}: ${failure.reason}\n`);
    const t1 = performance.now();
    const library = Library.create(corpus.documents);
    const t2 = performance.now();
    const bytes = await saveSnapshot(io.dataDir, library);
    const t3 = performance.now();
    const stats = library.stats();
    const report = {
      ...stats,
      failed: corpus.errors.length,
      parseMs: ms(t1 - t0),
      buildMs: ms(t2 - t1),
      writeMs: ms(t3 - t2),
      snapshotBytes: bytes,
      snapshot: snapshotPath(io.dataDir),
    };
    io.stdout(
      values.json
        ? json(report)
        : [
            `${plural(stats.documents, 'document')} (${plural(stats.articles, 'article')}, ${plural(stats.projects, 'project')}), ${plural(stats.contacts, 'person', 'people')}, ${corpus.errors.length} failed`,
            `read+parse ${report.parseMs} ms · index ${report.buildMs} ms · snapshot ${report.writeMs} ms (${(bytes / 1e6).toFixed(1)} MB)`,
            `wrote ${report.snapshot}`,
            '',
          ].join('\n'),
    );
    return corpus.errors.length > 0 ? 1 : 0;
  },
};
