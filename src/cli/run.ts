import { isUserError } from '../core/errors.js';
import { UsageError, type CliCommandEntry, type CliIo, type ExitCode } from './command.js';

function overview(commands: readonly CliCommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: npm run --silent cli -- <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `npm run --silent cli -- <command> --help` for the options of one command.',
    'The data folder is DATA_DIR (default: data).',
    '',
  ].join('\n');
}

/**
 * Dispatches `argv` (without node and script) to a command. The single catch point of the CLI:
 * UserErrors become a message and an exit code, anything else is a bug and is rethrown.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommandEntry[],
): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview(commands));
    return name === undefined ? 2 : 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`Unknown command "${name}".\n\n${overview(commands)}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${command.name}: ${error.message}\nRun with --help for usage.\n`);
      return 2;
    }
    if (isUserError(error)) {
      io.stderr(`${command.name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
