import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadProxyConfig } from '../src/config.js';

describe('config', () => {
  describe('loadConfig', () => {
    it('applies defaults when the environment is empty', () => {
      const config = loadConfig({});
      expect(config).toEqual({
        discordToken: undefined,
        discordApplicationId: undefined,
        discordGuildId: undefined,
        discordApiBase: 'https://discord.com/api',
        dataDir: 'data',
        logLevel: 'info',
        rescanIntervalSeconds: 60,
        sourcesTickSeconds: 30,
        databaseUrl: undefined,
        digestClaimSeconds: 60,
        digestSweepSeconds: undefined,
        reliefwebAppname: undefined,
        shardCount: undefined,
        shardIds: undefined,
        metricsPort: undefined,
        metricsHost: '0.0.0.0',
        fetchAllowNetworks: [],
        botLanguage: 'en',
        panel: undefined,
      });
      expect(Object.isFrozen(config)).toBe(true);
    });

    it('reads DATABASE_URL (PostgreSQL only, empty meaning SQLite) and the digest claim and sweep', () => {
      expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
      expect(loadConfig({ DATABASE_URL: 'postgres://bot:pw@db:5432/news' }).databaseUrl).toBe(
        'postgres://bot:pw@db:5432/news',
      );
      expect(loadConfig({ DATABASE_URL: 'postgresql://db/news' }).databaseUrl).toBe('postgresql://db/news');
      expect(loadConfig({ DIGEST_CLAIM_SECONDS: '15', DIGEST_SWEEP_SECONDS: '0' })).toMatchObject({
        digestClaimSeconds: 15,
        digestSweepSeconds: 0,
      });
      for (const [name, value, message] of [
        [
          'DATABASE_URL',
          'mysql://bot:s3cret@db/news',
          'DATABASE_URL: must be a PostgreSQL URL such as postgres://user:password@host:5432/database, or unset for SQLite',
        ],
        [
          'DIGEST_CLAIM_SECONDS',
          '1',
          'DIGEST_CLAIM_SECONDS: must be 5 seconds or more (a claim is renewed after every message posted)',
        ],
        ['DIGEST_SWEEP_SECONDS', '-1', 'DIGEST_SWEEP_SECONDS: must be 0 (off) or more'],
      ] as const) {
        const error: unknown = (() => {
          try {
            loadConfig({ [name]: value });
            return undefined;
          } catch (e) {
            return e;
          }
        })();
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems).toEqual([message]);
        // The password in a refused URL is never echoed.
        expect((error as Error).message).not.toContain('s3cret');
      }
    });

    it('reads FETCH_ALLOW_NETWORKS as normalised CIDR ranges, empty meaning none', () => {
      expect(loadConfig({ FETCH_ALLOW_NETWORKS: '' }).fetchAllowNetworks).toEqual([]);
      const config = loadConfig({ FETCH_ALLOW_NETWORKS: ' 10.20.0.0/16, 127.0.0.1/32,FD00:0::/8 ' });
      expect(config.fetchAllowNetworks).toEqual(['10.20.0.0/16', '127.0.0.1/32', 'fd00::/8']);
      expect(Object.isFrozen(config.fetchAllowNetworks)).toBe(true);
    });

    it('names each bad FETCH_ALLOW_NETWORKS entry with what to write instead', () => {
      const problems = (value: string) => {
        try {
          loadConfig({ FETCH_ALLOW_NETWORKS: value });
        } catch (error) {
          if (error instanceof ConfigError) return error.problems;
          throw error;
        }
        return [];
      };
      expect(problems('10.20.0.0,0x7f.1/8,10.0.0.0/33,10.20.1.0/16,intranet/24')).toEqual([
        'FETCH_ALLOW_NETWORKS: "10.20.0.0" is not a CIDR range: write an address and a prefix length, such as 10.20.0.0/16 or 127.0.0.1/32',
        'FETCH_ALLOW_NETWORKS: "0x7f.1/8": 0x7f.1 is not an IPv4 address in dotted decimal or an IPv6 address',
        'FETCH_ALLOW_NETWORKS: "10.0.0.0/33": the prefix length must be 0 to 32',
        'FETCH_ALLOW_NETWORKS: "10.20.1.0/16" has bits set past its prefix length: did you mean 10.20.0.0/16?',
        'FETCH_ALLOW_NETWORKS: "intranet/24": intranet is not an IPv4 address in dotted decimal or an IPv6 address',
      ]);
    });

    it('reads RELIEFWEB_APPNAME, empty meaning unset', () => {
      expect(loadConfig({ RELIEFWEB_APPNAME: 'newsroom-bot' }).reliefwebAppname).toBe('newsroom-bot');
      expect(loadConfig({ RELIEFWEB_APPNAME: '' }).reliefwebAppname).toBeUndefined();
    });

    it('turns /healthz and /metrics on with METRICS_PORT only, on METRICS_HOST', () => {
      expect(loadConfig({ METRICS_PORT: '' }).metricsPort).toBeUndefined();
      expect(loadConfig({ METRICS_PORT: '9464' })).toMatchObject({
        metricsPort: 9464,
        metricsHost: '0.0.0.0',
      });
      expect(loadConfig({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' })).toMatchObject({
        metricsPort: 0,
        metricsHost: '127.0.0.1',
      });
    });

    it.each([
      [
        'METRICS_PORT',
        'nine',
        'METRICS_PORT: must be a TCP port number (unset or empty turns /healthz and /metrics off)',
      ],
      ['METRICS_PORT', '70000', 'METRICS_PORT: must be a port from 0 to 65535 (0: any free port)'],
      ['METRICS_PORT', '-1', 'METRICS_PORT: must be a port from 0 to 65535 (0: any free port)'],
      ['METRICS_PORT', '94.5', 'METRICS_PORT: must be a whole port number'],
      [
        'METRICS_HOST',
        'http://0.0.0.0/',
        'METRICS_HOST: must be an address to listen on, such as 0.0.0.0, 127.0.0.1 or ::',
      ],
    ])('refuses %s=%s with a message naming it', (name, value, message) => {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      try {
        loadConfig({ [name]: value });
      } catch (error) {
        expect((error as ConfigError).problems).toEqual([message]);
      }
    });

    it('treats empty strings as unset', () => {
      expect(loadConfig({ DISCORD_GUILD_ID: '', LOG_LEVEL: '' }).logLevel).toBe('info');
    });

    it('strips a trailing slash from the API base', () => {
      expect(loadConfig({ DISCORD_API_BASE: 'http://127.0.0.1:5000/api/' }).discordApiBase).toBe(
        'http://127.0.0.1:5000/api',
      );
    });

    describe('SHARD_COUNT and SHARD_IDS', () => {
      /** The problems loadConfig lists for `env`. */
      const problemsOf = (env: Record<string, string>): readonly string[] => {
        try {
          loadConfig(env);
        } catch (error) {
          if (error instanceof ConfigError) return error.problems;
          throw error;
        }
        return [];
      };

      it.each([
        [{ SHARD_COUNT: '3' }, 3, undefined],
        [{ SHARD_COUNT: '3', SHARD_IDS: '0,2' }, 3, [0, 2]],
        [{ SHARD_COUNT: '2', SHARD_IDS: ' 1 , 0 ' }, 2, [1, 0]],
        [{ SHARD_COUNT: '1', SHARD_IDS: '0' }, 1, [0]],
        [{ SHARD_COUNT: '4', SHARD_IDS: '' }, 4, undefined],
      ])('reads %o', (env, shardCount, shardIds) => {
        const config = loadConfig(env);
        expect(config.shardCount).toBe(shardCount);
        expect(config.shardIds).toEqual(shardIds);
        if (config.shardIds) expect(Object.isFrozen(config.shardIds)).toBe(true);
      });

      const COUNT_PROBLEM =
        "SHARD_COUNT: must be a whole number of shards, 1 or more (remove it for Discord's recommendation)";
      it.each([
        [{ SHARD_COUNT: '0' }, [COUNT_PROBLEM]],
        [{ SHARD_COUNT: '-2' }, [COUNT_PROBLEM]],
        [{ SHARD_COUNT: '1.5' }, [COUNT_PROBLEM]],
        [{ SHARD_COUNT: 'two' }, [COUNT_PROBLEM]],
        // discord.js reads SHARD_COUNT itself and would take an empty one for 0 shards.
        [{ SHARD_COUNT: '' }, [COUNT_PROBLEM]],
        [
          { SHARD_COUNT: '2', SHARD_IDS: '0;1' },
          ['SHARD_IDS: must be shard ids separated by commas, such as 0,1'],
        ],
        [
          { SHARD_COUNT: '2', SHARD_IDS: '0,' },
          ['SHARD_IDS: must be shard ids separated by commas, such as 0,1'],
        ],
        [
          { SHARD_COUNT: '2', SHARD_IDS: '-1' },
          ['SHARD_IDS: must be shard ids separated by commas, such as 0,1'],
        ],
        [
          { SHARD_IDS: '0,1' },
          ['SHARD_IDS: needs SHARD_COUNT, the number of shards of all processes together'],
        ],
        [
          { SHARD_COUNT: '2', SHARD_IDS: '2' },
          ['SHARD_IDS: shard 2 does not exist with SHARD_COUNT=2 (ids are 0 to 1)'],
        ],
        [
          { SHARD_COUNT: '2', SHARD_IDS: '0,2,5' },
          ['SHARD_IDS: shards 2, 5 do not exist with SHARD_COUNT=2 (ids are 0 to 1)'],
        ],
        [{ SHARD_COUNT: '3', SHARD_IDS: '1,1,2' }, ['SHARD_IDS: lists shard 1 more than once']],
      ])('refuses %o', (env, problems) => {
        expect(problemsOf(env)).toEqual(problems);
      });

      it("names a shard problem together with the other variables' problems", () => {
        expect(problemsOf({ LOG_LEVEL: 'loud', SHARD_IDS: '1' })).toEqual([
          'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
          'SHARD_IDS: needs SHARD_COUNT, the number of shards of all processes together',
        ]);
      });
    });

    it('gives the live sources a beat of their own: SOURCES_TICK_SECONDS, else 5 s with PostgreSQL, 30 s with SQLite', () => {
      expect(loadConfig({ SOURCES_TICK_SECONDS: '12', RESCAN_INTERVAL_SECONDS: '0' })).toMatchObject({
        sourcesTickSeconds: 12,
        rescanIntervalSeconds: 0,
      });
      // RESCAN_INTERVAL_SECONDS=0 turns the raw/ rescan off and leaves the sources' beat alone.
      expect(loadConfig({ RESCAN_INTERVAL_SECONDS: '0' }).sourcesTickSeconds).toBe(30);
      expect(loadConfig({ DATABASE_URL: 'postgres://db/news' }).sourcesTickSeconds).toBe(5);
      expect(loadConfig({ SOURCES_TICK_SECONDS: '' }).sourcesTickSeconds).toBe(30);
      for (const value of ['0', '1.5', 'often']) {
        expect(() => loadConfig({ SOURCES_TICK_SECONDS: value })).toThrow(/SOURCES_TICK_SECONDS: must be/);
      }
      expect(() => loadConfig({ SOURCES_TICK_SECONDS: '0' })).toThrow(
        'SOURCES_TICK_SECONDS: must be 1 second or more (each source keeps its own everyMinutes in sources.json)',
      );
    });

    it('lists every problem at once, naming each variable, without echoing values', () => {
      let caught: unknown;
      try {
        loadConfig({
          LOG_LEVEL: 'loud',
          DISCORD_APPLICATION_ID: 'abc',
          DISCORD_API_BASE: 'ftp://x',
          RESCAN_INTERVAL_SECONDS: '-1',
          DISCORD_TOKEN: 'secret-token',
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      const problems = (caught as ConfigError).problems;
      expect(problems).toHaveLength(4);
      expect(problems).toContain('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent');
      expect(problems).toContain('DISCORD_APPLICATION_ID: must be a Discord id (17 to 20 digits)');
      expect(problems).toContain('RESCAN_INTERVAL_SECONDS: must be 0 (off) or more');
      expect(problems.some((p) => p.startsWith('DISCORD_API_BASE: must be an http(s) URL'))).toBe(true);
      expect((caught as Error).message).not.toContain('secret-token');
    });
  });

  describe('loadConfig: the web panel', () => {
    const SIGN_IN = {
      DISCORD_APPLICATION_ID: '123456789012345678',
      PANEL_URL: 'https://news.example.org/',
      DISCORD_CLIENT_SECRET: 'client-secret',
      PANEL_SESSION_SECRET: 'x'.repeat(32),
    };

    it('is off without PANEL_PORT, whatever else is set', () => {
      expect(loadConfig({ ...SIGN_IN, PANEL_HOST: '0.0.0.0' }).panel).toBeUndefined();
    });

    it('reads the panel settings when PANEL_PORT is set, https URLs giving Secure cookies', () => {
      const panel = loadConfig({ ...SIGN_IN, PANEL_PORT: '8090' }).panel;
      expect(panel).toEqual({
        port: 8090,
        host: '127.0.0.1',
        url: 'https://news.example.org',
        clientId: '123456789012345678',
        clientSecret: 'client-secret',
        sessionSecret: 'x'.repeat(32),
        authorizeUrl: 'https://discord.com/oauth2/authorize',
        secureCookies: true,
      });
      expect(Object.isFrozen(panel)).toBe(true);
      const local = loadConfig({ ...SIGN_IN, PANEL_PORT: '0', PANEL_URL: 'http://127.0.0.1:8090' }).panel;
      expect(local?.secureCookies).toBe(false);
    });

    it('stops the start naming every sign-in setting PANEL_PORT needs and lacks', () => {
      expect(() => loadConfig({ PANEL_PORT: '8090', DISCORD_CLIENT_SECRET: 'client-secret' })).toThrow(
        expect.objectContaining({
          problems: [
            'PANEL_PORT: is set, so the web panel needs PANEL_URL, DISCORD_APPLICATION_ID, PANEL_SESSION_SECRET (see .env.example), or unset PANEL_PORT',
          ],
        }) as Error,
      );
    });

    it('refuses a short session secret and a URL that is not http(s), without echoing them', () => {
      let error: unknown;
      try {
        loadConfig({
          ...SIGN_IN,
          PANEL_PORT: '8090',
          PANEL_SESSION_SECRET: 'short-secret',
          PANEL_URL: 'ftp://x',
        });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'PANEL_URL: must be the http(s) URL people open the panel at, such as https://news.example.org',
        'PANEL_SESSION_SECRET: must be at least 32 characters (e.g. openssl rand -base64 48)',
      ]);
      expect((error as Error).message).not.toContain('short-secret');
    });
  });

  describe('loadProxyConfig', () => {
    it('listens on 127.0.0.1:8080 and forwards to Discord when the environment is empty', () => {
      const config = loadProxyConfig({});
      expect(config).toEqual({
        discordApiBase: 'https://discord.com/api',
        logLevel: 'info',
        proxyHost: '127.0.0.1',
        proxyPort: 8080,
      });
      expect(Object.isFrozen(config)).toBe(true);
    });

    it('reads PROXY_PORT and DISCORD_API_BASE, without the trailing slash', () => {
      expect(
        loadProxyConfig({ PROXY_PORT: '0', DISCORD_API_BASE: 'http://127.0.0.1:9000/api/' }),
      ).toMatchObject({
        proxyPort: 0,
        discordApiBase: 'http://127.0.0.1:9000/api',
      });
    });

    it.each(['0.0.0.0', '::', '::1', '10.0.0.5', 'localhost', 'discord-proxy', 'proxy.internal'])(
      'listens on PROXY_HOST=%s',
      (host) => {
        expect(loadProxyConfig({ PROXY_HOST: host }).proxyHost).toBe(host);
      },
    );

    it.each(['http://0.0.0.0', '300.1.1.1', '[::1]', 'a host', '0.0.0.0:8080', '-proxy'])(
      'refuses PROXY_HOST=%s, naming the variable',
      (host) => {
        expect(() => loadProxyConfig({ PROXY_HOST: host })).toThrow(
          expect.objectContaining({
            problems: [
              'PROXY_HOST: must be an IP address or host name to listen on, such as 127.0.0.1, 0.0.0.0 or ::',
            ],
          }) as Error,
        );
      },
    );

    it.each([
      ['http', 'PROXY_PORT: must be a TCP port number'],
      ['80.5', 'PROXY_PORT: must be a whole port number'],
      ['65536', 'PROXY_PORT: must be a port from 0 (any free port) to 65535'],
    ])('refuses PROXY_PORT=%s, naming the variable', (value, problem) => {
      expect(() => loadProxyConfig({ PROXY_PORT: value })).toThrow(
        expect.objectContaining({ problems: [problem] }) as Error,
      );
    });
  });
});
