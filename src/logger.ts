import { destination, pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { Config } from './config.js';
import { redactDiscordPath } from './util/tokenRedaction.js';

export type { Logger } from 'pino';

/** Keys whose values are URLs or routes: logged with interaction and webhook tokens cut out. */
const URL_KEYS = new Set(['url', 'route']);

/**
 * What never reaches a log as it is, wherever a log call puts it: credentials (an Authorization
 * header, a token, a password, a secret, the PostgreSQL URL with its password) become
 * `[Redacted]`; URLs and routes (ours, and the `url` of a discord.js error serialized under `err`)
 * lose the tokens of interaction and webhook paths. Paths are pino's (fast-redact): `*` is one
 * level of keys.
 */
export const LOG_REDACTION = {
  paths: [
    ...['authorization', 'headers.authorization', '*.headers.authorization', 'req.headers.authorization'],
    ...['token', '*.token', 'discordToken', '*.discordToken', 'DISCORD_TOKEN', '*.DISCORD_TOKEN'],
    ...['password', '*.password', 'secret', '*.secret', 'clientSecret', '*.clientSecret'],
    ...['databaseUrl', '*.databaseUrl', 'DATABASE_URL', '*.DATABASE_URL'],
    // The web panel's secrets, and the OAuth2 tokens of its users.
    ...['sessionSecret', '*.sessionSecret', 'panel.clientSecret', 'panel.sessionSecret'],
    ...['*.panel.clientSecret', '*.panel.sessionSecret', 'DISCORD_CLIENT_SECRET', '*.DISCORD_CLIENT_SECRET'],
    ...['PANEL_SESSION_SECRET', '*.PANEL_SESSION_SECRET', 'accessToken', '*.accessToken'],
    ...['access_token', '*.access_token', 'refresh_token', '*.refresh_token'],
    ...['url', '*.url', 'route', '*.route'],
  ],
  censor: (value: unknown, path: string[]): unknown =>
    URL_KEYS.has(path.at(-1) ?? '') && typeof value === 'string' ? redactDiscordPath(value) : '[Redacted]',
};

/**
 * Structured JSON logs at the configured level, redacted as {@link LOG_REDACTION} says. `stderr`
 * keeps stdout free for the console mode's replies; a stream of your own receives the lines
 * (tests read what would have been printed).
 */
export function createLogger(
  level: Config['logLevel'],
  stream: 'stdout' | 'stderr' | DestinationStream = 'stdout',
): Logger {
  const target = typeof stream === 'string' ? destination(stream === 'stderr' ? 2 : 1) : stream;
  return pino({ level, base: { app: 'migration-news-bot' }, redact: LOG_REDACTION }, target);
}
