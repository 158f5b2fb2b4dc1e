import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { parseAllowedNetworks } from './core/sources/addressPolicy.js';
import { LANGUAGES } from './i18n/languages.js';

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

const SHARD_ID_LIST = /^\s*\d+\s*(,\s*\d+\s*)*$/;
const SHARD_COUNT_PROBLEM =
  "must be a whole number of shards, 1 or more (remove it for Discord's recommendation)";

// ── The web panel (src/panel) ───────────────────────────────────────────────────────────────────
// Off unless PANEL_PORT is set; then its sign-in settings are required (checkPanelSettings).

const PANEL_FIELDS = {
  PANEL_PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a TCP port number (unset or empty turns the web panel off)' })
      .int('must be a whole port number')
      .min(0, 'must be a port from 0 to 65535 (0: any free port)')
      .max(65535, 'must be a port from 0 to 65535 (0: any free port)')
      .optional(),
  ),
  PANEL_HOST: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9.:-]+$/, 'must be an address to listen on, such as 127.0.0.1, 0.0.0.0 or ::')
      .default('127.0.0.1'),
  ),
  PANEL_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({
        protocol: /^https?$/,
        error: 'must be the http(s) URL people open the panel at, such as https://news.example.org',
      })
      .optional(),
  ),
  DISCORD_CLIENT_SECRET: optionalString,
  PANEL_SESSION_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 48)').optional(),
  ),
  DISCORD_OAUTH_AUTHORIZE_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({
        protocol: /^https?$/,
        error: 'must be an http(s) URL such as https://discord.com/oauth2/authorize',
      })
      .default('https://discord.com/oauth2/authorize'),
  ),
};

/** What the panel cannot sign anyone in without, once PANEL_PORT asks for it. */
const PANEL_NEEDS = [
  'PANEL_URL',
  'DISCORD_APPLICATION_ID',
  'DISCORD_CLIENT_SECRET',
  'PANEL_SESSION_SECRET',
] as const;

type PanelEnv = z.output<z.ZodObject<typeof PANEL_FIELDS>> & { DISCORD_APPLICATION_ID?: string | undefined };

function checkPanelSettings(env: PanelEnv, ctx: z.RefinementCtx): void {
  if (env.PANEL_PORT === undefined) return;
  const missing = PANEL_NEEDS.filter((name) => env[name] === undefined);
  if (missing.length === 0) return;
  ctx.addIssue({
    code: 'custom',
    path: ['PANEL_PORT'],
    message: `is set, so the web panel needs ${missing.join(', ')} (see .env.example), or unset PANEL_PORT`,
  });
}

/** The web panel's settings (PANEL_PORT set). Two secrets: never log this object. */
export interface PanelConfig {
  readonly port: number;
  readonly host: string;
  /** Public base URL without a trailing slash; sign-in returns to `${url}/auth/callback`. */
  readonly url: string;
  /** OAuth2 client id: the application's id. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Seals session cookies (at least 32 characters). */
  readonly sessionSecret: string;
  readonly authorizeUrl: string;
  /** Cookies carry `Secure` when the panel is served over https. */
  readonly secureCookies: boolean;
}

function panelConfig(e: PanelEnv): PanelConfig | undefined {
  if (e.PANEL_PORT === undefined) return undefined;
  // checkPanelSettings made sure of these.
  const url = e.PANEL_URL!.replace(/\/+$/, '');
  return Object.freeze({
    port: e.PANEL_PORT,
    host: e.PANEL_HOST,
    url,
    clientId: e.DISCORD_APPLICATION_ID!,
    clientSecret: e.DISCORD_CLIENT_SECRET!,
    sessionSecret: e.PANEL_SESSION_SECRET!,
    authorizeUrl: e.DISCORD_OAUTH_AUTHORIZE_URL,
    secureCookies: url.startsWith('https:'),
  });
}

