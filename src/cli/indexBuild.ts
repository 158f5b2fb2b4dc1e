import { openCorpusLibrary } from '../ingest/openCorpus.js';
import { snapshotPath } from '../ingest/snapshotFile.js';
import { parseCliArgs, UsageError, type CliCommand } from './command.js';
import { json } from './output.js';

const help = `Usage: npm run --silent cli -- index build [--json]

Reads every page in $DATA_DIR/raw, builds the search index and writes the snapshot
($DATA_DIR/index-snapshot.bin) that the bot and the CLI load at start. Prints counts and timing.

Options:
  --json   print {"documents", "articles", "projects", "contacts", "failed", "parseMs", "buildMs",
           "writeMs", "snapshotBytes", "snapshot"}
  --help   show this help

Other commands and the bot load the snapshot and read only the pages whose size or modification
time changed since; run this after replacing pages in a way that keeps both (e.g. a copy that
preserves times).

Exit code: 0 when written, 1 when some pages failed to parse (the others are indexed) or the
snapshot could not be written, 2 for wrong usage.`;

const ms = (n: number) => Math.round(n);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `index build`: rebuild the index and its snapshot. */
export const indexCommand: CliCommand = {
  name: 'index',
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
    const opened = await openCorpusLibrary(io.dataDir, {
      isRebuild: true,
      onWarning: (message) => io.stderr(`index: ${message}\n`),
      onProgress: (done, total) => {
        if (total >= 5000 && !values.json) io.stderr(`index: ${done}/${total} files read\n`);
      },
    });
    for (const failure of opened.errors) io.stderr(`index: ${failure.file}: ${failure.reason}\n`);
    const { library, timings } = opened;
    const bytes = opened.snapshotBytes;
    const stats = library.stats();
    const report = {
      ...stats,
      failed: opened.errors.length,
      parseMs: ms(timings.scanMs + timings.parseMs),
      buildMs: ms(timings.indexMs),
      writeMs: ms(timings.writeMs),
      snapshotBytes: bytes,
      snapshot: snapshotPath(io.dataDir),
    };
    io.stdout(
      values.json
        ? json(report)
        : [
            `${plural(stats.documents, 'document')} (${plural(stats.articles, 'article')}, ${plural(stats.projects, 'project')}), ${plural(stats.contacts, 'person', 'people')}, ${opened.errors.length} failed`,
            `read+parse ${report.parseMs} ms · index ${report.buildMs} ms · snapshot ${report.writeMs} ms (${(bytes / 1e6).toFixed(1)} MB)`,
            opened.wrote ? `wrote ${report.snapshot}` : `did not write ${report.snapshot}`,
            '',
          ].join('\n'),
    );
    return opened.errors.length > 0 || !opened.wrote ? 1 : 0;
  },
};
