import { randomUUID } from 'node:crypto';
import type { DocumentRecord } from '../core/record.js';
import { isPermanentFailure, recordFailure, recordSuccess } from '../core/sources/fetchPolicy.js';
import { itemEntryKey, itemToRecord } from '../core/sources/itemRecord.js';
import { loadLanguageDetector } from '../core/text/languageDetector.js';
import { findNearDuplicate, fingerprintText, type TextFingerprint } from '../core/sources/nearDuplicate.js';
import { decideNews } from '../core/sources/newsPolicy.js';
import { MAX_PAGE_ATTEMPTS, isRetryDue, pageFailed, type PageRetry } from '../core/sources/pageRetries.js';
import type { SourceItem } from '../core/sources/sourceItem.js';
import type { Repositories, Store, StoreLog } from '../store/store.js';
import type { SourceState } from '../store/sourceStates.js';
import type { WebDocument } from '../store/webDocuments.js';
import { fetchFeedSource, readArticlePage } from './connectors/feed.js';
import type { PageFailure, SourceFetchOutcome, Validators } from './connectors/fetchOutcome.js';
import { fetchIomSource } from './connectors/iom.js';
import { fetchReliefWebSource } from './connectors/reliefweb.js';
import { canonicalUrl } from '../core/sources/canonicalUrl.js';
import type { SourceConfig } from './sourcesFile.js';
import { WebError, type WebClient } from './webClient.js';

/** What one fetch of one source did (the CLI's `sources fetch --json` contract). */
export interface SourceFetchReport {
  readonly id: string;
  /** `busy`: another process is fetching the source right now (they share a PostgreSQL store). */
  readonly status: 'ok' | 'not-modified' | 'failed' | 'disabled' | 'busy';
  readonly new: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly error: string | null;
  /** Per-item problems that did not fail the source (a page that could not be read), one line each. */
  readonly problems: readonly string[];
  /** Records added or changed in this fetch, for the library and the snapshot policy. */
  readonly changed: readonly DocumentRecord[];
}

/** Where fetched documents go besides the store: the search library. */
export interface LibraryWriter {
  upsert(record: DocumentRecord): void;
}

export interface SourceFetcherOptions {
  readonly store: Store;
  readonly client: WebClient;
  readonly library?: LibraryWriter;
  readonly now?: () => Date;
  /**
   * Who this process is in fetch claims (see claimOwner): of several processes sharing a store, one
   * fetches a source at a time; a process that dies mid-fetch leaves its claim to expire after
   * 10 min, longer than any fetch's timeouts add up to. Default: a random owner.
   */
  readonly claimOwner?: string;
  /** Where a failure to give a claim back is reported (a pino logger fits). Default: a process warning. */
  readonly log?: StoreLog;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const RANDOM_OWNER = randomUUID();
const FETCH_CLAIM_MS = 10 * 60_000;
const EMPTY = { new: 0, updated: 0, unchanged: 0, rejected: 0, problems: [], changed: [] };

/** Near-duplicates are looked for among documents first seen this recently (copies follow within days). */
const NEAR_DUPLICATE_WINDOW_MS = 30 * DAY_MS;

/**
 * Fetches sources and turns their items into documents, once: each item is stored with its keys
 * (item id, canonical URLs, the entry as shown) and logged in one transaction, so a crash between
 * items loses nothing and a refetch after a restart duplicates nothing. A known document that
 * changed is an update, never news; a new one is news only per `decideNews`.
 */
export class SourceFetcher {
  private readonly inFlight = new Map<string, Promise<SourceFetchReport>>();

  constructor(private readonly options: SourceFetcherOptions) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Sources whose next fetch is due at `now` (never fetched, or their time has come), not disabled. */
  async due(sources: readonly SourceConfig[], now = this.now()): Promise<SourceConfig[]> {
    const due: SourceConfig[] = [];
    for (const source of sources) {
      if (!source.enabled) continue;
      const state = await this.options.store.sourceStates.get(source.id);
      if (state.disabledReason !== null) continue;
      if (state.nextFetchAt === null || Date.parse(state.nextFetchAt) <= now.getTime()) due.push(source);
    }
    return due;
  }

  /**
   * Fetches one source now, whatever its schedule. A fetch of a source already in flight in this
   * process joins it. Never throws for anything the source does: failures are in the report.
   */
  fetch(source: SourceConfig): Promise<SourceFetchReport> {
    const running = this.inFlight.get(source.id);
    if (running) return running;
    const work = this.claimed(source).finally(() => this.inFlight.delete(source.id));
    this.inFlight.set(source.id, work);
    return work;
  }

