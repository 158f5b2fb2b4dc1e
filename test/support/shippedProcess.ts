import { spawn, type ChildProcess } from 'node:child_process';
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
 * with `env` over the test's environment) and kills whatever is still running at `killAll()`.
 */
export function shippedProcesses() {
  const running = new Set<ChildProcess>();
  return {
    start(
      script: string,
      env: Readonly<Record<string, string>>,
      args: readonly string[] = [],
    ): ShippedProcess {
      const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
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
