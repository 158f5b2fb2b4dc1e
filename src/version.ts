import { readFileSync } from 'node:fs';

/** The bot's version, from package.json (shown by /about and named in the User-Agent of fetches). */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
