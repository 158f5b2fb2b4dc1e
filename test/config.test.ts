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
        reliefwebAppname: undefined,
      });
      expect(Object.isFrozen(config)).toBe(true);
    });

    it('reads RELIEFWEB_APPNAME, empty meaning unset', () => {
      expect(loadConfig({ RELIEFWEB_APPNAME: 'newsroom-bot' }).reliefwebAppname).toBe('newsroom-bot');
      expect(loadConfig({ RELIEFWEB_APPNAME: '' }).reliefwebAppname).toBeUndefined();
    });

    it('treats empty strings as unset', () => {
      expect(loadConfig({ DISCORD_GUILD_ID: '', LOG_LEVEL: '' }).logLevel).toBe('info');
    });

    it('strips a trailing slash from the API base', () => {
      expect(loadConfig({ DISCORD_API_BASE: 'http://127.0.0.1:5000/api/' }).discordApiBase).toBe(
        'http://127.0.0.1:5000/api',
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

  describe('loadProxyConfig', () => {
    it('listens on 8080 and forwards to Discord when the environment is empty', () => {
      const config = loadProxyConfig({});
      expect(config).toEqual({
        discordApiBase: 'https://discord.com/api',
        logLevel: 'info',
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
