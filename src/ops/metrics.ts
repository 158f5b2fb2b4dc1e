import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How an interaction reached the dispatcher. */
export type InteractionKind = 'command' | 'autocomplete' | 'component';
/** `user-error`: a UserError shown to the user; `error`: a bug, logged, answered with an apology. */
export type InteractionOutcome = 'ok' | 'user-error' | 'error';
/** A digest run that did not deliver: see RunOutcome in src/digests/deliver.ts. */
export type DigestFailure = 'paused' | 'pending' | 'error';
/** The statuses of a source fetch report (src/sources/sourceFetcher.ts). */
export type SourceFetchStatus = 'ok' | 'not-modified' | 'failed' | 'disabled';
/** A number read at scrape time; it may come from an async store. */
export type CollectCount = () => number | Promise<number>;

/** One handled interaction, as the dispatcher saw it. */
export interface InteractionObservation {
  /** The slash command (for a component: the command whose message carried it); `unknown` otherwise. */
  readonly command: string;
  readonly kind: InteractionKind;
  readonly outcome: InteractionOutcome;
  readonly seconds: number;
}

/**
 * The bot's metrics, behind a small typed API so that the rest of the code never touches
 * prom-client. Each instance has its own registry (several bots in one test process do not
 * collide). Counters move as work happens; the gauges are read from callbacks at scrape time.
 */
export interface BotMetrics {
  /** A slash command, autocomplete or button answered (searches are `command="search"`). */
  interactionObserved(observation: InteractionObservation): void;
  /** Digest deliveries completed (a run may finish a pending one and post a new one). */
  digestsDelivered(count: number): void;
  digestFailed(reason: DigestFailure): void;
  sourceFetched(status: SourceFetchStatus): void;
  /** Discord answered 429; `scope` is its X-RateLimit-Scope (user, global, shared). */
  discordRateLimited(scope: string): void;
  /** discord.js held a request back to stay under a known limit (its `rateLimited` event). */
  discordRateLimitWaited(global: boolean): void;
  /** Where the gauges read from; a later call for the same gauge replaces the earlier callback. */
  collectDocuments(count: CollectCount): void;
  collectPendingDigests(count: CollectCount): void;
  collectFailingSources(count: CollectCount): void;
  /** The Prometheus text exposition of every metric, with its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** The prefix of the bot's own metrics; Node's process metrics keep their standard names. */
export const METRIC_PREFIX = 'migration_news_';

/**
 * Latency buckets in seconds: most answers take milliseconds, a deferred command that waits on
 * Discord or the store may take seconds, and Discord gives up on a first answer after 3 s.
 */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Creates the metrics of one bot process over a fresh registry, with prom-client's default process
 * metrics (CPU, memory, event loop lag, GC) under their standard names, so that stock Node.js
 * dashboards work unchanged.
 */
export function createBotMetrics(): BotMetrics {
  const registry = new Registry();
  const registers = [registry];
  const name = (suffix: string) => `${METRIC_PREFIX}${suffix}`;

  const interactions = new Counter({
    name: name('commands_total'),
    help: 'Interactions answered, by slash command, kind (command, autocomplete, component) and outcome.',
    labelNames: ['command', 'kind', 'outcome'] as const,
    registers,
  });
  const latency = new Histogram({
    name: name('command_duration_seconds'),
    help: 'Time from receiving an interaction to its answer, by slash command and kind.',
    labelNames: ['command', 'kind'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const delivered = new Counter({
    name: name('digests_delivered_total'),
    help: 'Digest deliveries completed (every part posted, cursor advanced).',
    registers,
  });
  const failed = new Counter({
    name: name('digests_failed_total'),
    help: 'Digest runs that did not deliver: paused (access lost), pending (retried later) or error.',
    labelNames: ['reason'] as const,
    registers,
  });
  const fetched = new Counter({
    name: name('source_fetches_total'),
    help: 'Live source fetches, by status (ok, not-modified, failed, disabled).',
    labelNames: ['status'] as const,
    registers,
  });
  const rateLimited = new Counter({
    name: name('discord_rate_limited_total'),
    help: 'Discord REST answers with status 429, by X-RateLimit-Scope.',
    labelNames: ['scope'] as const,
    registers,
  });
  const rateLimitWaits = new Counter({
    name: name('discord_rate_limit_waits_total'),
    help: 'Requests discord.js held back to stay under a known rate limit, by whether it was the global one.',
    labelNames: ['global'] as const,
    registers,
  });
  // Series that exist from the start read 0 instead of missing, so rate() and alerts work at once.
  delivered.inc(0);
  for (const reason of ['paused', 'pending', 'error'] satisfies DigestFailure[]) failed.labels(reason).inc(0);
  for (const status of ['ok', 'not-modified', 'failed', 'disabled'] satisfies SourceFetchStatus[])
    fetched.labels(status).inc(0);
  rateLimited.labels('user').inc(0);

  const collectors: { documents?: CollectCount; pending?: CollectCount; failing?: CollectCount } = {};
  /** A gauge that reads its callback at scrape time; without one (console mode: no digests) it stays 0. */
  const callbackGauge = (suffix: string, help: string, key: keyof typeof collectors) =>
    new Gauge({
      name: name(suffix),
      help,
      registers,
      async collect() {
        const read = collectors[key];
        if (read) this.set(await read());
      },
    });
  callbackGauge('library_documents', 'Documents in the search library.', 'documents');
  callbackGauge(
    'digests_pending',
    'Digest deliveries recorded as pending (not yet fully posted).',
    'pending',
  );
  callbackGauge('sources_failing', 'Live sources whose last fetch failed (retried with backoff).', 'failing');

  collectDefaultMetrics({ register: registry });

  return {
    interactionObserved({ command, kind, outcome, seconds }) {
      interactions.labels(command, kind, outcome).inc();
      latency.labels(command, kind).observe(seconds);
    },
    digestsDelivered: (count) => delivered.inc(count),
    digestFailed: (reason) => failed.labels(reason).inc(),
    sourceFetched: (status) => fetched.labels(status).inc(),
    discordRateLimited: (scope) => rateLimited.labels(scope).inc(),
    discordRateLimitWaited: (global) => rateLimitWaits.labels(String(global)).inc(),
    collectDocuments: (count) => void (collectors.documents = count),
    collectPendingDigests: (count) => void (collectors.pending = count),
    collectFailingSources: (count) => void (collectors.failing = count),
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
