import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { packagedNativeDir } from './postgresBinaries.js';
import { startPostgresServer } from './postgresServer.js';
import { postgresServerUrl } from './stores.js';

const isRoot = process.getuid?.() === 0;
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder of `mode` (mkdtemp makes 700, like a fresh clone's parent in the issue). */
function tempDir(name: string, mode: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), `mnb-pgtest-${name}-`));
  chmodSync(dir, mode);
  made.push(dir);
  return dir;
}

describe('postgresServer', () => {
  describe("the run's server (vitest's global setup)", () => {
    // When it cannot start, the run goes on and this test fails with the reason (each PostgreSQL
    // test fails with it too), instead of an unhandled error ending the run before any test.
    it('started', () => {
      expect(() => postgresServerUrl()).not.toThrow();
    });
  });

  describe('startPostgresServer', () => {
    // Issue 17: as root, in a clone under a mode-700 folder, the server's user could not run the
    // binaries inside node_modules. As root this starts the server from binaries only root can
    // reach; as any other user no user switch happens and it checks the server starts from them.
    it('starts from binaries in a folder only their owner can enter', async () => {
      const packaged = await packagedNativeDir();
      // A link in a private folder: whoever cannot enter the folder cannot follow it.
      const native = path.join(tempDir('private', 0o700), 'native');
      symlinkSync(packaged.dir, native);
      const parent = tempDir('tmp', 0o755);

      const server = await startPostgresServer({ native: { dir: native, key: 'test' }, tmpDir: parent });
      const client = new pg.Client({ connectionString: `${server.url}/postgres` });
      try {
        await client.connect();
        const { rows } = await client.query<{ answer: number }>('SELECT 1 + 1 AS answer');
        expect(rows).toEqual([{ answer: 2 }]);
      } finally {
        await client.end();
        await server.stop();
      }
      // The data folder is gone; as root, the copy of the binaries stays for the next start.
      expect(readdirSync(parent)).toEqual(isRoot ? ['mnb-postgres-bin-test'] : []);
    });

    it('rejects, naming the binary, when it cannot run it, and leaves no data folder', async () => {
      const native = tempDir('empty', 0o755);
      mkdirSync(path.join(native, 'bin'));
      const parent = tempDir('tmp', 0o755);

      await expect(
        startPostgresServer({ native: { dir: native, key: 'empty' }, tmpDir: parent }),
      ).rejects.toThrow(
        `cannot run ${path.join(isRoot ? path.join(parent, 'mnb-postgres-bin-empty') : native, 'bin', 'initdb')}`,
      );
      expect(readdirSync(parent)).toEqual(isRoot ? ['mnb-postgres-bin-empty'] : []);
    });

    it.runIf(isRoot)('as root, rejects naming the folder its user cannot enter', async () => {
      const parent = tempDir('private', 0o700);

      await expect(startPostgresServer({ tmpDir: parent })).rejects.toThrow(
        `PostgreSQL runs as nobody, who cannot enter ${parent} (mode 700)`,
      );
    });
  });
});
