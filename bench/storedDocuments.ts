/**
 * The fetched documents of a DATA_DIR, read from its store. A module of its own: raw MiniSearch's
 * side needs it, and importing it from oursSide.ts made raw's cold start load discord.js, the
 * digest runtime and the logger too (a quarter of a second it would never pay as a service).
 */
import type { DocumentRecord } from '../src/core/record.js';
import { Store } from '../src/store/store.js';

/** Every fetched document of `dataDir`'s store (to build raw MiniSearch, or ours from records). */
export async function storedWebDocuments(dataDir: string): Promise<DocumentRecord[]> {
  const store = await Store.open(dataDir);
  try {
    return await store.webDocuments.records();
  } finally {
    await store.close();
  }
}
