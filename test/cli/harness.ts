import { afterAll } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config.js';
import { cliCommands } from '../../src/cli/registry.js';
import { makeDataDir } from '../fixtures/dataDir.js';

/**
 * A temporary DATA_DIR holding the shipped pages, removed after the file's tests, and a function
 * running the real CLI in-process against it with buffered output. `env` settings are read by the
 * real `loadConfig` and handed to the commands as the CLI's entry point hands them.
 */
export function cliOverShippedPages(options: { readonly env?: Record<string, string> } = {}) {
  const data = makeDataDir({ shipped: true });
  afterAll(() => data.cleanup());
  const cli = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      argv,
      {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        dataDir: data.dir,
        ...(options.env ? { sources: loadConfig(options.env) } : {}),
      },
      cliCommands,
    );
    return { code, stdout, stderr };
  };
  return { data, cli };
}
