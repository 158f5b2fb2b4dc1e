import { ChannelType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 as random } from '../../src/util/random.js';
import { loadConfig } from '../../src/config.js';
import { deployCommands } from '../../src/discord/deployCommands.js';
import { Store } from '../../src/store/store.js';
import { makeDataDir } from '../fixtures/dataDir.js';
import { LoopbackDiscord, type InteractionSession } from '../../loopback/discord.js';
import { shippedProcesses, type ShippedProcess } from '../support/shippedProcess.js';
import { docIds, dropArticle } from './articles.js';

/**
 * The shipped bot (what `npm start` runs: `node --import tsx src/main.ts`) as a child process
 * against the loopback Discord, SIGKILLed at 50 points: during start-up and recovery, before a post,
 * while Discord holds the answer to a message it already stored, between parts. After some kills
 * the server forgets every nonce, as Discord does after a few minutes, so only the bot's own look
 * at the channel's history prevents a duplicate. In the end every article is in every subscribed
 * channel exactly once.
 */
const CHANNELS = ['digest-a', 'digest-b', 'digest-c'];
const KILL_POINTS = 50;
const BATCH = 30; // articles per batch, every other round: two messages per digest
const HOLD_MS = 60; // each message is stored at once and answered this much later
const MESSAGE_POSTS = /^\/channels\/\d+\/messages$/;