/** Every variable, each checked on its own. */
const EnvFields = z.object({
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
  SOURCES_TICK_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(1, 'must be 1 second or more (each source keeps its own everyMinutes in sources.json)')
      .optional(),
  ),
  DIGEST_CLAIM_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(5, 'must be 5 seconds or more (a claim is renewed after every message posted)')
      .default(60),
  ),
  DIGEST_SWEEP_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(0, 'must be 0 (off) or more')
      .optional(),
  ),
  RELIEFWEB_APPNAME: optionalString,
  BOT_HOMEPAGE: z.preprocess(
    emptyToUndefined,
    z
      .url({
        protocol: /^https?$/,
        error: 'must be an http(s) URL where site owners can read about the bot',
      })
      .optional(),
  ),
  // Not emptyToUndefined: discord.js reads SHARD_COUNT from the environment too (for its
  // ShardingManager) and turns an empty one into 0 shards, so an empty line must be removed.
  SHARD_COUNT: z.coerce
    .number({ error: SHARD_COUNT_PROBLEM })
    .int(SHARD_COUNT_PROBLEM)
    .min(1, SHARD_COUNT_PROBLEM)
    .optional(),
  SHARD_IDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(SHARD_ID_LIST, 'must be shard ids separated by commas, such as 0,1')
      .transform((list) => list.split(',').map((id) => Number(id.trim())))
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
  // Live sources: the networks the fetcher may reach besides public addresses (see addressPolicy).
  FETCH_ALLOW_NETWORKS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((text, ctx) => {
        const parsed = parseAllowedNetworks(text);
        if (parsed.ok) return parsed.value;
        for (const problem of parsed.error) ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      })
      .default([]),
  ),
  // The console's language, and Discord's when neither the member, the server nor its locale decides.
  BOT_LANGUAGE: z.preprocess(
    emptyToUndefined,
    z.enum(LANGUAGES, { error: `must be a language with a catalog: ${LANGUAGES.join(', ')}` }).default('en'),
  ),
  ...PANEL_FIELDS,
});

/** With the checks that span variables (SHARD_IDS against SHARD_COUNT, the panel's settings). */
const EnvSchema = EnvFields.superRefine(checkPanelSettings).superRefine(
  (env, ctx) => {
    const ids = env.SHARD_IDS;
    if (ids === undefined) return;
    const count = env.SHARD_COUNT;
    if (count === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['SHARD_IDS'],
        message: 'needs SHARD_COUNT, the number of shards of all processes together',
      });
      return;
    }
    const outOfRange = ids.filter((id) => id >= count);
    if (outOfRange.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['SHARD_IDS'],
        message: `${outOfRange.length === 1 ? 'shard' : 'shards'} ${outOfRange.join(', ')} ${outOfRange.length === 1 ? 'does' : 'do'} not exist with SHARD_COUNT=${count} (ids are 0 to ${count - 1})`,
      });
    const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
    if (repeated.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['SHARD_IDS'],
        message: `lists shard ${[...new Set(repeated)].join(', ')} more than once`,
      });
  },
  // Checked alongside other variables' problems, once both shard variables are well-formed.
  {
    when: (payload) =>
      !payload.issues.some((i) => i.path?.[0] === 'SHARD_COUNT' || i.path?.[0] === 'SHARD_IDS'),
  },
);

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
  /**
   * The live sources' beat: how often a process looks for sources due (each has its own
   * `everyMinutes`) and follows documents other processes fetched into its index. Default 5 s with
   * PostgreSQL (other processes' fetches show within seconds), 30 s with SQLite.
   */
  readonly sourcesTickSeconds: number;
  /**
   * How long a process's claim on a digest run lasts without renewal: after a crash, another process
   * (or this one restarted) finishes the delivery once it expires.
   */
  readonly digestClaimSeconds: number;
  /**
   * How often each process looks for digest work left or changed elsewhere (a delivery a dead
   * process left pending, a missed slot, a subscription changed by another process); 0 turns it
   * off. Undefined: 10 s with PostgreSQL, off with SQLite (one process).
   */
  readonly digestSweepSeconds: number | undefined;
  /** ReliefWeb API appname (pre-approved by ReliefWeb); without it ReliefWeb sources are skipped. */
  readonly reliefwebAppname: string | undefined;
  /** Named in the User-Agent of every fetch from live sources, so site owners can find us. */
  readonly botHomepage: string | undefined;
  /** Shards of all processes together; `undefined`: Discord's recommendation (GET /gateway/bot). */
  readonly shardCount: number | undefined;
  /** The shards this process runs, each below `shardCount`; `undefined`: all of them. */
  readonly shardIds: readonly number[] | undefined;
  /** Port of `/healthz` and `/metrics`; undefined (the default) serves neither. 0: any free port. */
  readonly metricsPort: number | undefined;
  /**
   * Address they listen on. Default 0.0.0.0: in a container the scraper and the orchestrator's
   * probes come from outside it; the port is off unless set, and serves counts, never secrets.
   */
  readonly metricsHost: string;
  /**
   * Networks (normalised CIDR ranges) live sources may fetch from besides public addresses:
   * loopback, private, link-local and other non-public addresses are refused unless listed here.
   */
  readonly fetchAllowNetworks: readonly string[];
  /** The console's language, and the last fallback of Discord replies (see replyLanguage). */
  readonly botLanguage: (typeof LANGUAGES)[number];
  /** The web panel (src/panel), served when PANEL_PORT is set; undefined otherwise. */
  readonly panel: PanelConfig | undefined;
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
    sourcesTickSeconds: e.SOURCES_TICK_SECONDS ?? (e.DATABASE_URL ? 5 : 30),
    digestClaimSeconds: e.DIGEST_CLAIM_SECONDS,
    digestSweepSeconds: e.DIGEST_SWEEP_SECONDS,
    reliefwebAppname: e.RELIEFWEB_APPNAME,
    botHomepage: e.BOT_HOMEPAGE,
    shardCount: e.SHARD_COUNT,
    shardIds: e.SHARD_IDS && Object.freeze([...e.SHARD_IDS]),
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    fetchAllowNetworks: Object.freeze([...e.FETCH_ALLOW_NETWORKS]),
    botLanguage: e.BOT_LANGUAGE,
    panel: panelConfig(e),
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

