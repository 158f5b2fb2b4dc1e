import { existsSync } from 'node:fs';
import { Store, storePath } from '../store/store.js';
import { webDocumentsOf, type WebDocumentSource } from './openCorpus.js';

/**
 * Runs `use` with the documents fetched from live sources, as the data folder's store holds them,
 * then closes the store: for opening the library outside the bot (the CLI). A data folder without
 * a store (never run as a bot, never fetched) has none; a store that cannot be opened safely
 * throws StoreOpenError, leaving the file untouched.
 */
export async function withWebDocuments<T>(
  dataDir: string,
  use: (webDocuments: WebDocumentSource) => Promise<T>,
): Promise<T> {
  if (!existsSync(storePath(dataDir))) return use(webDocumentsOf([]));
  const store = Store.open(dataDir);
  try {
    return await use(store.webDocuments);
  } finally {
    store.close();
  }
}
