import type { SlashCommand } from '../src/discord/command.js';
import * as about from './about.js';
import * as article from './article.js';
import * as contact from './contact.js';
import * as digest from './digest.js';
import * as project from './project.js';
import * as search from './search.js';
import * as settings from './settings.js';
import * as sources from './sources.js';

/** Every slash command, in the order Discord lists them. Explicit: no folder scanning. */
export const commands: readonly SlashCommand[] = [
  search,
  article,
  contact,
  project,
  digest,
  settings,
  sources,
  about,
];