describe('digests under SIGKILL of the shipped bot (src/main.ts as npm start runs it, loopback Discord)', () => {
  let server: LoopbackDiscord;
  const data = makeDataDir({ shipped: true });
  const processes = shippedProcesses();
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await LoopbackDiscord.start({
      guilds: [{ channels: CHANNELS.map((name) => ({ name, type: ChannelType.GuildText })) }],
    });
    env = server.botEnv(data.dir, { LOG_LEVEL: 'info', RESCAN_INTERVAL_SECONDS: '0' });
    await deployCommands(loadConfig(env));
    server.inject({
      method: 'POST',
      path: MESSAGE_POSTS,
      fault: { kind: 'delayAnswer', ms: HOLD_MS },
      times: Infinity,
    });
  });
  afterAll(async () => {
    processes.killAll();
    await server.close();
    data.cleanup();
  });

  const startBot = (): ShippedProcess => processes.start('src/main.ts', env);

  const moderator = () => ({ user: server.owner });
  const isAnswered = (s: InteractionSession) =>
    s.callback !== undefined && (!s.isDeferred || s.edits > 0 || s.followUpIds.length > 0);
  const messagePosts = () => server.requestsTo('POST', MESSAGE_POSTS);
  const ready = (bot: ShippedProcess) =>
    server.waitFor(() => bot.logged('digests recovered') || bot.child.exitCode !== null, {
      timeoutMs: 60_000,
      description: 'the bot to recover its digests',
    });

  it(
    `delivers every article exactly once per subscription over ${KILL_POINTS} SIGKILLs, forgotten nonces included`,
    { timeout: 300_000 },
    async () => {
      const started = Date.now();
      // Subscribe through the commands, then stop cleanly: the subscriptions start at the end of the log.
      const first = startBot();
      await ready(first);
      const ids: number[] = [];
      for (const name of CHANNELS) {
        const session = await server.sendSlashCommand(
          'digest subscribe',
          { channel: server.channel(name).id, schedule: '0 9 * * *' },
          moderator(),
        );
        ids.push(Number(/#(\d+)/.exec(session.reply?.content ?? '')?.[1]));
      }
      expect(ids.every((id) => id > 0)).toBe(true);
      first.child.kill('SIGTERM');
      expect((await first.exited).code, first.output()).toBe(0);

      const next = random(20261123);
      const landed: Record<string, number> = {
        'start-up or recovery': 0,
        'before a post': 0,
        'mid-post (stored, answer held)': 0,
        'between parts': 0,
        'after the sends': 0,
      };
      let forgotten = 0;
      const readyMs: number[] = [];
      let midPostThenForgotten = 0;
      let dropped = 0;
      for (let round = 0; round < KILL_POINTS; round++) {
        if (round % 2 === 0) {
          for (let k = 0; k < BATCH; k++)
            dropArticle(data.raw, dropped++, ['Chad', 'Peru', 'Mali', 'Nepal'][k % 4]);
        }
        const base = messagePosts().length;
        const bot = startBot();
        const sinceStart = () => messagePosts().slice(base);
        const inFlight = () => sinceStart().some((r) => r.status === undefined);
        const aim = round % 5; // spread the kills over every phase
        const spawnedAt = Date.now();
        let sends: InteractionSession[] = [];
        if (aim === 0) {
          // Somewhere in start-up: loading, logging in, reconciling raw/, finishing pending parts.
          await Promise.race([new Promise((r) => setTimeout(r, 300 + next() * 1200)), bot.exited]);
        } else {
          await ready(bot);
          readyMs.push(Date.now() - spawnedAt);
          sends = ids.map((id) => server.startSlashCommand('digest send', { id }, moderator()));
          const k = 1 + Math.floor(next() * 4);
          if (aim === 1) {
            // Before the first post of the sends: as soon as the bot has deferred them.
            await server.waitFor(() => sends.every((s) => s.callback !== undefined), { timeoutMs: 20_000 });
          } else {
            // While the k-th message of this run is stored but its answer held (aims 2, 3), or
            // just after the k-th answer (aim 4).
            await server.waitFor(
              () =>
                bot.child.exitCode !== null ||
                sends.every(isAnswered) || // fewer parts than k: killed once the sends are over
                (aim === 4
                  ? sinceStart().filter((r) => r.status !== undefined).length >= k
                  : sinceStart().length >= k),
              { timeoutMs: 20_000 },
            );
          }
        }
        const kind = inFlight()
          ? 'mid-post (stored, answer held)'
          : !bot.logged('digests recovered')
            ? 'start-up or recovery'
            : sends.length > 0 && sends.every(isAnswered)
              ? 'after the sends'
              : sinceStart().length === 0
                ? 'before a post'
                : 'between parts';
        expect(bot.child.exitCode, bot.output()).toBeNull();
        bot.child.kill('SIGKILL');
        expect((await bot.exited).signal).toBe('SIGKILL');
        landed[kind] = (landed[kind] ?? 0) + 1;
        // Discord forgets nonces after a few minutes: after every kill mid-post, and some others.
        if (kind === 'mid-post (stored, answer held)' || next() < 0.3) {
          server.forgetNonces();
          forgotten++;
          if (kind === 'mid-post (stored, answer held)') midPostThenForgotten++;
        }
      }

      // Undisturbed: send until nothing is new (a backlog over 100 items takes several digests).
      const last = startBot();
      await ready(last);
      let sends = 0;
      for (let quiet = false; !quiet && sends < 20; sends++) {
        const replies = await Promise.all(
          ids.map((id) => server.sendSlashCommand('digest send', { id }, moderator())),
        );
        quiet = replies.every((s) => s.reply?.content?.startsWith('Nothing new for digest'));
      }
      expect(sends, last.output()).toBeLessThan(20);
      last.child.kill('SIGTERM');
      expect((await last.exited).code, last.output()).toBe(0);

      const check = await Store.open(data.dir);
      try {
        expect(await check.deliveries.pending()).toEqual([]);
        const articles = Array.from({ length: dropped }, (_, n) => `9${String(n).padStart(4, '0')}_article`);
        for (const s of await check.subscriptions.list()) {
          const posted = docIds(server.channelMessages(s.channelId));
          expect(posted.length).toBe(articles.length); // no duplicate...
          expect([...posted].sort()).toEqual(articles); // ...and nothing missing
          expect(s.cursorSeq).toBe(await check.log.latestSeq());
        }
      } finally {
        await check.close();
      }
      const kills = Object.values(landed).reduce((a, b) => a + b, 0);
      const lookups = server.requestsTo('GET', MESSAGE_POSTS).length;
      process.stderr.write(
        `crash test: ${kills} SIGKILLs of src/main.ts (${Object.entries(landed)
          .map(([k, v]) => `${v} ${k}`)
          .join(
            ', ',
          )}); nonces forgotten ${forgotten} times (${midPostThenForgotten} right after a kill mid-post); ` +
          `${lookups} history lookups; ${dropped} articles × ${CHANNELS.length} subscriptions, ${messagePosts().length} POSTs for ` +
          `${CHANNELS.reduce((n, name) => n + server.channelMessages(server.channel(name).id).length, 0)} messages; ` +
          `${sends} rounds of sends to finish; start to recovered ${Math.round(readyMs.reduce((a, b) => a + b, 0) / readyMs.length)} ms on average; ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
      expect(kills).toBe(KILL_POINTS);
      expect(midPostThenForgotten).toBeGreaterThanOrEqual(5);
      expect(lookups).toBeGreaterThan(0);
    },
  );
});
