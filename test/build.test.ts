import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyShippedData } from './support/botHarness.js';
import { LoopbackDiscord } from '../loopback/discord.js';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end, `input` on stdin, from a folder of its own (no .env is read). */
async function run(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<Run> {
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(options.input ?? '');
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

// The environment of a compiled process (plain node, no tsx loader): no token, quiet logs.
const PLAIN = {
  DISCORD_TOKEN: '',
  RELIEFWEB_APPNAME: '',
  LOG_LEVEL: 'warn',
  RESCAN_INTERVAL_SECONDS: '0',
};

describe('npm run build (the compiled JavaScript the Dockerfile runs)', () => {
  let outDir: string;
  let elsewhere: string;

  beforeAll(async () => {
    // Inside dist/ (ignored by git, lint and prettier) so node_modules and package.json resolve as
    // they do from dist/ itself; a folder of its own so a concurrent `npm run build` is left alone.
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    outDir = await mkdtemp(path.join(ROOT, 'dist', 'build-test-'));
    elsewhere = await mkdtemp(path.join(tmpdir(), 'mnb-cwd-'));
    const build = await run('npm', ['run', 'build', '--', '--outDir', outDir]);
    expect(build.code, build.stdout + build.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
  });

  it('starts with plain node in console mode and answers /search and /about from stdin', async () => {
    const dataDir = await copyShippedData();
    try {
      const bot = await run(process.execPath, [path.join(outDir, 'src/main.js')], {
        cwd: elsewhere,
        env: { ...PLAIN, DATA_DIR: dataDir },
        input: '/search query:beijing\n/about\n',
      });

      expect(bot.code, bot.stderr).toBe(0);
      expect(bot.stdout).toContain('Migration News Bot 0.1.0: console mode');
      expect(bot.stdout).toContain(`Loaded 5 documents from ${dataDir}.`);
      expect(bot.stdout).toContain('== Results for “beijing” ==');
      expect(bot.stdout).toContain(
        '1. Director General launches EU-China migration and mobility seminar in Beijing',
      );
      // /about: the version read from package.json two folders up, and the commands from dist/commands.
      expect(bot.stdout).toContain('Version: 0.1.0');
      expect(bot.stdout).toContain('Documents: 5');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('reads the shipped data/sources.json with the compiled CLI', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mnb-data-'));
    try {
      await cp(path.join(ROOT, 'data/sources.json'), path.join(dataDir, 'sources.json'));
      const cli = await run(
        process.execPath,
        [path.join(outDir, 'src/cli/main.js'), 'sources', 'list', '--json'],
        {
          cwd: elsewhere,
          env: { ...PLAIN, DATA_DIR: dataDir },
        },
      );

      expect(cli.code, cli.stderr).toBe(0);
      const { sources } = JSON.parse(cli.stdout) as { sources: { id: string }[] };
      // reliefweb-iom is skipped without RELIEFWEB_APPNAME, as the README says.
      expect(sources.map((s) => s.id)).toEqual([
        'iom-press',
        'iom-press-fr',
        'iom-press-es',
        'un-news-migrants',
        'un-news-migrants-fr',
        'un-news-migrants-es',
        'un-news-migrants-ar',
        'infomigrants',
        'infomigrants-fr',
        'infomigrants-ar',
        'infomigrants-prs',
        'infomigrants-ps',
      ]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('runs the REST proxy: listens on 127.0.0.1, forwards to Discord and stops on SIGTERM', async () => {
    const discord = await LoopbackDiscord.start();
    const proxy = spawn(process.execPath, [path.join(outDir, 'src/restProxy.js')], {
      cwd: elsewhere,
      env: {
        ...process.env,
        ...PLAIN,
        LOG_LEVEL: 'info',
        PROXY_PORT: '0',
        DISCORD_API_BASE: discord.apiBase,
      },
    });
    try {
      let stdout = '';
      proxy.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      const port = await discord.waitFor(() => /"port":(\d+)/.exec(stdout)?.[1], {
        timeoutMs: 20_000,
        description: 'the proxy to listen',
      });
      // PROXY_HOST unset: loopback, as the socket reports it.
      expect(stdout).toMatch(/"msg":"REST proxy listening"/);
      expect(stdout).toContain(`"address":"127.0.0.1","port":${port}`);

      const answer = await fetch(`http://127.0.0.1:${port}/api/v10/gateway/bot`, {
        headers: { authorization: `Bot ${discord.token}` },
      });

      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { url: string }).url).toMatch(/^ws:\/\/127\.0\.0\.1:/);
      expect(discord.requestsTo('GET', '/gateway/bot')).toHaveLength(1);
      proxy.kill('SIGTERM');
      const [code] = (await once(proxy, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      proxy.kill('SIGKILL');
      await discord.close();
    }
  }, 60_000);
});
