import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, StartError, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { BotHarness, copyShippedData, type LogLine } from './support/botHarness.js';
import { addExtraPages, extraTitle } from './support/extraPages.js';

/** Polls until `probe` holds. */
async function until(probe: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!probe()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('app (the composition root)', () => {
  describe('createApp in console mode (no DISCORD_TOKEN)', () => {
    let dataDir: string;
    let app: App;
    const logs: LogLine[] = [];
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    let running: Promise<void>;

    beforeAll(async () => {
      dataDir = await copyShippedData();
      output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
      const logger = pino(
        { level: 'debug' },
        { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
      );
      app = await createApp(loadConfig({ DATA_DIR: dataDir }), {
        logger,
        console: { input, output, interactive: false },
      });
      running = app.start();
    });

    afterAll(async () => {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('runs without a Discord client, over the one store of the process', () => {
      expect(app.mode).toBe('console');
      expect(app.client).toBeUndefined();
      expect(app.digests).toBeUndefined();
      expect(app.ingestion?.ingester).toBeDefined();
      expect(app.library.documentCount).toBe(5);
    });

    it('watches raw/ as the bot does: a page added while it runs is found by /search', async () => {
      await until(() => logs.some((l) => l.msg === 'ingestion log reconciled with raw/'), 'the first pass');
      await addExtraPages(dataDir, 1);
      await until(() => app.library.documentCount === 6, 'the new page in the library');
      expect((await app.store.log.entries(0)).some((e) => e.docId === '901_extra')).toBe(true);
      input.end('/search query:seminar 01 mobility\n');
      await running;
      await app.finished;
      expect(printed).toContain(`1. ${extraTitle(1).slice(0, 40)}`);
    });
  });

  describe('createApp in Discord mode (loopback Discord)', () => {
    let bot: BotHarness;
    beforeAll(async () => {
      bot = await BotHarness.start();
    });
    afterAll(async () => {
      await bot.close();
    });

    it('gives the digests the process’s store rather than opening a second one', () => {
      expect(bot.app.mode).toBe('discord');
      expect(bot.digests?.store).toBe(bot.app.store);
      expect(bot.digests?.service.store).toBe(bot.app.store);
      expect(bot.app.ingestion).toBeUndefined();
    });

    it('stops once, however many times it is asked', async () => {
      const stopping = [bot.app.stop(), bot.app.stop()];
      expect(stopping[0]).toBe(stopping[1]);
      await Promise.all(stopping);
      await bot.server.waitFor(() => bot.server.loggedInClients === 0);
      await bot.restart();
      expect(bot.client.isReady()).toBe(true);
    });
  });

  describe('createApp refusing to start', () => {
    it('names every problem of sources.json at once (exit code 2), opening nothing', async () => {
      const dataDir = await copyShippedData();
      try {
        await writeFile(path.join(dataDir, 'sources.json'), JSON.stringify({ sources: [{ id: 'x' }] }));
        const refused = createApp(loadConfig({ DATA_DIR: dataDir }), { logger: pino({ level: 'silent' }) });
        await expect(refused).rejects.toBeInstanceOf(StartError);
        await expect(refused).rejects.toMatchObject({ exitCode: 2 });
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it('stops the start on a store it cannot open safely (exit code 1), leaving the file intact', async () => {
      const dataDir = await copyShippedData();
      try {
        await writeFile(path.join(dataDir, 'bot.sqlite'), 'not a database');
        const refused = createApp(loadConfig({ DATA_DIR: dataDir }), { logger: pino({ level: 'silent' }) });
        await expect(refused).rejects.toMatchObject({ name: 'StartError', exitCode: 1 });
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
});
