import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChannelType, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { makeDataDir } from '../fixtures/dataDir.js';
import { LoopbackDiscord } from '../support/loopbackDiscord.js';
import { dropArticle } from './articles.js';
import { mulberry32 as random } from '../../src/util/random.js';

const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crashRunner.ts');
const CHANNELS = ['digest-a', 'digest-b', 'digest-c'];
const BATCH = 30; // articles per batch: two messages per digest
const KILLS = 20;

const docIds = (messages: readonly APIMessage[]) =>
  messages.flatMap((m) =>
    (m.components ?? []).flatMap((row) =>
      'components' in row
        ? row.components.flatMap((c) => ('custom_id' in c ? [c.custom_id.split(':')[2] ?? ''] : []))
        : [],
    ),
  );

describe('digests under SIGKILL (child process, loopback Discord answering slowly, nonce + enforce_nonce)', () => {
  let server: LoopbackDiscord;
  const data = makeDataDir({ shipped: true });
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    server = await LoopbackDiscord.start({
      guilds: [{ channels: CHANNELS.map((name) => ({ name, type: ChannelType.GuildText })) }],
    });
    // Every message takes a while: kills land while posts are in flight.
    server.inject({
      method: 'POST',
      path: /^\/channels\/\d+\/messages$/,
      fault: { kind: 'delay', ms: 25 },
      times: Infinity,
    });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await server.close();
    data.cleanup();
  });

  const outputs: string[] = [];
  function start(): { child: ChildProcess; exited: Promise<number | null> } {
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER], {
      env: { ...process.env, DATA_DIR: data.dir, API_BASE: server.apiBase, TOKEN: server.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    let stdout = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        children.delete(child);
        outputs.push(stdout.trim());
        if (code !== 0 && code !== null) process.stderr.write(`runner failed (${code}): ${stderr}\n`);
        resolve(code);
      }),
    );
    return { child, exited };
  }

  it(
    'delivers every article exactly once per subscription, whatever the kill point',
    { timeout: 120_000 },
    async () => {
      // Subscriptions first, at the end of the (shipped) log; then articles arrive in batches.
      await (async () => {
        const first = start();
        expect(await first.exited).toBe(0); // logs the shipped pages
      })();
      const store = Store.open(data.dir);
      for (const name of CHANNELS) {
        store.createSubscription({
          guildId: server.guild.id,
          channelId: server.channel(name).id,
          cron: '0 9 * * *',
          timezone: 'UTC',
          query: null,
          backfill: 0,
        });
      }
      store.close();

      const next = random(20261123);
      const posts = () => server.requestsTo('POST', /^\/channels\/\d+\/messages$/).length;
      let dropped = 0;
      const kinds: Record<string, number> = { 'in-flight post': 0, 'after a post': 0, timed: 0 };
      let kills = 0;
      let completed = 0;
      for (let round = 0; round < KILLS; round++) {
        if (round % 2 === 0) {
          for (let k = 0; k < BATCH; k++)
            dropArticle(data.raw, dropped++, ['Chad', 'Peru', 'Mali', 'Nepal'][k % 4]);
        }
        const base = posts();
        const run = start();
        const mode = next();
        let kind: string;
        if (mode < 0.45) {
          // Kill while the k-th post of this run is waiting for its answer.
          kind = 'in-flight post';
          const k = 1 + Math.floor(next() * 6);
          await Promise.race([
            server.waitFor(() => posts() >= base + k, { timeoutMs: 20_000 }).catch(() => undefined),
            run.exited,
          ]);
        } else if (mode < 0.8) {
          // Kill just after an answer: between Discord accepting a part and the store recording it.
          kind = 'after a post';
          const k = 1 + Math.floor(next() * 6);
          await Promise.race([
            server
              .waitFor(
                () =>
                  server
                    .requestsTo('POST', /^\/channels\/\d+\/messages$/)
                    .slice(base)
                    .filter((r) => r.status !== undefined).length >= k,
                { timeoutMs: 20_000 },
              )
              .catch(() => undefined),
            run.exited,
          ]);
          await new Promise((r) => setTimeout(r, next() * 3));
        } else {
          kind = 'timed';
          await Promise.race([new Promise((r) => setTimeout(r, 100 + next() * 700)), run.exited]);
        }
        if (run.child.exitCode === null) {
          run.child.kill('SIGKILL');
          kills++;
          kinds[kind] = (kinds[kind] ?? 0) + 1;
        } else {
          completed++;
        }
        await run.exited;
      }
      // Then let it run undisturbed until a run posts nothing: a backlog over 100 items per digest
      // (kills before composing let batches pile up) takes more than one digest by design.
      let finalRuns = 0;
      for (let before = -1; posts() !== before && finalRuns < 10; finalRuns++) {
        before = posts();
        expect(await start().exited).toBe(0);
      }
      expect(finalRuns, outputs.slice(-3).join('\n')).toBeLessThan(10);

      const check = Store.open(data.dir);
      try {
        expect(check.pendingDeliveries()).toEqual([]);
        const articles = Array.from(
          { length: dropped },
          (_, n) => `9${String(n).padStart(4, '0')}_article`,
        ).sort();
        for (const s of check.listSubscriptions()) {
          const ids = docIds(server.channelMessages(s.channelId));
          expect(ids.length).toBe(articles.length); // no duplicate...
          expect([...ids].sort()).toEqual(articles); // ...and nothing missing
          expect(s.cursorSeq).toBe(check.latestSeq());
        }
      } finally {
        check.close();
      }
      process.stderr.write(
        `crash test: ${kills} SIGKILLs (${Object.entries(kinds)
          .map(([k, v]) => `${v} ${k}`)
          .join(
            ', ',
          )}), ${completed} runs finished before their kill point, ${finalRuns} undisturbed runs to finish, ${dropped} articles × ${CHANNELS.length} subscriptions, ${posts()} POSTs for ${CHANNELS.reduce((n, name) => n + server.channelMessages(server.channel(name).id).length, 0)} messages\n`,
      );
      expect(kills).toBeGreaterThanOrEqual(KILLS - 6);
    },
  );
});