  /** Runs a fetch under the source's claim, released after it (a no-op for one that expired). */
  private async claimed(source: SourceConfig): Promise<SourceFetchReport> {
    const { store } = this.options;
    const owner = this.options.claimOwner ?? RANDOM_OWNER;
    if (!(await store.sourceStates.claim(source.id, owner, FETCH_CLAIM_MS))) {
      return { id: source.id, status: 'busy', ...EMPTY, error: 'another process is fetching it' };
    }
    try {
      return await this.run(source);
    } finally {
      await this.release(source.id, owner);
    }
  }

  /**
   * Gives a claim back. A failure is reported, not thrown: the claim then expires on its own (after
   * FETCH_CLAIM_MS), and the fetch it guarded is over either way.
   */
  private async release(sourceId: string, owner: string): Promise<void> {
    try {
      await this.options.store.sourceStates.release(sourceId, owner);
    } catch (error) {
      const message = `could not release the fetch claim on source ${sourceId}; it expires in ${FETCH_CLAIM_MS / 60_000} min`;
      if (this.options.log) this.options.log.warn({ err: error, source: sourceId }, message);
      else process.emitWarning(`${message}: ${String(error)}`);
    }
  }

  /**
   * Gives up the claims of fetches still in flight (shutting down: the process exits without
   * finishing them, and another process may fetch those sources at once instead of in 10 min).
   */
  async releaseInFlight(): Promise<void> {
    const owner = this.options.claimOwner ?? RANDOM_OWNER;
    for (const sourceId of this.inFlight.keys()) {
      await this.release(sourceId, owner);
    }
  }

  private async run(source: SourceConfig): Promise<SourceFetchReport> {
    const { store } = this.options;
    // Read under the claim: another process may have fetched it (and moved its validators) just now.
    const state = await store.sourceStates.get(source.id);
    const empty = EMPTY;
    if (!source.enabled || state.disabledReason !== null) {
      return {
        id: source.id,
        status: 'disabled',
        ...empty,
        error: state.disabledReason ?? 'disabled in sources.json',
      };
    }
    const started = this.now();
    let outcome: SourceFetchOutcome;
    try {
      outcome = await this.connect(source, state);
    } catch (error) {
      return { id: source.id, ...empty, ...(await this.recordFailed(source, state, error, started)) };
    }
    const finished = this.now();
    const { nextFetchAt } = recordSuccess(finished.getTime(), source.everyMinutes);
    const success = {
      failures: 0,
      failingSince: null,
      lastError: null,
      lastFetchedAt: finished.toISOString(),
      nextFetchAt: new Date(nextFetchAt).toISOString(),
    };
    // Pages that failed before are retried whether the feed changed or answered 304.
    const retried = await this.retryPages(source, state, outcome, finished.getTime());
    if (outcome.kind === 'not-modified' && retried.items.length === 0) {
      await store.sourceStates.update(source.id, {
        ...success,
        lastStatus: 'not-modified',
        pageRetries: retried.pageRetries,
      });
      return { id: source.id, status: 'not-modified', ...empty, problems: retried.problems, error: null };
    }
    const fresh = outcome.kind === 'ok' ? outcome.items : [];
    const counts = await this.ingest(source, state, [...fresh, ...retried.items]);
    // Validators are kept only once every item is stored: a crash mid-fetch refetches everything.
    // A page that failed is no reason to drop them: it is in pageRetries, retried even after a 304.
    const validators = outcome.kind === 'ok' ? outcome.validators : null;
    await store.sourceStates.update(source.id, {
      ...success,
      lastStatus: outcome.kind,
      ...(validators === null ? {} : { etag: validators.etag, lastModified: validators.lastModified }),
      firstFetchedAt: state.firstFetchedAt ?? finished.toISOString(),
      pageRetries: retried.pageRetries,
    });
    return {
      id: source.id,
      status: outcome.kind,
      ...counts,
      unchanged: counts.unchanged + (outcome.kind === 'ok' ? (outcome.skipped ?? 0) : 0),
      rejected: counts.rejected.length,
      problems: [...(outcome.kind === 'ok' ? outcome.problems : []), ...retried.problems, ...counts.rejected],
      error: null,
    };
  }

