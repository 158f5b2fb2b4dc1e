import path from 'node:path';
import { loadCorpus, parseFiles, type CorpusLoad } from '../ingest/loadCorpus.js';
import type { DocumentRecord } from '../core/record.js';
import { truncate } from '../core/truncate.js';
import { parseCliArgs, type CliCommand } from './command.js';

const help = `Usage: npm run --silent cli -- parse [files or folders ...] [--json]

Parses pages into records. Without paths, parses every page in $DATA_DIR/raw.

Options:
  --json   print {"documents": [...records], "errors": [{"file", "reason"}]} on stdout
  --help   show this help

Exit code: 0 when every file parsed, 1 when some failed (the others are still printed), 2 for
wrong usage.`;

/** Fits a cell to `width` characters, with … when cut. */
function cell(value: string, width: number): string {
  return truncate(value, width).padEnd(width);
}

function table(documents: readonly DocumentRecord[]): string {
  const idWidth = Math.min(28, Math.max(2, ...documents.map((d) => d.id.length)));
  const rows = documents.map((d) =>
    [
      cell(d.id, idWidth),
      cell(d.kind, 7),
      cell(d.title, 52),
      cell(d.country ?? '-', 14),
      d.contacts.map((c) => c.name).join(', ') || '-',
    ].join('  '),
  );
  const header = [cell('id', idWidth), cell('kind', 7), cell('title', 52), cell('country', 14), 'contacts'];
  return [header.join('  '), ...rows].join('\n');
}

/** `parse`: pages → records, as JSON or a table. */
export const parseCommand: CliCommand = {
  name: 'parse',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, { json: { type: 'boolean', default: false } });
    const onProgress = (done: number, total: number) => {
      if (total >= 5000) io.stderr(`parse: ${done}/${total} files read\n`);
    };
    const result: CorpusLoad =
      positionals.length === 0
        ? await loadCorpus(io.dataDir, { onProgress })
        : await parseFiles(
            positionals.map((p) => path.resolve(p)),
            path.resolve(io.dataDir),
            { onProgress },
          );
    if (values.json) {
      io.stdout(`${JSON.stringify({ documents: result.documents, errors: result.errors }, null, 2)}\n`);
    } else {
      if (result.documents.length > 0) io.stdout(`${table(result.documents)}\n`);
      for (const failure of result.errors) io.stderr(`parse: ${failure.file}: ${failure.reason}\n`);
      const articles = result.documents.filter((d) => d.kind === 'article').length;
      io.stdout(
        `${result.documents.length} parsed (${articles} articles, ${result.documents.length - articles} projects), ${result.errors.length} failed\n`,
      );
    }
    return result.errors.length > 0 ? 1 : 0;
  },
};
