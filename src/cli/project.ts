import type { ProjectMeta } from '../core/library.js';
import { parseCliArgs, UsageError, type CliCommand } from './command.js';
import { libraryFor } from './openLibrary.js';
import { json } from './output.js';

const help = `Usage: npm run --silent cli -- project <Prima ID | Projects ID | title words> [--json]

Finds projects by Prima ID or Projects ID (exact, any case: cn10p0002, PO.0105) or, failing that,
by words of their title.

Options:
  --json   print {"projects": [record ...]}
  --help   show this help

Exit code: 0 when found, 1 when no project matched, 2 for wrong usage.`;

/** One line per project, for `project` and `projects`. */
export function projectLines(projects: readonly ProjectMeta[]): string {
  return projects
    .map((r) => {
      const p = r.project;
      const ids = [p.primaId, p.projectId].filter(Boolean).join(' · ') || r.id;
      const facts = [
        p.status,
        p.year,
        p.region,
        p.budgetUsd === null ? null : `USD ${p.budgetUsd.toLocaleString('en-US')}`,
      ]
        .filter((v) => v !== null)
        .join(' · ');
      return `${ids}  ${r.title}\n  ${facts}${facts ? ' · ' : ''}${r.id}\n`;
    })
    .join('');
}

/** `project`: lookup by id or title words. */
export const projectCommand: CliCommand = {
  name: 'project',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, { json: { type: 'boolean', default: false } });
    if (positionals.length === 0) throw new UsageError('missing the project id or title words.');
    const query = positionals.join(' ');
    const library = await libraryFor(io);
    const projects = library.projects.find(query);
    if (values.json) io.stdout(json({ projects }));
    else if (projects.length > 0) io.stdout(projectLines(projects));
    if (projects.length === 0) {
      io.stderr(`project: no project matches "${query}".\n`);
      return 1;
    }
    return 0;
  },
};
