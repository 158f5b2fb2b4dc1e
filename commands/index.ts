import type { SlashCommand } from '../src/discord/command.js';
import * as about from './about.js';

/** Every slash command, in the order Discord lists them. Explicit: no folder scanning. */
export const commands: readonly SlashCommand[] = [about];
