import type { Logger } from 'pino';
import type { Library } from '../core/library.js';
import { isSnapshotRewriteWorthIt } from '../ingest/openCorpus.js';
import { saveSnapshot } from '../ingest/snapshotFile.js';
import { claimOwner } from '../store/claimOwner.js';
import type { BotMetrics } from '../ops/metrics.js';
import type { Store } from '../store/store.js';
import { mapBounded } from '../util/concurrency.js';
import { botUserAgent, PoliteClient, type PoliteClientOptions } from './politeClient.js';
import { SourceFetcher, type SourceFetchReport } from './sourceFetcher.js';
import type { SourceConfig } from './sourcesFile.js';
import { describeSources } from './sourcesView.js';

/** Sources fetched at once; each host still gets one request at a time (PoliteClient). */
const SOURCE_CONCURRENCY = 3;
/** The longest a shutdown waits for fetches in flight. */
const STOP_GRACE_MS = 5_000;

export interface SourcesRuntimeOptions {
  readonly dataDir: string;
  /** The store the fetched documents and source states go to; the caller opens and closes it. */
  readonly store: Store;
  readonly sources: readonly SourceConfig[];
  readonly library: Library;
  readonly logger: Logger;
  readonly version: string;
  readonly homepage?: string | undefined;
  /** FETCH_ALLOW_NETWORKS: networks fetched from besides public addresses (default: none). */
  readonly fetchAllowNetworks?: readonly string[];
  /** How often due sources are looked for, and the log followed for other processes' fetches. */
  readonly tickSeconds?: number;
  /**
   * The end of the log when the library was loaded: entries after it (other processes' fetches) are
   * followed into the library. Default: the end of the log at the first tick.
   */
  readonly followFromSeq?: number;
  /** Tests shorten the polite client's gaps and timeouts; the client itself is always the real one. */
  readonly client?: Omit<PoliteClientOptions, 'userAgent'>;
  readonly now?: () => Date;
  /** Fetches by status and the failing count for /metrics; absent, nothing is measured. */
  readonly metrics?: Pick<BotMetrics, 'sourceFetched' | 'collectFailingSources'> | undefined;
}

export interface SourcesRuntime {
  readonly fetcher: SourceFetcher;
  /** Starts polling: a first look at once, then every tick. Never awaits a fetch. */
  start(): void;
  /** Stops polling and waits a little for fetches in flight (each item is stored whole or not at all). */
  stop(): Promise<void>;
}

/**
 * Live sources inside the running bot (and its console): fetches each enabled source when due,
 * in the background, so a source never blocks start-up, the commands or another source; follows the
 * ingestion log so documents another process fetched (`cli sources fetch`) reach this library. One
 * log line per fetch and source, so a machine without internet gets one failure line per source per
 * backoff step, never a storm.
 */
export function createSourcesRuntime(options: SourcesRuntimeOptions): SourcesRuntime {
  const { dataDir, library, logger, sources, store } = options;
  const log = logger.child({ component: 'sources' });
  const client = new PoliteClient({
    ...options.client,
    allowNetworks: options.fetchAllowNetworks,
    userAgent: botUserAgent(options.version, options.homepage),
  });
  const fetcher = new SourceFetcher({
    store,
    client,
    library,
    now: options.now,
    claimOwner: claimOwner(dataDir),
    log,
  });
  let timer: NodeJS.Timeout | undefined;
  let tick: Promise<void> | undefined;
  let stopped = false;
  let followedSeq = options.followFromSeq;
  let changedSinceSave = 0;

  // From the store, which every process shares: a source another process fetches counts too.
  options.metrics?.collectFailingSources(async () =>
    stopped ? 0 : (await describeSources(sources, store)).filter((s) => s.status === 'failing').length,
  );

  const report = (r: SourceFetchReport) => {
    // `busy` is a fetch another process made, counted there.
    if (r.status !== 'busy') options.metrics?.sourceFetched(r.status);
    const fields = {
      source: r.id,
      new: r.new,
      updated: r.updated,
      unchanged: r.unchanged,
      rejected: r.rejected,
    };
    if (r.status === 'failed') log.warn({ source: r.id }, `source ${r.id} failed: ${r.error ?? ''}`);
    else if (r.status === 'disabled')
      log.error({ source: r.id }, `source ${r.id} is disabled: ${r.error ?? ''}`);
    else if (r.status === 'busy')
      log.debug({ source: r.id }, `source ${r.id} is being fetched by another process`);
    else log.info(fields, r.status === 'ok' ? `source ${r.id} fetched` : `source ${r.id} not modified`);
    for (const problem of r.problems.slice(0, 5)) log.debug({ source: r.id }, problem);
  };

  /** Documents logged by another process since the last look: into this library. */
  const follow = async () => {
    followedSeq ??= await store.log.latestSeq();
    // A page of the log at a time: after a long stop, another process may have logged a great deal.
    for await (const page of store.log.pages(followedSeq, await store.log.latestSeq())) {
      for (const entry of page) {
        followedSeq = entry.seq;
        await followEntry(entry.docId);
      }
    }
  };

  const followEntry = async (docId: string) => {
    const stored = await store.webDocuments.get(docId);
    if (!stored) return;
    const current = library.has(docId) ? library.getDocument(docId) : undefined;
    if (
      current?.contentHash === stored.record.contentHash &&
      current.urls?.length === stored.record.urls?.length
    )
      return;
    library.upsert(stored.record);
    changedSinceSave++;
  };

  const runTick = async () => {
    await follow();
    const due = await fetcher.due(sources, options.now?.() ?? new Date());
    const reports = await mapBounded(due, SOURCE_CONCURRENCY, (source) => fetcher.fetch(source));
    for (const r of reports) {
      report(r);
      changedSinceSave += r.changed.length;
    }
    if (changedSinceSave > 0 && isSnapshotRewriteWorthIt(changedSinceSave, library.documentCount)) {
      changedSinceSave = 0;
      await saveSnapshot(dataDir, library);
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        tick = runTick()
          .catch((error: unknown) => log.error({ err: error }, 'fetching sources failed'))
          .finally(schedule);
      },
      (options.tickSeconds ?? 30) * 1000,
    );
    timer.unref();
  };

  return {
    fetcher,
    start() {
      // With a shared store, other processes' fetches are followed even with no source here.
      if (sources.length === 0 && store.kind === 'sqlite') return;
      log.info({ sources: sources.map((s) => s.id) }, 'live sources');
      tick = runTick()
        .catch((error: unknown) => log.error({ err: error }, 'fetching sources failed'))
        .finally(schedule);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // Each item is stored whole or not at all, so a fetch still waiting on a slow site is left
      // behind after a short wait rather than holding up the shutdown for its timeouts.
      const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
      await Promise.race([tick, grace]);
      await fetcher.releaseInFlight();
    },
  };
}