  /**
   * Tries again the pages of earlier fetches that are due (a page this fetch read afresh counts as
   * tried), and returns the items read now, the retries still pending (this fetch's new failures
   * included) and a problem line for each page that failed again or was given up.
   */
  private async retryPages(
    source: SourceConfig,
    state: SourceState,
    outcome: SourceFetchOutcome,
    now: number,
  ): Promise<{ items: SourceItem[]; pageRetries: PageRetry[]; problems: string[] }> {
    // Pages are read only for feeds that ask for them (sources.json may have changed since).
    if (source.type !== 'feed' || !source.fetchArticles) return { items: [], pageRetries: [], problems: [] };
    const previous = new Map(state.pageRetries.map((r) => [r.url, r]));
    const pending: PageRetry[] = [];
    const problems: string[] = [];
    const failed = (failure: PageFailure) => {
      const next = pageFailed(failure.item, failure.error, previous.get(failure.item.url), now);
      if (next !== null) pending.push(next);
      else
        problems.push(
          `${failure.item.url}: gave up after ${MAX_PAGE_ATTEMPTS} attempts; kept the feed's summary`,
        );
    };
    const freshUrls = new Set(outcome.kind === 'ok' ? outcome.items.map((i) => i.url) : []);
    for (const failure of outcome.kind === 'ok' ? (outcome.retryPages ?? []) : []) failed(failure);
    const items: SourceItem[] = [];
    for (const retry of state.pageRetries) {
      if (freshUrls.has(retry.url)) continue;
      if (!isRetryDue(retry, now)) {
        pending.push(retry);
        continue;
      }
      const attempt = await readArticlePage(this.options.client, retry.item);
      if (attempt.problem !== null) problems.push(attempt.problem);
      if (attempt.retryError !== null) failed({ item: retry.item, error: attempt.retryError });
      else items.push(attempt.item);
    }
    return { items, pageRetries: pending, problems };
  }

  private connect(source: SourceConfig, state: SourceState): Promise<SourceFetchOutcome> {
    const { client, store } = this.options;
    const validators: Validators = { etag: state.etag, lastModified: state.lastModified };
    const isKnownUrl = async (url: string) => {
      const canonical = canonicalUrl(url);
      return canonical !== null && (await store.webDocuments.findByKeys([`url:${canonical}`])) !== undefined;
    };
    switch (source.type) {
      case 'feed':
        return fetchFeedSource(client, source, validators, {
          isUnchanged: async (item) =>
            (await store.webDocuments.findByKeys([itemEntryKey(item)])) !== undefined,
        });
      case 'iom':
        return fetchIomSource(client, source, { validators, isKnown: isKnownUrl });
      case 'reliefweb': {
        // After the first fetch, ask only for what is recent enough to be news or a late edit.
        const since =
          state.lastFetchedAt === null
            ? null
            : new Date(Date.parse(state.lastFetchedAt) - source.maxAgeDays * DAY_MS).toISOString();
        return fetchReliefWebSource(client, source, { since });
      }
    }
  }

  private async recordFailed(
    source: SourceConfig,
    state: SourceState,
    error: unknown,
    at: Date,
  ): Promise<{ status: 'failed' | 'disabled'; error: string }> {
    if (!(error instanceof Error)) throw error;
    const message = error.message.split('\n')[0] ?? String(error);
    const failure = recordFailure(
      {
        consecutiveFailures: state.failures,
        failingSince: state.failingSince === null ? null : Date.parse(state.failingSince),
      },
      {
        retryAfterMs: error instanceof WebError ? error.retryAfterMs : null,
        permanent: error instanceof WebError && isPermanentFailure(error.kind),
        message,
      },
      at.getTime(),
    );
    await this.options.store.sourceStates.update(source.id, {
      failures: failure.health.consecutiveFailures,
      failingSince:
        failure.health.failingSince === null ? null : new Date(failure.health.failingSince).toISOString(),
      lastError: message,
      lastStatus: 'failed',
      lastFetchedAt: at.toISOString(),
      nextFetchAt: new Date(failure.nextFetchAt).toISOString(),
      disabledReason: failure.disabledReason,
    });
    return { status: failure.disabledReason === null ? 'failed' : 'disabled', error: message };
  }

