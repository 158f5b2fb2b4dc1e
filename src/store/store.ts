import { z } from 'zod';
import { openDatabase, storePath, type SqliteDatabase } from './database.js';
import { Deliveries } from './deliveries.js';
import { IngestionLog } from './ingestionLog.js';
import { SourceStates } from './sourceStates.js';
import { Subscriptions } from './subscriptions.js';
import { WebDocuments } from './webDocuments.js';

export { StoreOpenError, storePath } from './database.js';
export type { Delivery, DeliveryPart, NewDelivery, StoredMessage } from './deliveries.js';
export type { DocumentState, IngestEvent, LogAppend, LogEntry } from './ingestionLog.js';
export type { NewSubscription, Subscription, SubscriptionStatus } from './subscriptions.js';
export type { SourceState } from './sourceStates.js';
export type { WebDocument, WebDocumentStamp } from './webDocuments.js';
export type { Deliveries, IngestionLog, SourceStates, Subscriptions, WebDocuments };

const metaRow = z.object({ value: z.string() });

/**
 * The bot's durable state in one SQLite file: the ingestion log, subscriptions, deliveries, documents
 * fetched from live sources and their sources' fetch state, each
 * its own repository over the one connection, which stays inside this folder. Every method is
 * synchronous (better-sqlite3) and each mutation is one transaction.
 */
export class Store {
  readonly log: IngestionLog;
  readonly subscriptions: Subscriptions;
  readonly deliveries: Deliveries;
  readonly webDocuments: WebDocuments;
  readonly sourceStates: SourceStates;
  readonly #db: SqliteDatabase;

  private constructor(db: SqliteDatabase) {
    this.#db = db;
    this.log = new IngestionLog(db);
    this.subscriptions = new Subscriptions(db, this.log);
    this.deliveries = new Deliveries(db, this.subscriptions);
    this.webDocuments = new WebDocuments(db);
    this.sourceStates = new SourceStates(db);
  }

  /**
   * Opens `dataDir/bot.sqlite`, creating and migrating it as needed. Throws StoreOpenError, leaving
   * the file untouched, for a file that is not a database, fails its integrity check, or was written
   * by a newer build.
   */
  static open(dataDir: string): Store {
    return new Store(openDatabase(storePath(dataDir)));
  }

  /** Like `open`, for a file at any path. */
  static openFile(file: string): Store {
    return new Store(openDatabase(file));
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** Random per-database id, fixed at creation; salts delivery nonces. */
  get instanceId(): string {
    return metaRow.parse(this.#db.prepare("SELECT value FROM meta WHERE key = 'instance_id'").get()).value;
  }
}
