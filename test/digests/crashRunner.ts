/**
 * The digest delivery path as the bot runs it, as a child process for the crash test: open the
 * store, reconcile raw/ with the ingestion log, finish pending deliveries, then run every active
 * subscription once, and exit. Only real code: Store, Ingester, library, DigestService, REST.
 *
 * env: DATA_DIR, API_BASE, TOKEN
 */
import { REST } from 'discord.js';
import { createLibrary } from '../../src/core/library.js';
import { classifyDiscordError, restPoster } from '../../src/digests/discord.js';
import { mapBounded } from '../../src/util/concurrency.js';
import { digestLibrary } from '../../src/digests/library.js';
import { DigestService } from '../../src/digests/service.js';
import { Ingester } from '../../src/ingest/ingester.js';
import { loadCorpus } from '../../src/ingest/loadCorpus.js';
import { Store } from '../../src/store/store.js';

const dataDir = process.env.DATA_DIR ?? '';
const store = Store.open(dataDir);
const { documents } = await loadCorpus(dataDir);
const library = createLibrary(documents);
const rest = new REST({ api: process.env.API_BASE ?? '', timeout: 10_000 }).setToken(process.env.TOKEN ?? '');
const service = new DigestService({
  store,
  library: digestLibrary((id) => (library.has(id) ? library.getDocument(id) : undefined)),
  poster: restPoster(rest),
  classify: classifyDiscordError,
  attempts: 3,
  backoffMs: 20,
});
await new Ingester({ dataDir, store, library }).sync();
const { finished } = await service.recover();
const active = store.listSubscriptions().filter((s) => s.status === 'active');
const outcomes = await mapBounded(active, 4, (s) => service.send(s.id));
store.close();
process.stdout.write(
  `${JSON.stringify({ finished: finished.map((o) => o.kind), outcomes: outcomes.map((o) => o.kind) })}\n`,
);
