import { destination, pino } from 'pino';
import type { Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger } from 'pino';

/**
 * Structured JSON logs at the configured level. `stderr` keeps stdout free for the console mode's
 * replies.
 */
export function createLogger(level: Config['logLevel'], stream: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino({ level, base: { app: 'migration-news-bot' } }, destination(stream === 'stderr' ? 2 : 1));
}
