import type { CliCommandEntry } from './command.js';

/**
 * Every CLI command, in the order `--help` lists them. Explicit: no folder scanning. Each module is
 * imported only when its command runs: the feed and HTML parsers of `sources` or the Discord
 * formatting of `digest` cost a cold `search` a second of module loading otherwise.
 */
export const cliCommands: readonly CliCommandEntry[] = [
  {
    name: 'parse',
    summary: 'parse pages into records (default: $DATA_DIR/raw)',
    load: async () => (await import('./parse.js')).parseCommand,
  },
  {
    name: 'search',
    summary: 'search articles and projects',
    load: async () => (await import('./search.js')).searchCommand,
  },
  {
    name: 'article',
    summary: 'show one document by id, with related documents',
    load: async () => (await import('./article.js')).articleCommand,
  },
  {
    name: 'contact',
    summary: 'find people (press contacts and people named in documents)',
    load: async () => (await import('./contact.js')).contactCommand,
  },
  {
    name: 'project',
    summary: 'find a project by Prima ID, Projects ID or title words',
    load: async () => (await import('./project.js')).projectCommand,
  },
  {
    name: 'projects',
    summary: 'list projects with filters (status, region, year, member state)',
    load: async () => (await import('./projects.js')).projectsCommand,
  },
  {
    name: 'suggest',
    summary: 'autocomplete titles, contacts, countries or project ids',
    load: async () => (await import('./suggest.js')).suggestCommand,
  },
  {
    name: 'index',
    summary: 'index build: rebuild the search index snapshot',
    load: async () => (await import('./indexBuild.js')).indexCommand,
  },
  {
    name: 'ingest',
    summary: 'add pages to $DATA_DIR/raw and the ingestion log (new/updated/rejected)',
    load: async () => (await import('./ingest.js')).ingestCommand,
  },
  {
    name: 'digest',
    summary: 'preview a digest (digest preview [--query q] [--subscription id])',
    load: async () => (await import('./digest.js')).digestCommand,
  },
  {
    name: 'sources',
    summary: 'live sources: list their health, fetch now, enable or disable one',
    load: async () => (await import('./sources.js')).sourcesCommand,
  },
];
