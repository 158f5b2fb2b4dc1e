import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyShippedData } from '../support/botHarness.js';
import { sample } from './scrape.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** src/main.ts as `npm start` runs it, in console mode (no token), with stdin held open. */
function startBot(dataDir: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DISCORD_TOKEN: '', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const until = async <T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> => {
    const deadline = performance.now() + 30_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (performance.now() > deadline) throw new Error(`${what} never happened:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return { child, exited, stdout: () => stdout, stderr: () => stderr, until };
}

/** The log line (JSON, on stderr in console mode) with this message, if any. */
const logged = (stderr: string, msg: string) =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line.msg === msg);

describe('main.ts with METRICS_PORT', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await copyShippedData();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves /healthz and /metrics of the running bot, counting what its commands did, and closes on exit', async () => {
    const bot = startBot(dataDir, { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
    try {
      const url = await bot.until(
        () => logged(bot.stderr(), 'serving /healthz and /metrics')?.url as string | undefined,
        'serving',
      );
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // Not ready while the index loads (if we are quick enough to see it), then ready for good.
      const health = await bot.until(async () => {
        const answer = await fetch(`${url}/healthz`);
        const text = await answer.text();
        if (answer.status === 503) expect(text).toBe('not ready: index loading\n');
        return answer.status === 200 ? text : undefined;
      }, 'ready');
      expect(health).toBe('ok\n');

      bot.child.stdin.write('/search query:beijing\n');
      await bot.until(() => (/Results? for/i.test(bot.stdout()) ? true : undefined), 'a search reply');
      const body = await bot.until(async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return sample(text, 'migration_news_commands_total', {
          command: 'search',
          kind: 'command',
          outcome: 'ok',
        }) === 1
          ? text
          : undefined;
      }, 'the search counted');
      expect(
        sample(body, 'migration_news_command_duration_seconds_count', {
          command: 'search',
          kind: 'command',
        }),
      ).toBe(1);
      expect(sample(body, 'migration_news_library_documents')).toBe(5);

      bot.child.stdin.end();
      expect(await bot.exited).toBe(0);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      bot.child.kill('SIGKILL');
    }
  }, 60_000);

  it('serves nothing when METRICS_PORT is unset or empty', async () => {
    const bot = startBot(dataDir, { METRICS_PORT: '' });
    try {
      await bot.until(() => logged(bot.stderr(), 'library loaded'), 'library loaded');
      bot.child.stdin.end('/about\n');
      expect(await bot.exited).toBe(0);
      expect(bot.stdout()).toContain('Migration News Bot');
      expect(logged(bot.stderr(), 'serving /healthz and /metrics')).toBeUndefined();
    } finally {
      bot.child.kill('SIGKILL');
    }
  }, 60_000);

  it('refuses a bad METRICS_PORT at start with a message naming it (exit 2)', async () => {
    const bot = startBot(dataDir, { METRICS_PORT: 'http' });
    bot.child.stdin.end();
    expect(await bot.exited).toBe(2);
    expect(bot.stderr()).toContain(
      'METRICS_PORT: must be a TCP port number (unset or empty turns /healthz and /metrics off)',
    );
  }, 60_000);
});
