import { REST } from 'discord.js';
import type { DocumentRecord } from '../../src/core/record.js';
import { createSimpleLibrary } from '../../src/discord/simpleLibrary.js';
import type { DigestLibrary } from '../../src/digests/deliver.js';
import { classifyDiscordError, restPoster } from '../../src/digests/discord.js';
import { digestLibrary } from '../../src/digests/library.js';
import { DigestService, type DigestServiceOptions } from '../../src/digests/service.js';
import { Ingester, type LibraryWriter } from '../../src/ingest/ingester.js';
import { Store } from '../../src/store/store.js';
import { LoopbackDiscord } from '../support/loopbackDiscord.js';
import { makeDataDir } from '../fixtures/dataDir.js';

/**
 * The records ingestion hands over, searchable through the Discord helper's in-memory library (the
 * stand-in main.ts uses when the search core is absent). Rebuilt on change: tests are small.
 */
export class ShelfLibrary implements LibraryWriter {
  readonly records = new Map<string, DocumentRecord>();
  private port = createSimpleLibrary([]);
  upsert(record: DocumentRecord) {
    this.records.set(record.id, record);
    this.port = createSimpleLibrary([...this.records.values()]);
  }
  remove(id: string) {
    this.records.delete(id);
    this.port = createSimpleLibrary([...this.records.values()]);
  }
  get digest(): DigestLibrary {
    return digestLibrary({
      document: (id) => this.port.document(id),
      search: (q, o) => this.port.search(q, o),
    });
  }
}

export interface Harness {
  readonly server: LoopbackDiscord;
  readonly data: ReturnType<typeof makeDataDir>;
  readonly shelf: ShelfLibrary;
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
  const shelf = new ShelfLibrary();
  // Retries are ours to test: the REST client's own 5xx retries off, and short timeouts.
  const rest = new REST({ api: server.apiBase, retries: 0, timeout: 5_000 }).setToken(server.token);
  const make = (store: Store, more: Partial<DigestServiceOptions> = {}) =>
    new DigestService({
      store,
      library: shelf.digest,
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
    shelf,
    rest,
    store,
    ingester: new Ingester({ dataDir: data.dir, store, library: shelf }),
    service: make(store),
    restart(more = {}) {
      harness.store.close();
      harness.store = Store.open(data.dir);
      harness.ingester = new Ingester({ dataDir: data.dir, store: harness.store, library: shelf });
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
