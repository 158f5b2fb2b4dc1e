import type { Logger } from 'pino';
import type { Library } from '../core/library.js';
import type { BotMetrics } from '../ops/metrics.js';
import type { DigestService } from '../digests/service.js';
import type { SourcesView } from '../sources/sourcesView.js';
import type { Language } from '../i18n/translate.js';
import type { GuildSettingsRepository } from '../store/store.js';

/**
 * Everything a command needs, handed in by main.ts (or a test) instead of module singletons, so a
 * test can build a context over fixture data.
 */
export interface CommandContext {
  /** Search, documents, contacts, projects; kept current by live ingestion. */
  readonly library: Library;
  readonly logger: Logger;
  /** Package version, shown by /about. */
  readonly version: string;
  readonly startedAt: Date;
  /** The clock; tests may fix it. */
  readonly now: () => Date;
  /**
   * Digest services (subscriptions, delivery), present when the store is open. Defined by the
   * digest module; commands other than /digest never touch it.
   */
  readonly digests?: DigestService | undefined;
  /**
   * Live sources (status for /sources, names and the full-text rule for fetched documents); absent
   * when no store or sources file is open. Without it, fetched documents show no full text.
   */
  readonly sources?: SourcesView | undefined;
  /**
   * The language to answer in. Built with BOT_LANGUAGE (English by default); the dispatcher sets it
   * for each interaction (see replyLanguage), so a command just renders with it.
   */
  readonly language: Language;
  /** Per-server settings (/settings language), present when the store is open. */
  readonly guildSettings?: Pick<GuildSettingsRepository, 'language' | 'setLanguage'> | undefined;
  /** Counts and times every interaction the dispatcher answers; absent, nothing is measured. */
  readonly metrics?: Pick<BotMetrics, 'interactionObserved'> | undefined;
}
