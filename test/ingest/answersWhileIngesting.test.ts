import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { deployCommands } from '../../src/discord/deployCommands.js';
import { Store } from '../../src/store/store.js';
import { LoopbackDiscord, type InteractionSession } from '../../loopback/discord.js';
import { makeDataDir } from '../fixtures/dataDir.js';
import { dropArticle } from '../digests/articles.js';
import { shippedProcesses } from '../support/shippedProcess.js';

/**
 * The shipped bot (src/main.ts as `npm start` runs it) on its first start over thousands of pages
 * it has never logged: it builds its index, logs in, then records every page in the ingestion log.
 * Interactions arrive from the moment it logs in, at ~100/s, as on a busy server; Discord gives
 * each 3 s, so the recording must leave the event loop free.
 */
const PAGES = 10_000;
const INTERVAL_MS = 10;
const DEADLINE_MS = 3000;
const COUNTRIES = ['Chad', 'Peru', 'Mali', 'Nepal', 'Kenya'];

describe('the shipped bot on a first start over new pages (src/main.ts, loopback Discord)', () => {
  let server: LoopbackDiscord;
  const data = makeDataDir({ shipped: true });
  const processes = shippedProcesses();
  let env: Record<string, string>;

  beforeAll(async () => {
    for (let n = 0; n < PAGES; n++) dropArticle(data.raw, n, COUNTRIES[n % COUNTRIES.length]);
    server = await LoopbackDiscord.start();
    env = server.botEnv(data.dir, { LOG_LEVEL: 'info', RESCAN_INTERVAL_SECONDS: '0' });
    await deployCommands(loadConfig(env));
  });
  afterAll(async () => {
    processes.killAll();
    await server.close();
    data.cleanup();
  });

  it(
    `answers every interaction within 3 s from login on, while it logs ${PAGES} new pages once each`,
    { timeout: 60_000 },
    async () => {
      const bot = processes.start('src/main.ts', env);
      await server.waitFor(() => server.loggedInClients > 0 || bot.child.exitCode !== null, {
        timeoutMs: 40_000,
        description: 'the bot to log in',
      });
      expect(server.loggedInClients, bot.output()).toBe(1);

      interface Sent {
        readonly session: InteractionSession | undefined;
        readonly sentAt: number;
        answeredAt?: number;
      }
      const sent: Sent[] = [];
      let isReconciled = false;
      let isFinished = false;
      let sentBeforeReconciled = 0;
      const timer = setInterval(() => {
        let session: InteractionSession | undefined;
        try {
          session = server.startSlashCommand('search', { query: COUNTRIES[sent.length % 5] ?? 'Chad' });
        } catch {
          // The gateway connection dropped (missed heartbeats): the interaction is lost, a failure.
        }
        sent.push({ session, sentAt: Date.now() });
        if (!isReconciled) sentBeforeReconciled++;
      }, INTERVAL_MS);
      // One probe, run after every request the server handles, stamps each answer as it comes.
      const isDone = () => {
        const now = Date.now();
        for (const s of sent) if (s.answeredAt === undefined && s.session?.callback) s.answeredAt = now;
        return isFinished && sent.every((s) => s.answeredAt !== undefined || now - s.sentAt > DEADLINE_MS);
      };
      const stamping = server.waitFor(isDone, { timeoutMs: 50_000, description: 'every answer' });
      try {
        await server.waitFor(() => bot.logged('digests recovered') || bot.child.exitCode !== null, {
          timeoutMs: 40_000,
          description: 'the ingestion log to be reconciled',
        });
        isReconciled = true;
        // A second more of interactions once it is ready.
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } finally {
        clearInterval(timer);
        isFinished = true;
      }
      await stamping;

      expect(bot.logged('digests recovered'), bot.output()).toBe(true);
      // The interactions did overlap the recording of the pages.
      expect(sentBeforeReconciled).toBeGreaterThan(0);
      const late = sent.filter((s) => s.answeredAt === undefined || s.answeredAt - s.sentAt > DEADLINE_MS);
      expect(late.length, `${late.length} of ${sent.length} interactions not answered within 3 s`).toBe(0);
      const answers = sent.map((s) => s.session?.reply?.content ?? s.session?.reply?.embeds?.[0]?.title);
      expect(answers.every((a) => a !== undefined)).toBe(true);

      bot.child.kill('SIGTERM');
      expect((await bot.exited).code, bot.output()).toBe(0);
      // Every page logged as new exactly once.
      const store = await Store.open(data.dir);
      try {
        const entries = await store.log.entries(0);
        const ids = entries.map((e) => e.docId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(entries.filter((e) => e.docId.endsWith('_article'))).toHaveLength(PAGES);
        expect(entries.every((e) => e.event === 'new')).toBe(true);
      } finally {
        await store.close();
      }
    },
  );
});
