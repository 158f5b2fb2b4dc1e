import { REST } from 'discord.js';
import { pino, type Logger } from 'pino';
import { createLibrary, type Library } from '../../src/core/library.js';
import type { DigestService } from '../../src/digests/service.js';
import { createDigestRuntime, type DigestRuntime, type DigestTuning } from '../../src/digests/runtime.js';
import type { Ingester } from '../../src/ingest/ingester.js';
import type { BotMetrics } from '../../src/ops/metrics.js';
import { Store } from '../../src/store/store.js';
import { LoopbackDiscord } from '../../loopback/discord.js';
import { makeDataDir } from '../fixtures/dataDir.js';

/** What a restart may change: the endpoint (a REST elsewhere) and the numbers, never a component. */
export type RestartOptions = DigestTuning & { readonly rest?: REST };

export interface Harness {
  readonly server: LoopbackDiscord;
  readonly data: ReturnType<typeof makeDataDir>;
  readonly library: Library;
  /** The runtime as `createDigestRuntime` built it (main.ts's factory), and its parts. */
  runtime: DigestRuntime;
  readonly store: Store;
  readonly ingester: Ingester;
  readonly service: DigestService;
  /** The REST the runtime posts through, pointed at the loopback server. */
  readonly rest: REST;
  /**
   * Another process on the same data (the same store): a second runtime built by the shipped
   * factory, with its own claim owner; stopped by `close()`.
   */
  another(tuning?: DigestTuning): DigestRuntime;
  /** Stops the runtime, reopens the store and builds a new one over the same data, as a restart. */
  restart(options?: RestartOptions): Promise<DigestService>;
  close(): Promise<void>;
}

/**
 * A loopback Discord, a data folder with the shipped pages ingested, and the digest runtime built
 * by the shipped factory. Only the endpoint and numbers differ from production: a REST pointed at
 * the loopback server with the REST client's own 5xx retries off (the retries under test are the
 * service's), and short backoffs.
 */
export async function startHarness(
  tuning: DigestTuning = {},
  {
    metrics,
    logger = pino({ level: 'silent' }),
    maxAgeDays,
  }: {
    metrics?: BotMetrics;
    logger?: Logger;
    /** sources.json's `maxAgeDays` per live source, as createApp hands it to the runtime. */
    maxAgeDays?: (sourceId: string) => number | undefined;
  } = {},
): Promise<Harness> {
  const server = await LoopbackDiscord.start();
  const data = makeDataDir({ shipped: true });
  const library = createLibrary([]);
  const rest = new REST({ api: server.apiBase, retries: 0, timeout: 5_000 }).setToken(server.token);
  // The store as the process opens it (one per process), reopened on a restart.
  let store = await Store.open(data.dir);
  const make = (more: RestartOptions = {}) =>
    createDigestRuntime({
      dataDir: data.dir,
      store,
      rescanIntervalSeconds: 0,
      library,
      logger,
      rest: more.rest ?? rest,
      tuning: { attempts: 2, backoffMs: 5, ...tuning, ...more },
      metrics,
      maxAgeDays,
    });
  const others: DigestRuntime[] = [];
  const harness: Harness = {
    server,
    data,
    library,
    rest,
    runtime: make(),
    get store() {
      return store;
    },
    get ingester() {
      return harness.runtime.ingester;
    },
    get service() {
      return harness.runtime.service;
    },
    another(more = {}) {
      const runtime = make(more);
      others.push(runtime);
      return runtime;
    },
    async restart(more = {}) {
      await harness.runtime.stop();
      await store.close();
      store = await Store.open(data.dir);
      harness.runtime = make(more);
      return harness.runtime.service;
    },
    async close() {
      for (const other of others) await other.stop();
      await harness.runtime.stop();
      await store.close();
      await server.close();
      data.cleanup();
    },
  };
  await harness.ingester.sync();
  return harness;
}

/** Polls until `probe` gives a truthy value (store effects come without a request to wait on). */
export async function until<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** From now on Discord answers every message post with a 500 (an outage the service must ride out). */
export function failEveryPost(server: LoopbackDiscord): void {
  server.inject({
    method: 'POST',
    path: /\/channels\/\d+\/messages/,
    fault: { kind: 'serverError', status: 500 },
    times: Infinity,
  });
}