// PROXY_HOST: where the REST proxy listens. Loopback unless the operator opens it (compose sets
// 0.0.0.0 inside its own network): whoever reaches it can send requests as the bot.
const PROXY_HOST_PROBLEM =
  'must be an IP address or host name to listen on, such as 127.0.0.1, 0.0.0.0 or ::';
const proxyHost = z.preprocess(
  emptyToUndefined,
  z
    .union([z.ipv4(), z.ipv6(), z.hostname()], { error: PROXY_HOST_PROBLEM })
    // A hostname may be all digits and dots, but such a one is a mistyped IPv4 address (300.1.1.1).
    .refine((host) => !/^[\d.]+$/.test(host) || isIPv4(host), PROXY_HOST_PROBLEM)
    .default('127.0.0.1'),
);

const ProxyEnvSchema = EnvFields.pick({ DISCORD_API_BASE: true, LOG_LEVEL: true }).extend({
  PROXY_HOST: proxyHost,
  PROXY_PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a TCP port number' })
      .int('must be a whole port number')
      .min(0, 'must be a port from 0 (any free port) to 65535')
      .max(65535, 'must be a port from 0 (any free port) to 65535')
      .default(8080),
  ),
});

/** Settings of the REST proxy (`npm run proxy`), validated like the bot's. */
export interface ProxyConfig {
  /** Where the proxy forwards to, without a trailing slash (`https://discord.com/api`). */
  readonly discordApiBase: string;
  readonly logLevel: Config['logLevel'];
  /** The address it listens on: 127.0.0.1 unless set (compose: 0.0.0.0 inside its network). */
  readonly proxyHost: string;
  /** The port it listens on; 0 picks a free one (tests). */
  readonly proxyPort: number;
}

/** Reads and validates the REST proxy's settings from an environment map. Pure. */
export function loadProxyConfig(env: Readonly<Record<string, string | undefined>>): ProxyConfig {
  const parsed = ProxyEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return Object.freeze({
    discordApiBase: e.DISCORD_API_BASE.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    proxyHost: e.PROXY_HOST,
    proxyPort: e.PROXY_PORT,
  });
}
