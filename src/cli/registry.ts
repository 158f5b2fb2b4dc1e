import type { CliCommand } from './command.js';
import { parseCommand } from './parse.js';

/** Every CLI command, in the order `--help` lists them. Explicit: no folder scanning. */
export const cliCommands: readonly CliCommand[] = [parseCommand];
