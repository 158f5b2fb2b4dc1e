import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

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
        metricsPort: undefined,
        metricsHost: '0.0.0.0',
      });
      expect(Object.isFrozen(config)).toBe(true);
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
});
