import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A script of the project (src/main.ts, src/cli/main.ts) running as `npm start` / `npm run cli` run it. */
export interface ShippedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  /** Whether it logged this message (pino's `msg`) on stdout. */
  logged(message: string): boolean;
  /** The ends of stdout and stderr, for assertion messages. */
  output(): string;
}

/**
 * Starts shipped scripts as child processes (`node --import tsx <script>` from the project root,
 * with `env` over the test's environment) and kills whatever is still running at `killAll()`. With
 * `compiled` (a {@link compiledBuild} folder), runs the script's compiled JavaScript with plain
 * node instead, as the Dockerfile does.
 */
export function shippedProcesses(options: { compiled?: string } = {}) {
  const running = new Set<ChildProcess>();
  const command = (script: string) =>
    options.compiled === undefined
      ? ['--import', 'tsx', script]
      : [path.join(options.compiled, script.replace(/\.ts$/, '.js'))];
  return {
    start(
      script: string,
      env: Readonly<Record<string, string>>,
      args: readonly string[] = [],
    ): ShippedProcess {
      const child = spawn(process.execPath, [...command(script), ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      running.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => {
          running.delete(child);
          resolve({ code, signal });
        }),
      );
      return {
        child,
        exited,
        stdout: () => stdout,
        logged: (message) => stdout.includes(`"msg":"${message}"`),
        output: () => `${stdout.slice(-3000)}\n${stderr.slice(-3000)}`,
      };
    },
    killAll(): void {
      for (const child of running) child.kill('SIGKILL');
    },
  };
}

/**
 * `npm run build` into a folder of its own under dist/ (ignored by git, lint and prettier; there
 * node_modules and package.json resolve as from dist/ itself). Returns the folder and its removal.
 */
export async function compiledBuild(): Promise<{ outDir: string; remove: () => Promise<void> }> {
  await mkdir(path.join(ROOT, 'dist'), { recursive: true });
  const outDir = await mkdtemp(path.join(ROOT, 'dist', 'build-test-'));
  const child = spawn('npm', ['run', 'build', '--', '--outDir', outDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`npm run build failed (${code}):\n${output}`);
  return { outDir, remove: () => rm(outDir, { recursive: true, force: true }) };
}
