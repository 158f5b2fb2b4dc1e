import { afterEach, describe, expect, it } from 'vitest';
import { DigestService } from '../../src/digests/service.js';
import { digestLibrary } from '../../src/digests/topicFilter.js';
import { DigestScheduler } from '../../src/scheduler.js';
import { Store } from '../../src/store/store.js';
import { freshLocation } from '../support/stores.js';

const GUILD = '1'.repeat(18);
const CHANNEL = '2'.repeat(18);

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** One bot process's digest service and real scheduler over a shared PostgreSQL store. */
async function botProcess(location: Awaited<ReturnType<typeof freshLocation>>) {
  const store = await Store.open(location);
  const service = new DigestService({
    store,
    library: digestLibrary(() => undefined),
    poster: {
      post: () => Promise.reject(new Error('nothing is posted in this test')),
      findPosted: () => Promise.resolve(undefined),
    },
    classify: () => ({ kind: 'transient', reason: 'unused' }),
  });
  const scheduler = new DigestScheduler(() => undefined);
  await service.attachScheduler(scheduler);
  cleanups.push(async () => {
    await service.stop();
    await store.close();
  });
  return { service, scheduler };
}

describe('subscriptions shared by several processes (PostgreSQL)', () => {
  it('reach every process’s scheduler at its next sweep: subscribe, pause, resume, remove', async () => {
    const location = await freshLocation('postgres');
    cleanups.push(location.cleanup);
    const a = await botProcess(location);
    const b = await botProcess(location);

    const s = await a.service.subscribe({
      guildId: GUILD,
      channelId: CHANNEL,
      cron: '0 9 * * *',
      timezone: 'UTC',
      query: null,
      backfill: 0,
    });
    expect(a.scheduler.scheduledIds()).toEqual([s.id]);
    expect(b.scheduler.scheduledIds()).toEqual([]);
    // The sweep's first step (every DIGEST_SWEEP_SECONDS) brings B in line.
    await b.service.syncScheduler();
    expect(b.scheduler.scheduledIds()).toEqual([s.id]);

    await a.service.pause(GUILD, s.id);
    await b.service.syncScheduler();
    expect(b.scheduler.scheduledIds()).toEqual([]);
    // A run B's timer started anyway finds the pause at once: it re-reads the subscription.
    expect(await b.service.send(s.id)).toEqual({ kind: 'not-active', status: 'paused' });

    await a.service.resume(GUILD, s.id);
    await b.service.syncScheduler();
    expect(b.scheduler.scheduledIds()).toEqual([s.id]);

    await a.service.remove(GUILD, s.id);
    await b.service.syncScheduler();
    expect(b.scheduler.scheduledIds()).toEqual([]);
    expect(await b.service.send(s.id)).toEqual({ kind: 'not-active', status: 'missing' });
  });
});
