import type { RelatedDocument } from '../core/library.js';
import type { DocumentRecord } from '../core/record.js';
import { parseCliArgs, UsageError, type CliCommand } from './command.js';
import { libraryFor } from './openLibrary.js';
import { json } from './output.js';

const help = `Usage: npm run --silent cli -- article <id> [--json]

Shows one document (article or project) and the documents related to it.

Options:
  --json   print the record plus "related": [{"id", "title"}]
  --help   show this help

Exit code: 0 when found, 1 for an unknown id (with close ids or titles), 2 for wrong usage.`;

function render(record: DocumentRecord, related: readonly RelatedDocument[]): string {
  const lines = [
    record.title,
    `${record.id} · ${record.kind}${record.country ? ` · ${record.country}` : ''} · ${record.source}`,
  ];
  const p = record.project;
  if (p) {
    const fields: Array<[string, unknown]> = [
      ['Prima ID', p.primaId],
      ['Projects ID', p.projectId],
      ['Status', p.status],
      ['Type', p.type],
      ['Start', p.startDate],
      ['End', p.endDate],
      ['Year', p.year],
      ['Budget (USD)', p.budgetUsd],
      ['Coverage', p.coverage],
      ['Region', p.region],
      ['Member states', p.memberStates.join(', ') || null],
    ];
    lines.push('', ...fields.filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${String(v)}`));
  }
  lines.push('', ...record.paragraphs.flatMap((paragraph) => [paragraph, '']));
  for (const c of record.contacts) {
    lines.push(`Contact: ${[c.name, c.office, ...c.phones, c.email].filter(Boolean).join(' · ')}`);
  }
  if (related.length > 0) {
    lines.push('', 'Related:', ...related.map((r) => `  ${r.id}  ${r.title}`));
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** `article`: one record and its related documents. */
export const articleCommand: CliCommand = {
  name: 'article',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, { json: { type: 'boolean', default: false } });
    if (positionals.length !== 1) throw new UsageError('give exactly one document id.');
    const library = await libraryFor(io);
    const record = library.getDocument(positionals[0]!);
    const related = library.related(record.id);
    io.stdout(
      values.json
        ? json({ ...record, related: related.map((r) => ({ id: r.id, title: r.title })) })
        : render(record, related),
    );
    return 0;
  },
};
