import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Ingester, type IngestReport } from '../ingest/ingester.js';
import { parseFiles, rawDir, type ParseFailure } from '../ingest/loadCorpus.js';
import { isSnapshotRewriteWorthIt } from '../ingest/openCorpus.js';
import { saveSnapshot } from '../ingest/snapshotFile.js';
import { Store } from '../store/store.js';
import { parseCliArgs, type CliCommand } from './command.js';
import { libraryFor } from './openLibrary.js';
import { json } from './output.js';

const help = `Usage: npm run --silent cli -- ingest [files or folders ...] [--json]

Adds pages to $DATA_DIR/raw and records them in the ingestion log (the source of digests).
Files outside raw/ are parsed first and copied in only when they parse; files already in raw/ are
registered in place. Without paths, reconciles raw/ with the log (what a running bot's watcher does).
A page whose id was logged before counts as updated, never as new. The index snapshot is rewritten
once at least 1% of the pages changed since it was written; fewer changes are re-read at the next
start.

Options:
  --json   print {"new": [{"id", "seq"}], "updated": [...], "removed": [...], "rejected": [{"file", "reason"}]}
  --help   show this help

Exit code: 0 when every file was accepted, 1 when some were rejected (the others are still
ingested), 2 for wrong usage.`;

const isInside = (file: string, dir: string) => {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

/** `ingest`: copy or register pages, log what is new, updated, removed, rejected. */
export const ingestCommand: CliCommand = {
  name: 'ingest',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, { json: { type: 'boolean', default: false } });
    const dataDir = path.resolve(io.dataDir);
    const raw = rawDir(dataDir);
    const rejected: ParseFailure[] = [];
    if (positionals.length > 0) {
      const checked = await parseFiles(
        positionals.map((p) => path.resolve(p)),
        dataDir,
      );
      rejected.push(...checked.errors);
      await mkdir(raw, { recursive: true });
      for (const record of checked.documents) {
        const source = path.resolve(dataDir, record.source);
        if (!isInside(source, raw)) await copyFile(source, path.join(raw, path.basename(source)));
      }
    }

    const library = await libraryFor({ ...io, stderr: () => undefined });
    const store = await Store.open({ dataDir, databaseUrl: io.databaseUrl });
    let report: IngestReport;
    try {
      const ingester = new Ingester({
        dataDir,
        store,
        library,
        onChanged: async (changes) => {
          // Same policy as the bot: few changes are cheaper to re-read at the next start.
          if (isSnapshotRewriteWorthIt(changes.indexed, library.documentCount)) {
            await saveSnapshot(dataDir, library);
          }
        },
      });
      report = await ingester.sync();
    } finally {
      await store.close();
    }
    const seen = new Set(rejected.map((r) => r.file));
    for (const r of report.rejected) if (!seen.has(r.file)) rejected.push(r);

    const seqOf = (event: string) =>
      report.logged.filter((e) => e.event === event).map((e) => ({ id: e.docId, seq: e.seq }));
    const result = { new: seqOf('new'), updated: seqOf('updated'), removed: seqOf('removed'), rejected };
    if (values.json) {
      io.stdout(json(result));
    } else {
      for (const [label, list] of [
        ['new', result.new],
        ['updated', result.updated],
        ['removed', result.removed],
      ] as const) {
        for (const e of list) io.stdout(`${label.padEnd(8)} ${e.id} (log #${e.seq})\n`);
      }
      for (const r of rejected) io.stderr(`ingest: ${r.file}: ${r.reason}\n`);
      io.stdout(
        `${result.new.length} new, ${result.updated.length} updated, ${result.removed.length} removed, ${rejected.length} rejected\n`,
      );
    }
    return rejected.length > 0 ? 1 : 0;
  },
};