  /** Stores, logs and indexes each item in its own transaction. */
  private async ingest(
    source: SourceConfig,
    state: SourceState,
    items: readonly SourceItem[],
  ): Promise<{
    new: number;
    updated: number;
    unchanged: number;
    rejected: string[];
    changed: DocumentRecord[];
  }> {
    const { store, library } = this.options;
    const now = this.now();
    // Near-identical text merges only across sources: one source's items with their own ids are its
    // own documents, however alike (templated reports differ in a number or a name). Read only when
    // an item is not known by any key, which most items of a refetch are.
    let otherSources: Awaited<ReturnType<Store['webDocuments']['fingerprintsSince']>> | undefined;
    const nearDuplicateOf = async (
      tx: Repositories,
      fingerprint: TextFingerprint,
      record: DocumentRecord,
    ) => {
      otherSources ??= await tx.webDocuments.fingerprintsSince(
        new Date(now.getTime() - NEAR_DUPLICATE_WINDOW_MS).toISOString(),
        source.id,
      );
      // Text alone never merges what the publisher tells apart (templated alerts: another URL on
      // the same site, another name or number in the title).
      const identity = { urls: record.urls ?? [], title: record.title };
      return findNearDuplicate(fingerprint, otherSources, { identity })?.id;
    };
    const counts = { new: 0, updated: 0, unchanged: 0 };
    const rejected: string[] = [];
    const changed: DocumentRecord[] = [];
    // Loaded (once per process) only when neither the source nor an item declares the language.
    const configuredLanguage = source.language ?? null;
    const isUndeclared = configuredLanguage === null && items.some((item) => !item.language);
    const detectLanguage = isUndeclared ? await loadLanguageDetector() : null;
    for (const item of items) {
      const converted = itemToRecord(item, { detectLanguage, configuredLanguage });
      if (!converted.ok) {
        rejected.push(`${item.url ?? item.guid ?? item.title}: ${converted.error}`);
        continue;
      }
      const record = converted.value;
      const fingerprint = fingerprintText(record.paragraphs.join('\n'));
      const keys = [
        `item:${record.id}`,
        ...(record.urls ?? []).map((url) => `url:${url}`),
        itemEntryKey(item),
      ];
      const outcome = await store.transaction(async (tx) => {
        const knownId =
          (await tx.webDocuments.findByKeys(keys)) ?? (await nearDuplicateOf(tx, fingerprint, record));
        const known = knownId === undefined ? undefined : await tx.webDocuments.get(knownId);
        if (!known) {
          const news = decideNews({
            publishedAt: record.publishedAt ?? null,
            now: now.getTime(),
            isFirstFetch: state.firstFetchedAt === null,
            maxAgeDays: source.maxAgeDays,
          });
          await tx.webDocuments.put(
            {
              record,
              sourceId: source.id,
              firstSeenAt: now.toISOString(),
              updatedAt: now.toISOString(),
              fingerprint,
            },
            keys,
          );
          await tx.log.append(
            [
              {
                docId: record.id,
                contentHash: record.contentHash,
                kind: record.kind,
                event: 'new',
                news: news.isNews,
              },
            ],
            now,
          );
          return { kind: 'new' as const, record };
        }
        return this.merge(tx, known, record, source.id, fingerprint, keys, now);
      });
      counts[outcome.kind]++;
      if (outcome.record) {
        changed.push(outcome.record);
        library?.upsert(outcome.record);
      }
    }
    return { ...counts, rejected, changed };
  }

  /**
   * The same document again (same item, same URL, or near-identical text from another source). Its
   * own source's new text is an update; another source only adds its URLs (the first text stays, so
   * two sources never flip a document back and forth).
   */
  private async merge(
    tx: Repositories,
    stored: WebDocument,
    incoming: DocumentRecord,
    sourceId: string,
    fingerprint: TextFingerprint,
    keys: readonly string[],
    now: Date,
  ): Promise<{ kind: 'updated' | 'unchanged'; record: DocumentRecord | null }> {
    const known = stored.record;
    const urls = [...new Set([...(known.urls ?? []), ...(incoming.urls ?? [])])];
    const isOwnEdit = stored.sourceId === sourceId && known.contentHash !== incoming.contentHash;
    const hasNewUrls = urls.length !== (known.urls ?? []).length;
    if (!isOwnEdit) {
      const record = hasNewUrls ? { ...known, urls, url: known.url ?? urls[0] } : known;
      await tx.webDocuments.put(
        { ...stored, record, updatedAt: hasNewUrls ? now.toISOString() : stored.updatedAt },
        keys,
      );
      return { kind: 'unchanged', record: hasNewUrls ? record : null };
    }
    const record: DocumentRecord = {
      ...incoming,
      id: known.id,
      urls,
      url: known.url ?? incoming.url,
      publishedAt: known.publishedAt ?? incoming.publishedAt ?? null,
    };
    await tx.webDocuments.put({ ...stored, record, updatedAt: now.toISOString(), fingerprint }, keys);
    await tx.log.append(
      // An edit is never news (the log's default is news: true).
      [
        {
          docId: known.id,
          contentHash: record.contentHash,
          kind: record.kind,
          event: 'updated',
          news: false,
        },
      ],
      now,
    );
    return { kind: 'updated', record };
  }
}
