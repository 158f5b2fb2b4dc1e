import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyShippedData } from './support/botHarness.js';
import { LoopbackDiscord } from '../loopback/discord.js';
import { deployCommands } from '../src/discord/deployCommands.js';
import { loadConfig } from '../src/config.js';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('npm start with a token (src/main.ts as a child process)', () => {
  let server: LoopbackDiscord;
  let dataDir: string;
  let bot: ChildProcessWithoutNullStreams;
  let stdout = '';

  beforeAll(async () => {
    server = await LoopbackDiscord.start();
    dataDir = await copyShippedData();
    const env = server.botEnv(dataDir, { LOG_LEVEL: 'info' });
    await deployCommands(loadConfig(env));
    bot = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env, RESCAN_INTERVAL_SECONDS: '0' },
    });
    bot.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    await server.waitFor(() => server.loggedInClients > 0, {
      timeoutMs: 30_000,
      description: 'the bot to log in',
    });
  }, 60_000);

  afterAll(async () => {
    if (bot.exitCode === null) bot.kill('SIGKILL');
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('logs in and serves the commands without registering them again', async () => {
    const session = await server.sendSlashCommand('search', { query: 'liljert' }, {});
    expect(session.reply?.embeds[0]?.fields?.length).toBe(2);
    const about = await server.sendSlashCommand('about');
    expect(about.reply?.embeds[0]?.fields?.find((f) => f.name === 'Documents')?.value).toBe('5');
    expect(server.requests.filter((r) => r.path.includes('/commands'))).toHaveLength(1);
  });

  it('writes structured logs on stdout', async () => {
    await server.waitFor(() => stdout.includes('logged in to Discord'));
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'library loaded')).toMatchObject({ documents: 5, failures: 0 });
  });

  it('shuts down cleanly on SIGTERM: closes the gateway and exits 0', async () => {
    bot.kill('SIGTERM');
    const [code] = (await once(bot, 'exit')) as [number | null];
    expect(code).toBe(0);
    await server.waitFor(() => server.loggedInClients === 0);
    expect(stdout).toContain('"msg":"stopped"');
  });
});

describe('npm start with a wrong token', () => {
  it('exits 1 saying it could not log in', async () => {
    const server = await LoopbackDiscord.start();
    const dataDir = await copyShippedData();
    try {
      const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/main.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          DISCORD_TOKEN: 'not-the-token',
          DISCORD_API_BASE: server.apiBase,
          DATA_DIR: dataDir,
          RESCAN_INTERVAL_SECONDS: '0',
          LOG_LEVEL: 'info',
        },
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(out).toContain('"msg":"could not log in to Discord: An invalid token was provided."');
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
