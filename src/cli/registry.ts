import type { CliCommand } from './command.js';
import { articleCommand } from './article.js';
import { contactCommand } from './contact.js';
import { digestCommand } from './digest.js';
import { indexCommand } from './indexBuild.js';
import { ingestCommand } from './ingest.js';
import { parseCommand } from './parse.js';
import { projectCommand } from './project.js';
import { projectsCommand } from './projects.js';
import { searchCommand } from './search.js';
import { sourcesCommand } from './sources.js';
import { suggestCommand } from './suggest.js';

/** Every CLI command, in the order `--help` lists them. Explicit: no folder scanning. */
export const cliCommands: readonly CliCommand[] = [
  parseCommand,
  searchCommand,
  articleCommand,
  contactCommand,
  projectCommand,
  projectsCommand,
  suggestCommand,
  indexCommand,
  ingestCommand,
  digestCommand,
  sourcesCommand,
];
