import { ConfigError, loadConfig, readEnvironment } from '../config.js';
import { cliCommands } from './registry.js';
import { runCli } from './run.js';

try {
  const config = loadConfig(readEnvironment());
  process.exitCode = await runCli(
    process.argv.slice(2),
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      sources: config,
    },
    cliCommands,
  );
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
