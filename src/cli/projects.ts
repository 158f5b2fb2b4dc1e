import type { ProjectSort } from '../core/library.js';
import { parseCliArgs, UsageError, type CliCommand } from './command.js';
import { libraryFor } from './openLibrary.js';
import { json } from './output.js';
import { projectLines } from './project.js';
import { positiveInt } from './search.js';

const help = `Usage: npm run --silent cli -- projects [options]

Lists projects, newest first unless sorted otherwise.

Options:
  --status S         only this status (e.g. Completed), any case
  --region R         only regions containing R (e.g. asia)
  --year N           only this year
  --member-state M   only projects benefiting this member state
  --sort year|budget|title   sort key (year and budget: largest first; title: A to Z)
  --json             print {"projects": [record ...]}
  --help             show this help

Exit code: 0 (also when the list is empty), 2 for wrong usage.`;

const SORTS: readonly ProjectSort[] = ['year', 'budget', 'title'];

/** `projects`: the filtered, sorted project list. */
export const projectsCommand: CliCommand = {
  name: 'projects',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, {
      status: { type: 'string' },
      region: { type: 'string' },
      year: { type: 'string' },
      'member-state': { type: 'string' },
      sort: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument "${positionals[0]}" (filters are options).`);
    const sort = values.sort;
    if (sort !== undefined && !SORTS.includes(sort as ProjectSort)) {
      throw new UsageError(`--sort must be one of ${SORTS.join(', ')}; got "${sort}".`);
    }
    const year = positiveInt('year', values.year);
    const library = await libraryFor(io);
    const projects = library.projects.list({
      status: values.status,
      region: values.region,
      year,
      memberState: values['member-state'],
      sort: sort as ProjectSort | undefined,
    });
    // The JSON contract gives whole records, text included.
    if (values.json) io.stdout(json({ projects: projects.map((p) => library.getDocument(p.id)) }));
    else
      io.stdout(`${projectLines(projects)}${projects.length} project${projects.length === 1 ? '' : 's'}\n`);
    return 0;
  },
};
