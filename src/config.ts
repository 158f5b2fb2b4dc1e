import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const snowflake = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)')
    .optional(),
);

const EnvSchema = z.object({
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: snowflake,
  DISCORD_GUILD_ID: snowflake,
  DISCORD_API_BASE: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://discord.com/api' })
      .default('https://discord.com/api'),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('data')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({
        protocol: /^postgres(ql)?$/,
        error:
          'must be a PostgreSQL URL such as postgres://user:password@host:5432/database, or unset for SQLite',
      })
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  RESCAN_INTERVAL_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(0, 'must be 0 (off) or more')
      .default(60),
  ),
  RELIEFWEB_APPNAME: optionalString,
  BOT_HOMEPAGE: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL where site owners can read about the bot' })
      .optional(),
  ),
});

/** Validated settings, camelCase and frozen. Secrets are never printed. */
export interface Config {
  readonly discordToken: string | undefined;
  readonly discordApplicationId: string | undefined;
  readonly discordGuildId: string | undefined;
  /** REST base URL, without a trailing slash (`https://discord.com/api`). */
  readonly discordApiBase: string;
  readonly dataDir: string;
  /**
   * PostgreSQL shared by several bot processes (`postgres://…`); undefined keeps the state in
   * `DATA_DIR/bot.sqlite`. Holds a password: never log it (see describeDatabaseUrl).
   */
  readonly databaseUrl: string | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Fallback rescan of `raw/` for missed file events; 0 turns it off. */
  readonly rescanIntervalSeconds: number;
  /** ReliefWeb API appname (pre-approved by ReliefWeb); without it ReliefWeb sources are skipped. */
  readonly reliefwebAppname: string | undefined;
  /** Named in the User-Agent of every fetch from live sources, so site owners can find us. */
  readonly botHomepage: string | undefined;
}

/** Thrown with every problem in the environment at once, each naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates settings from an environment map (pass `process.env`). Pure. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      // Never echo the received value: it may be a secret.
      return `${name}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return Object.freeze({
    discordToken: e.DISCORD_TOKEN,
    discordApplicationId: e.DISCORD_APPLICATION_ID,
    discordGuildId: e.DISCORD_GUILD_ID,
    discordApiBase: e.DISCORD_API_BASE.replace(/\/+$/, ''),
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    rescanIntervalSeconds: e.RESCAN_INTERVAL_SECONDS,
    reliefwebAppname: e.RELIEFWEB_APPNAME,
    botHomepage: e.BOT_HOMEPAGE,
  });
}

/**
 * The process environment, with a `.env` file in the working directory applied first when present
 * (real environment variables win). The one place that touches `process.env`.
 */
export function readEnvironment(envFile = '.env'): Readonly<Record<string, string | undefined>> {
  try {
    process.loadEnvFile(envFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return process.env;
}
