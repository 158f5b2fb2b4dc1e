import { z } from 'zod';
import { Deliveries } from './deliveries.js';
import { GuildSettingsRepository } from './guildSettings.js';
import { IngestionLog } from './ingestionLog.js';
import { SourceStates } from './sourceStates.js';
import type { SqlDriver } from './sql.js';
import { SqliteDriver, storePath } from './sqliteDriver.js';
import { Subscriptions } from './subscriptions.js';
import { WebDocuments } from './webDocuments.js';

export { StoreOpenError } from './sql.js';
export { storePath } from './sqliteDriver.js';
export type { Delivery, DeliveryPart, NewDelivery, StoredMessage } from './deliveries.js';
export type { GuildSettings } from './guildSettings.js';
export type { DocumentState, IngestEvent, LogAppend, LogEntry } from './ingestionLog.js';
export type {
  NewSubscription,
  Subscription,
  SubscriptionChange,
  SubscriptionStatus,
} from './subscriptions.js';
export type { SourceState } from './sourceStates.js';
export type { WebDocument, WebDocumentStamp } from './webDocuments.js';
export type { Deliveries, GuildSettingsRepository, IngestionLog, SourceStates, Subscriptions, WebDocuments };

const metaRow = z.object({ value: z.string() });

/** The repositories, over the store's connection or over one transaction. */
export interface Repositories {
  readonly log: IngestionLog;
  readonly subscriptions: Subscriptions;
  readonly deliveries: Deliveries;
  readonly webDocuments: WebDocuments;
  readonly sourceStates: SourceStates;
  readonly guildSettings: GuildSettingsRepository;
}

const repositories = (db: SqlDriver): Repositories => ({
  log: new IngestionLog(db),
  subscriptions: new Subscriptions(db),
  deliveries: new Deliveries(db),
  webDocuments: new WebDocuments(db),
  sourceStates: new SourceStates(db),
  guildSettings: new GuildSettingsRepository(db),
});

/** Where the state lives: `databaseUrl` set means PostgreSQL, shared by every process that names it. */
export interface StoreLocation {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
  /**
   * Where the store reports what it survives: an idle PostgreSQL connection the server dropped
   * (a restart, a failover). Absent, a process warning (stderr).
   */
  readonly log?: StoreLog | undefined;
}

/** What the store logs (a pino logger fits). */
export interface StoreLog {
  warn(object: object, message: string): void;
}

/**
 * The bot's durable state: the ingestion log, subscriptions, deliveries, documents fetched from
 * live sources and their sources' fetch state, each a repository over one driver. By default an
 * SQLite file in the data folder (one process, or the bot and the CLI on one host); with a
 * DATABASE_URL, a PostgreSQL database that several bot processes share. Each mutation is one
 * transaction; {@link Store.transaction} groups several.
 */
export class Store implements Repositories {
  readonly log: IngestionLog;
  readonly subscriptions: Subscriptions;
  readonly deliveries: Deliveries;
  readonly webDocuments: WebDocuments;
  readonly sourceStates: SourceStates;
  readonly guildSettings: GuildSettingsRepository;
  readonly #db: SqlDriver;
  /** Where the data is, for messages: the SQLite file, or the server and database (no password). */
  readonly #where: string;

  private constructor(db: SqlDriver, where: string) {
    this.#db = db;
    this.#where = where;
    ({
      log: this.log,
      subscriptions: this.subscriptions,
      deliveries: this.deliveries,
      webDocuments: this.webDocuments,
      sourceStates: this.sourceStates,
      guildSettings: this.guildSettings,
    } = repositories(db));
  }

  /**
   * Opens the store at `location`, creating and migrating it as needed. Throws StoreOpenError,
   * leaving the data untouched, for an SQLite file that is not a database or fails its integrity
   * check, a PostgreSQL server that cannot be reached, or data written by a newer build.
   */
  static async open(location: StoreLocation | string): Promise<Store> {
    const { dataDir, databaseUrl, log } =
      typeof location === 'string' ? { dataDir: location, log: undefined } : location;
    if (databaseUrl) {
      // Loaded only for PostgreSQL: `pg` is a tenth of a second of every SQLite user's start (the CLI).
      const { describeDatabaseUrl, PostgresDriver } = await import('./postgresDriver.js');
      const onIdleError =
        log &&
        ((error: Error) =>
          log.warn(
            { err: error },
            'an idle PostgreSQL connection failed; the pool opens a new one when needed',
          ));
      return new Store(
        await PostgresDriver.open(databaseUrl, { onIdleError }),
        `PostgreSQL at ${describeDatabaseUrl(databaseUrl)}`,
      );
    }
    const file = storePath(dataDir);
    return new Store(SqliteDriver.open(file), file);
  }

  /** `sqlite` (one host) or `postgres` (shared by several processes). */
  get kind(): SqlDriver['dialect'] {
    return this.#db.dialect;
  }

  /** Where the data is, for logs and messages: the SQLite file, or the PostgreSQL server and database. */
  get location(): string {
    return this.#where;
  }

  /**
   * Runs `work` in one transaction over repositories bound to it: all of its writes land, or none.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) => work(repositories(tx)));
  }

  close(): Promise<void> {
    return this.#db.close();
  }

  /** Random per-database id, fixed at creation; salts delivery nonces. */
  async instanceId(): Promise<string> {
    return metaRow.parse(await this.#db.get("SELECT value FROM meta WHERE key = 'instance_id'")).value;
  }
}
