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
  METRICS_PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a TCP port number (unset or empty turns /healthz and /metrics off)' })
      .int('must be a whole port number')
      .min(0, 'must be a port from 0 to 65535 (0: any free port)')
      .max(65535, 'must be a port from 0 to 65535 (0: any free port)')
      .optional(),
  ),
  METRICS_HOST: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9.:-]+$/, 'must be an address to listen on, such as 0.0.0.0, 127.0.0.1 or ::')
      .default('0.0.0.0'),
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
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Fallback rescan of `raw/` for missed file events; 0 turns it off. */
  readonly rescanIntervalSeconds: number;
  /** ReliefWeb API appname (pre-approved by ReliefWeb); without it ReliefWeb sources are skipped. */
  readonly reliefwebAppname: string | undefined;
  /** Named in the User-Agent of every fetch from live sources, so site owners can find us. */
  readonly botHomepage: string | undefined;
  /** Port of `/healthz` and `/metrics`; undefined (the default) serves neither. 0: any free port. */
  readonly metricsPort: number | undefined;
  /**
   * Address they listen on. Default 0.0.0.0: in a container the scraper and the orchestrator's
   * probes come from outside it; the port is off unless set, and serves counts, never secrets.
   */
  readonly metricsHost: string;
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
    logLevel: e.LOG_LEVEL,
    rescanIntervalSeconds: e.RESCAN_INTERVAL_SECONDS,
    reliefwebAppname: e.RELIEFWEB_APPNAME,
    botHomepage: e.BOT_HOMEPAGE,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
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
