import { REST } from 'discord.js';
import { createLibrary, type Library } from '../../src/core/library.js';
import type { DigestLibrary } from '../../src/digests/deliver.js';
import { classifyDiscordError, restPoster } from '../../src/digests/restPoster.js';
import { digestLibrary } from '../../src/digests/topicFilter.js';
import { DigestService, type DigestServiceOptions } from '../../src/digests/service.js';
import { Ingester } from '../../src/ingest/ingester.js';
import { Store } from '../../src/store/store.js';
import { LoopbackDiscord } from '../support/loopbackDiscord.js';
import { makeDataDir } from '../fixtures/dataDir.js';

/** The real search library, fed by ingestion, as digests see it. */
export function digestView(library: Library): DigestLibrary {
  return digestLibrary((id) => (library.has(id) ? library.getDocument(id) : undefined));
}

export interface Harness {
  readonly server: LoopbackDiscord;
  readonly data: ReturnType<typeof makeDataDir>;
  readonly library: Library;
  store: Store;
  ingester: Ingester;
  service: DigestService;
  readonly rest: REST;
  /** Closes the store and opens it again with a fresh service, as a restart would. */
  restart(options?: Partial<DigestServiceOptions>): DigestService;
  close(): Promise<void>;
}

/** A loopback Discord, a data folder with the shipped pages ingested, a store, and a digest service. */
export async function startHarness(options: Partial<DigestServiceOptions> = {}): Promise<Harness> {
  const server = await LoopbackDiscord.start();
  const data = makeDataDir({ shipped: true });
  const library = createLibrary([]);
  // Retries are ours to test: the REST client's own 5xx retries off, and short timeouts.
  const rest = new REST({ api: server.apiBase, retries: 0, timeout: 5_000 }).setToken(server.token);
  const make = (store: Store, more: Partial<DigestServiceOptions> = {}) =>
    new DigestService({
      store,
      library: digestView(library),
      poster: restPoster(rest),
      classify: classifyDiscordError,
      attempts: 2,
      backoffMs: 5,
      ...options,
      ...more,
    });
  const store = Store.open(data.dir);
  const harness: Harness = {
    server,
    data,
    library,
    rest,
    store,
    ingester: new Ingester({ dataDir: data.dir, store, library }),
    service: make(store),
    restart(more = {}) {
      harness.store.close();
      harness.store = Store.open(data.dir);
      harness.ingester = new Ingester({ dataDir: data.dir, store: harness.store, library });
      harness.service = make(harness.store, more);
      return harness.service;
    },
    async close() {
      await harness.service.stop();
      harness.store.close();
      await server.close();
      data.cleanup();
    },
  };
  await harness.ingester.sync();
  return harness;
}

/** Polls until `probe` gives a truthy value (store effects come without a request to wait on). */
export async function until<T>(probe: () => T | undefined | null | false): Promise<T> {
  for (;;) {
    const value = probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}
