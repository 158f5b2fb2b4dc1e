import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCommands } from '../../src/cli/registry.js';
import { cliOverShippedPages } from './harness.js';

const { data, cli } = cliOverShippedPages();

/**
 * Module hooks, registered before tsx, that append every module the process resolves to the file
 * named by MODULE_LOG. Data URLs: nothing but this test needs them.
 */
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.MODULE_LOG, result.url + '\\n');
  return result;
}`;
const REGISTER = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

/** The packages (node_modules folders) a real `cli <argv>` process loads. */
async function packagesLoaded(argv: readonly string[]): Promise<Set<string>> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'mnb-modules-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const log = path.join(scratch, 'modules.txt');
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(REGISTER)}`,
      '--import',
      'tsx',
      'src/cli/main.ts',
      ...argv,
    ],
    {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, DATA_DIR: data.dir, MODULE_LOG: log },
    },
  );
  const packages = new Set<string>();
  for (const url of readFileSync(log, 'utf8').split('\n')) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match?.[1]) packages.add(match[1]);
  }
  return packages;
}

describe('cli registry', () => {
  it('lists each command once, and each entry loads the command of its name', async () => {
    const names = cliCommands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of cliCommands) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.help).toMatch(/^Usage: npm run --silent cli -- /);
    }
  });

  it('lists every command with its summary in the overview', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    for (const entry of cliCommands)
      expect(stdout).toContain(`  ${entry.name.padEnd(8)}  ${entry.summary}\n`);
  });

  it('says which command is unknown without loading any', async () => {
    const { code, stderr } = await cli('serch', 'border');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^Unknown command "serch"\./);
  });

  it('loads, for a search, none of the packages other commands need (Discord, PostgreSQL, feeds, HTML)', async () => {
    const loaded = await packagesLoaded(['search', 'liljert']);
    // The check is only worth something if the log saw the packages a search does load.
    expect(loaded).toContain('minisearch');
    expect(loaded).toContain('zod');
    // ipaddr.js is not in the list: config.ts validates FETCH_ALLOW_NETWORKS with it at every start
    // (about 2 ms to load).
    const heavy = [
      ...['discord.js', '@discordjs/rest', '@discordjs/ws', 'pg', 'feedsmith', 'linkedom'],
      ...['@mozilla/readability', 'robots-parser', 'prom-client', 'node-cron', 'pino'],
    ];
    expect(heavy.filter((name) => loaded.has(name))).toEqual([]);
  }, 60_000);
});
