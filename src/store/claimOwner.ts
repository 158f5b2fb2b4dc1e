import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

const FILE = 'claim-owner';

/**
 * The name this data folder's processes (the bot and its CLI) claim work under: digest runs and
 * source fetches, which several processes sharing a PostgreSQL store must not do twice. Kept in
 * `DATA_DIR/claim-owner`, so a bot restarted after a crash takes its own unexpired claims straight
 * back instead of waiting for them to expire; every process with a data folder of its own is
 * another owner.
 */
export function claimOwner(dataDir: string): string {
  const file = path.join(dataDir, FILE);
  try {
    const known = readFileSync(file, 'utf8').trim();
    if (known) return known;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const owner = `${hostname()}-${randomBytes(4).toString('hex')}`;
  mkdirSync(dataDir, { recursive: true });
  // `wx`: of two processes starting together on one folder, the second reads the first's name.
  try {
    writeFileSync(file, `${owner}\n`, { flag: 'wx' });
    return owner;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  }
}
