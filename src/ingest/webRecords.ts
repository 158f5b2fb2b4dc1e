import { existsSync } from 'node:fs';
import type { DocumentRecord } from '../core/record.js';
import { Store, storePath } from '../store/store.js';

/**
 * The documents fetched from live sources, as the store holds them, for opening the library. A data
 * folder without a store (never run as a bot, never fetched) has none; a store that cannot be opened
 * safely throws StoreOpenError, leaving the file untouched.
 */
export function readWebRecords(dataDir: string): DocumentRecord[] {
  if (!existsSync(storePath(dataDir))) return [];
  const store = Store.open(dataDir);
  try {
    return store.webDocuments.records();
  } finally {
    store.close();
  }
}
