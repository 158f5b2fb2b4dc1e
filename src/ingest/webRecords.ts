import { existsSync } from 'node:fs';
import { Store, storePath, type StoreLocation } from '../store/store.js';
import { webDocumentsOf, type WebDocumentSource } from './openCorpus.js';

/**
 * Runs `use` with the documents fetched from live sources, as the store holds them,
 * then closes the store: for opening the library outside the bot (the CLI). A data folder without
 * a store (never run as a bot, never fetched) has none; a store that cannot be opened safely
 * throws StoreOpenError, leaving the file untouched.
 */
export async function withWebDocuments<T>(
  location: StoreLocation,
  use: (webDocuments: WebDocumentSource) => Promise<T>,
): Promise<T> {
  if (!location.databaseUrl && !existsSync(storePath(location.dataDir))) return use(webDocumentsOf([]));
  const store = await Store.open(location);
  try {
    return await use(store.webDocuments);
  } finally {
    await store.close();
  }
}
