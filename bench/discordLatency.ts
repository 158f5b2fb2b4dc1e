/**
 * Autocomplete and command latencies of the bot, measured end to end: the loopback Discord server
 * sends an interaction over the gateway, the real discord.js client dispatches it to the command,
 * and the clock stops when the answer reaches the server's REST endpoint. Also reports the time
 * spent in the handler alone (the dispatcher's `interaction handled` log line).
 *
 * `npx tsx bench/discordLatency.ts [--count N ...]` (default: the shipped pages, then 10,000
 * synthetic pages added). Not a test: numbers depend on the machine.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { APIMessage } from 'discord.js';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createApp } from '../src/app.js';
import { deployCommands } from '../src/discord/deployCommands.js';
import { LoopbackDiscord } from '../loopback/discord.js';
import { writeCorpus } from './syntheticCorpus.js';

/** The components of a message's rows (buttons, menus), flattened. */
type Component = { custom_id: string; label?: string; disabled?: boolean };
function componentsOf(message: APIMessage | undefined): Component[] {
  return (message?.components ?? []).flatMap((row) =>
    'components' in row ? (row.components as unknown as Component[]) : [],
  );
}

const ROUNDS = 200;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (ms: number) => ms.toFixed(2).padStart(7);

function summarize(label: string, roundTrips: number[], handler: number[]): string {
  const rt = [...roundTrips].sort((a, b) => a - b);
  const h = [...handler].sort((a, b) => a - b);
  return `${label.padEnd(24)} ${fmt(percentile(rt, 50))} ${fmt(percentile(rt, 95))} ${fmt(percentile(rt, 99))}   ${fmt(percentile(h, 50))} ${fmt(percentile(h, 99))}`;
}

async function measure(extra: number): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mnb-latency-'));
  await cp(path.resolve(import.meta.dirname, '../data/raw'), path.join(dataDir, 'raw'), { recursive: true });
  if (extra > 0) await writeCorpus(path.join(dataDir, 'raw'), { count: extra, seed: 7 });
  const server = await LoopbackDiscord.start();
  const handled: number[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write: (line: string) => {
        const entry = JSON.parse(line) as { msg: string; ms?: number };
        if (entry.msg === 'interaction handled' && typeof entry.ms === 'number') handled.push(entry.ms);
      },
    },
  );
  const config = loadConfig({
    DISCORD_TOKEN: server.token,
    DISCORD_APPLICATION_ID: server.applicationId,
    DISCORD_GUILD_ID: server.guild.id,
    DISCORD_API_BASE: server.apiBase,
    DATA_DIR: dataDir,
  });
  // The program as main.ts builds it (store, library, digests, sources, the client).
  const loadStarted = performance.now();
  const app = await createApp(config, { logger, version: 'bench' });
  const loadMs = performance.now() - loadStarted;
  const { library, documentCount } = app.loaded;
  await deployCommands(config);
  await app.start();

  const docs = library.documents();
  const words = [...new Set(docs.flatMap((d) => d.title.toLowerCase().match(/\p{L}{4,}/gu) ?? []))];
  const pick = <T>(list: readonly T[], i: number) => list[(i * 7919) % list.length]!;
  const contacts = library.contacts.all();
  const projects = docs.filter((d) => d.project);

  console.log(`\n${documentCount} documents (store and library ready in ${loadMs.toFixed(0)} ms)`);
  console.log(
    `${'interaction'.padEnd(24)} ${'rt p50'.padStart(7)} ${'rt p95'.padStart(7)} ${'rt p99'.padStart(7)}   ${'h p50'.padStart(7)} ${'h p99'.padStart(7)}   (ms; rt = round trip, h = handler)`,
  );
  const run = async (label: string, once: (i: number) => Promise<unknown>) => {
    const times: number[] = [];
    handled.length = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      await once(i);
      times.push(performance.now() - started);
    }
    console.log(summarize(label, times, handled));
  };
  await run('autocomplete /search', (i) =>
    server.sendAutocomplete('search', { query: pick(words, i).slice(0, 3) }, 'query'),
  );
  await run('autocomplete /article', (i) =>
    server.sendAutocomplete('article', { id: pick(words, i).slice(0, 4) }, 'id'),
  );
  await run('autocomplete /contact', (i) =>
    server.sendAutocomplete('contact', { name: pick(contacts, i).name.slice(0, 3) }, 'name'),
  );
  await run('/search', (i) =>
    server.sendSlashCommand('search', { query: `${pick(words, i)} ${pick(words, i + 1)}` }),
  );
  await run('/search next page', async (i) => {
    const first = await server.sendSlashCommand('search', { query: pick(words, i) });
    const next = componentsOf(first.reply).find((c) => c.label === 'Next ▶' && !c.disabled);
    if (next) await server.clickButton(next.custom_id, first.reply!);
  });
  await run('/article', (i) => server.sendSlashCommand('article', { id: pick(docs, i).id }));
  await run('/contact', (i) => server.sendSlashCommand('contact', { name: pick(contacts, i).name }));
  if (projects.length)
    await run('/project', (i) =>
      server.sendSlashCommand('project', {
        query: pick(projects, i).project!.primaId ?? pick(projects, i).title,
      }),
    );
  await run('/about', () => server.sendSlashCommand('about'));

  await app.stop();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}

const counts = process.argv.includes('--count')
  ? process.argv.flatMap((arg, i) => (process.argv[i - 1] === '--count' ? [Number(arg)] : []))
  : [0, 10_000];
for (const count of counts) await measure(count);
