import { DiscordAPIError } from '@discordjs/rest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

/** The shipped logger, writing into an array instead of stdout. */
function capturedLogger() {
  const lines: string[] = [];
  const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('logger', () => {
  describe('createLogger', () => {
    it('replaces credentials with [Redacted] wherever a log call puts them, keeping the rest', () => {
      const { logger, lines, entries } = capturedLogger();

      logger.info({ headers: { authorization: 'Bot secret-1', 'content-type': 'application/json' } }, 'a');
      logger.info({ req: { method: 'GET', headers: { authorization: 'Bot secret-2' } } }, 'b');
      logger.info({ token: 'secret-3', config: { discordToken: 'secret-4', dataDir: 'data' } }, 'c');
      logger.info({ databaseUrl: 'postgres://bot:secret-5@db/bot', env: { DISCORD_TOKEN: 'secret-6' } }, 'd');
      logger.info({ secret: 'secret-7', app: { clientSecret: 'secret-8', password: 'secret-9' } }, 'e');
      logger.info({ config: { panel: { clientSecret: 'secret-10', sessionSecret: 'secret-11' } } }, 'f');
      logger.info({ panel: { clientSecret: 'secret-12' }, session: { accessToken: 'secret-13' } }, 'g');

      expect(lines.join('')).not.toMatch(/secret-\d/);
      const [a, b, c, d, e, f, g] = entries();
      expect(a?.headers).toEqual({ authorization: '[Redacted]', 'content-type': 'application/json' });
      expect(b?.req).toEqual({ method: 'GET', headers: { authorization: '[Redacted]' } });
      expect(c).toMatchObject({
        token: '[Redacted]',
        config: { discordToken: '[Redacted]', dataDir: 'data' },
      });
      expect(d).toMatchObject({ databaseUrl: '[Redacted]', env: { DISCORD_TOKEN: '[Redacted]' } });
      expect(e).toMatchObject({
        secret: '[Redacted]',
        app: { clientSecret: '[Redacted]', password: '[Redacted]' },
      });
      expect(f).toMatchObject({
        config: { panel: { clientSecret: '[Redacted]', sessionSecret: '[Redacted]' } },
      });
      expect(g).toMatchObject({
        panel: { clientSecret: '[Redacted]' },
        session: { accessToken: '[Redacted]' },
      });
    });

    it('cuts interaction and webhook tokens out of URLs and routes, a discord.js error’s included', () => {
      const { logger, lines, entries } = capturedLogger();
      // What discord.js throws when an interaction's answer comes too late, logged as dispatch logs it.
      const error = new DiscordAPIError(
        { code: 10062, message: 'Unknown interaction' },
        10062,
        404,
        'POST',
        'https://discord.com/api/v10/interactions/1234/aW50ZXJhY3Rpb24tdG9rZW4/callback',
        { body: { type: 4 } },
      );

      logger.error({ err: error, command: 'search' }, 'interaction failed');
      logger.info({ url: '/api/v10/webhooks/5678/d2ViaG9vay10b2tlbg?wait=true' }, 'proxied');
      logger.info({ rateLimit: { route: '/webhooks/5678/d2ViaG9vay10b2tlbg' } }, 'rate limited');

      expect(lines.join('')).not.toContain('aW50ZXJhY3Rpb24tdG9rZW4');
      expect(lines.join('')).not.toContain('d2ViaG9vay10b2tlbg');
      const [failed, proxied, limited] = entries();
      expect(failed?.err).toMatchObject({
        message: 'Unknown interaction',
        code: 10062,
        url: 'https://discord.com/api/v10/interactions/1234/:token/callback',
      });
      expect(proxied?.url).toBe('/api/v10/webhooks/5678/:token?wait=true');
      expect(limited?.rateLimit).toEqual({ route: '/webhooks/5678/:token' });
    });
  });
});
