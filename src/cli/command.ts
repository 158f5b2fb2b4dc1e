import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors.js';

/** Where a CLI command writes; tests pass buffers, the real tool passes process streams. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** `DATA_DIR`, already resolved by the caller. */
  readonly dataDir: string;
  /** `DATABASE_URL`: the PostgreSQL store the bot processes share; unset, SQLite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  /**
   * Settings live sources need (ReliefWeb's appname, the homepage in the User-Agent, the networks
   * besides public addresses that may be fetched from).
   */
  readonly sources?: {
    readonly reliefwebAppname?: string | undefined;
    readonly botHomepage?: string | undefined;
    readonly fetchAllowNetworks?: readonly string[] | undefined;
  };
}

/** Exit codes: 0 success, 1 the command ran but failed (bad data, unknown id), 2 wrong usage. */
export type ExitCode = 0 | 1 | 2;

/** One subcommand of `npm run cli -- <name>`. */
export interface CliCommand {
  readonly name: string;
  /** Full `--help` text. */
  readonly help: string;
  readonly run: (argv: readonly string[], io: CliIo) => Promise<ExitCode>;
}

/**
 * A command as the registry lists it: its name and summary for the overview, and its module loaded
 * only when it runs, so a command pays for the modules of its own job alone (`search` never
 * loads the feed parser, the HTML parser or the digest composer).
 */
export interface CliCommandEntry {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  readonly load: () => Promise<CliCommand>;
}

/** Wrong usage of a command: reported with exit code 2 and a hint to `--help`. */
export class UsageError extends UserError {
  constructor(message: string) {
    super('usage', message);
  }
}

/**
 * `node:util` parseArgs with errors turned into UsageError, so every command reports bad flags the
 * same way.
 */
export function parseCliArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
