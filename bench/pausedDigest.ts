/**
 * `node --expose-gc --import tsx bench/pausedDigest.ts [documents]`: the digest of a subscription
 * paused while `documents` (default 20,000) pages arrived, composed when it resumes. Prints the
 * time of one composition (DigestDelivery.preview, what a run does before posting), how many
 * topic-filter calls it made and the most candidates one call got, and the live heap while
 * filtering. Real
 * code: the SQLite store, the ingester, the library and the digest runtime as the bot builds them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REST } from 'discord.js';
import { createLibrary } from '../src/core/library.js';
import { createDigestRuntime } from '../src/digests/runtime.js';
import { createLogger } from '../src/logger.js';
import { Store } from '../src/store/store.js';
import { generatePage } from './syntheticCorpus.js';

const documents = Number(process.argv[2] ?? 20_000);
const QUERY = 'migrants';

const heapMb = () => Math.round(process.memoryUsage().heapUsed / 1e5) / 10;
const collect = () => (globalThis as { gc?: () => void }).gc?.();

const dir = mkdtempSync(path.join(tmpdir(), 'paused-digest-'));
const raw = path.join(dir, 'raw');
try {
  const store = await Store.open({ dataDir: dir });
  const runtime = createDigestRuntime({
    dataDir: dir,
    store,
    rescanIntervalSeconds: 0,
    library: createLibrary([]),
    logger: createLogger('silent'),
    rest: new REST({ api: 'http://127.0.0.1:9/api' }),
  });
  const { service, ingester } = runtime;
  const subscription = await service.subscribe({
    guildId: '1'.repeat(18),
    channelId: '2'.repeat(18),
    cron: '0 9 * * *',
    timezone: 'UTC',
    query: QUERY,
    backfill: 0,
  });
  await service.pause(subscription.guildId, subscription.id);
  mkdirSync(raw, { recursive: true });
  for (let n = 0; n < documents; n++) {
    const page = generatePage(n, { count: documents, projectShare: 0.1 });
    writeFileSync(path.join(raw, page.fileName), page.text);
  }
  const ingestStarted = performance.now();
  await ingester.sync();
  const ingestMs = performance.now() - ingestStarted;

  const resumed = (await store.subscriptions.get(subscription.id))!;
  // First pass timed as it runs; second pass with a full collection inside every topic filter, so
  // the heap read there is what the composition holds alive at that point (the index, the page's
  // records, the items kept), not garbage awaiting collection.
  collect();
  const heapBefore = heapMb();
  const started = performance.now();
  const { plan } = await service.delivery.preview(resumed);
  const ms = Math.round(performance.now() - started);

  const delivery = service.delivery as unknown as {
    options: { library: { matching: (q: string, r: readonly unknown[]) => ReadonlySet<string> } };
  };
  const filter = delivery.options.library;
  const matching = filter.matching.bind(filter);
  let largestCall = 0;
  let calls = 0;
  let liveHeapMb = 0;
  filter.matching = (query, records) => {
    const ids = matching(query, records);
    calls++;
    largestCall = Math.max(largestCall, records.length);
    collect();
    liveHeapMb = Math.max(liveHeapMb, heapMb());
    return ids;
  };
  await service.delivery.preview(resumed);
  console.info(
    JSON.stringify({
      documents,
      ingestSeconds: Math.round(ingestMs / 100) / 10,
      composeMs: ms,
      items: plan.articleCount + plan.projectCount,
      remaining: plan.remaining,
      filterCalls: calls,
      largestFilterCall: largestCall,
      heapBeforeMb: heapBefore,
      liveHeapWhileFilteringMb: liveHeapMb,
    }),
  );
  await runtime.stop();
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
