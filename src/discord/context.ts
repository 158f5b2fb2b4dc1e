import type { Logger } from 'pino';
import type { Library } from '../core/library.js';
import type { DigestService } from '../digests/service.js';

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
}
