import { afterAll } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { cliCommands } from '../../src/cli/registry.js';
import { makeDataDir } from '../fixtures/dataDir.js';

/**
 * A temporary DATA_DIR holding the shipped pages, removed after the file's tests, and a function
 * running the real CLI in-process against it with buffered output.
 */
export function cliOverShippedPages() {
  const data = makeDataDir({ shipped: true });
  afterAll(() => data.cleanup());
  const cli = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      argv,
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), dataDir: data.dir },
      cliCommands,
    );
    return { code, stdout, stderr };
  };
  return { data, cli };
}
