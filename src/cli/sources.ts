import path from 'node:path';
import { isSnapshotRewriteWorthIt } from '../ingest/openCorpus.js';
import { saveSnapshot } from '../ingest/snapshotFile.js';
import { botUserAgent, PoliteClient } from '../sources/politeClient.js';
import { SourceFetcher, type SourceFetchReport } from '../sources/sourceFetcher.js';
import { describeSources } from '../sources/sourcesView.js';
import { loadSourcesFile, SourcesFileError, type SourceConfig } from '../sources/sourcesFile.js';
import { claimOwner } from '../store/claimOwner.js';
import { Store } from '../store/store.js';
import { VERSION } from '../version.js';
import { mapBounded } from '../util/concurrency.js';
import { parseCliArgs, UsageError, type CliCommand, type CliIo, type ExitCode } from './command.js';
import { libraryFor } from './openLibrary.js';
import { json } from './output.js';

const help = `Usage: npm run --silent cli -- sources <list|fetch|enable|disable> [options]

Live sources are declared in $DATA_DIR/sources.json (see docs/sources.md).

  sources list [--json]                  each source's status, last and next fetch, failures,
                                         last error and documents
  sources fetch [--source ID] [--json]   fetch every enabled source (or one) now, whatever its
                                         schedule; store and index what is new
  sources enable ID                      turn a source back on (clears a disable after failures)
  sources disable ID                     stop fetching a source until \`sources enable\`

JSON:
  list   {"sources": [{"id", "type", "url", "enabled", "status", "lastFetchedAt", "nextFetchAt",
          "failures", "lastError", "documents"}]}
  fetch  {"sources": [{"id", "status": "ok"|"not-modified"|"failed"|"disabled", "new", "updated",
          "unchanged", "rejected", "error"}]}

Exit code: 0 success; 1 when a fetched source failed; 2 for wrong usage, an unknown source id or an
invalid sources file.`;

async function readSources(io: CliIo): Promise<readonly SourceConfig[]> {
  try {
    const file = await loadSourcesFile(io.dataDir, io.sources ?? {});
    for (const warning of file.warnings) io.stderr(`warning: ${warning}\n`);
    return file.sources;
  } catch (error) {
    // An invalid sources file is wrong usage of the tool: exit 2 with every problem listed.
    if (error instanceof SourcesFileError) throw new UsageError(error.message);
    throw error;
  }
}

function findSource(sources: readonly SourceConfig[], id: string | undefined): SourceConfig {
  if (id === undefined) throw new UsageError('name the source: sources enable ID');
  const source = sources.find((s) => s.id === id);
  if (!source) {
    const known = sources.map((s) => s.id).join(', ') || 'none';
    throw new UsageError(`no source "${id}" in sources.json (known: ${known})`);
  }
  return source;
}

const when = (iso: string | null) => (iso === null ? '-' : iso.replace(/\.\d{3}Z$/, 'Z'));

async function list(io: CliIo, isJson: boolean): Promise<ExitCode> {
  const sources = await readSources(io);
  const store = await Store.open(io);
  try {
    const rows = (await describeSources(sources, store)).map(({ name: _n, fullText: _f, ...row }) => row);
    if (isJson) {
      io.stdout(json({ sources: rows }));
      return 0;
    }
    if (rows.length === 0) io.stdout(`No sources in ${path.join(io.dataDir, 'sources.json')}.\n`);
    for (const r of rows) {
      io.stdout(
        `${r.id} (${r.type}) ${r.status}: ${r.documents} documents, last fetch ${when(r.lastFetchedAt)}, ` +
          `next ${when(r.nextFetchAt)}${r.failures > 0 ? `, ${r.failures} failures` : ''}\n`,
      );
      if (r.lastError) io.stdout(`  ${r.lastError}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

async function fetchNow(io: CliIo, only: string | undefined, isJson: boolean): Promise<ExitCode> {
  const sources = await readSources(io);
  const chosen = only === undefined ? sources.filter((s) => s.enabled) : [findSource(sources, only)];
  const store = await Store.open(io);
  let library: Awaited<ReturnType<typeof libraryFor>>;
  let reports: SourceFetchReport[];
  try {
    library = await libraryFor(io, store.webDocuments);
    const client = new PoliteClient({
      userAgent: botUserAgent(VERSION, io.sources?.botHomepage),
      allowNetworks: io.sources?.fetchAllowNetworks,
    });
    const fetcher = new SourceFetcher({ store, client, library, claimOwner: claimOwner(io.dataDir) });
    reports = await mapBounded(chosen, 3, async (source) => {
      if (!isJson) io.stderr(`fetching ${source.id} (${source.url})\n`);
      return fetcher.fetch(source);
    });
  } finally {
    await store.close();
  }
  // Same policy as the bot: a few changes are cheaper to re-read at the next start.
  const changed = reports.reduce((n, r) => n + r.changed.length, 0);
  if (changed > 0 && isSnapshotRewriteWorthIt(changed, library.documentCount)) {
    await saveSnapshot(io.dataDir, library);
  }
  const rows = reports.map((r) => ({
    id: r.id,
    status: r.status,
    new: r.new,
    updated: r.updated,
    unchanged: r.unchanged,
    rejected: r.rejected,
    error: r.error,
  }));
  if (isJson) io.stdout(json({ sources: rows }));
  else {
    for (const r of reports) {
      io.stdout(
        r.status === 'ok' || r.status === 'not-modified'
          ? `${r.id}: ${r.status}, ${r.new} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected\n`
          : `${r.id}: ${r.status}: ${r.error ?? ''}\n`,
      );
      for (const problem of r.problems) io.stderr(`  ${r.id}: ${problem}\n`);
    }
  }
  return reports.some((r) => r.status === 'failed') ? 1 : 0;
}

async function setEnabled(io: CliIo, id: string | undefined, isEnabled: boolean): Promise<ExitCode> {
  const source = findSource(await readSources(io), id);
  const store = await Store.open(io);
  try {
    if (isEnabled) {
      await store.sourceStates.update(source.id, {
        disabledReason: null,
        failures: 0,
        failingSince: null,
        nextFetchAt: null,
      });
      io.stdout(
        source.enabled
          ? `${source.id}: enabled; fetched at the bot's next look (or now with \`sources fetch --source ${source.id}\`)\n`
          : `${source.id}: cleared, but sources.json still says "enabled": false\n`,
      );
    } else {
      await store.sourceStates.update(source.id, {
        disabledReason: 'disabled by an operator (sources disable)',
      });
      io.stdout(`${source.id}: disabled until \`sources enable ${source.id}\`\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** `sources`: list, fetch now, enable and disable live sources. */
export const sourcesCommand: CliCommand = {
  name: 'sources',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, {
      json: { type: 'boolean', default: false },
      source: { type: 'string' },
    });
    const [action, id, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}"`);
    switch (action) {
      case 'list':
        return list(io, values.json);
      case 'fetch':
        return fetchNow(io, values.source, values.json);
      case 'enable':
        return setEnabled(io, id, true);
      case 'disable':
        return setEnabled(io, id, false);
      case undefined:
        throw new UsageError('say what to do: sources list, fetch, enable ID or disable ID');
      default:
        throw new UsageError(`unknown action "${action}": use list, fetch, enable ID or disable ID`);
    }
  },
};
