import { ChannelType, DiscordAPIError, REST, RESTEvents, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoopbackDiscord } from '../../loopback/discord.js';
import { slidingWindow, startProxyServer, type ProxyServer } from '../../src/discord/proxyServer.js';
import { createLogger } from '../../src/logger.js';

/** A bot process's REST client, as discord.js builds it from DISCORD_API_BASE, and what it saw. */
function botRest(apiBase: string, token: string) {
  const rest = new REST({ api: apiBase, version: '10' }).setToken(token);
  const statuses: number[] = [];
  rest.on(RESTEvents.Response, (_request, response) => statuses.push(response.status));
  return { rest, statuses };
}

describe('proxyServer', () => {
  describe('startProxyServer', () => {
    let discord: LoopbackDiscord;
    let proxy: ProxyServer;

    beforeEach(async () => {
      discord = await LoopbackDiscord.start();
      proxy = await startProxyServer({
        apiBase: discord.apiBase,
        port: 0,
        host: '127.0.0.1',
        logger: createLogger('silent'),
      });
    });

    afterEach(async () => {
      await proxy.close();
      await discord.close();
    });

    it('forwards a bot’s message, with its token, to Discord and hands back Discord’s answer', async () => {
      const channelId = discord.channel('general').id;
      const { rest } = botRest(proxy.apiBase, discord.token);

      const message = (await rest.post(Routes.channelMessages(channelId), {
        body: { content: 'through the proxy' },
      })) as { id: string; content: string };

      expect(message.content).toBe('through the proxy');
      expect(discord.channelMessages(channelId).map((m) => m.id)).toContain(message.id);
      const [request] = discord.requestsTo('POST', `/channels/${channelId}/messages`);
      expect(request?.headers.authorization).toBe(`Bot ${discord.token}`);
    });

    it('hands back Discord’s errors as they are (a wrong token: 401)', async () => {
      const { rest } = botRest(proxy.apiBase, 'not-the-token');

      const error = await rest.get(Routes.gatewayBot()).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DiscordAPIError);
      expect((error as DiscordAPIError).status).toBe(401);
    });

    it('queues every process’s requests while one of them waits out a global 429: no bot sees a 429', async () => {
      const general = discord.channel('general').id;
      const announcements = discord.channel('announcements').id;
      discord.inject({
        method: 'POST',
        path: `/channels/${general}/messages`,
        fault: { kind: 'rateLimit', retryAfter: 1, global: true },
      });
      const first = botRest(proxy.apiBase, discord.token);
      const second = botRest(proxy.apiBase, discord.token);

      // The first process hits the global limit...
      const firstPost = first.rest.post(Routes.channelMessages(general), { body: { content: 'first' } });
      const limited = await discord.waitFor(() => discord.requests.find((r) => r.status === 429));
      // ...then the second posts elsewhere (another route, another bucket) while the proxy waits.
      const secondPosts = [1, 2, 3].map((n) =>
        second.rest.post(Routes.channelMessages(announcements), { body: { content: `second ${n}` } }),
      );
      await Promise.all([firstPost, ...secondPosts]);

      expect(discord.requests.filter((r) => r.status === 429)).toHaveLength(1);
      expect([...first.statuses, ...second.statuses].every((status) => status === 200)).toBe(true);
      const afterwards = discord.requests.filter((r) => r.method === 'POST' && r !== limited);
      expect(afterwards).toHaveLength(4);
      for (const request of afterwards) {
        // Retry-After: 1 s, counted by the proxy from when it read the 429 (a little after it was sent).
        expect(request.receivedAt - limited.receivedAt).toBeGreaterThanOrEqual(950);
      }
      expect(discord.channelMessages(announcements).map((m) => m.content)).toEqual(
        expect.arrayContaining(['second 1', 'second 2', 'second 3']),
      );
      expect(discord.channelMessages(general).map((m) => m.content)).toContain('first');
    });

    it('spaces every bot’s requests to the global limit, leaving a margin, without a 429 to learn it from', async () => {
      // Three bot processes post 130 messages over 26 channels at once (5 each, under the per-channel
      // limit). The loopback enforces no global limit, so only the proxy's gate can spread them.
      const guild = discord.addGuild({
        channels: Array.from({ length: 26 }, (_, k) => ({ name: `c${k}`, type: ChannelType.GuildText })),
      });
      const channels = guild.channels.map((c) => c.id);
      const bots = [1, 2, 3].map(() => botRest(proxy.apiBase, discord.token));
      await Promise.all(
        Array.from({ length: 130 }, (_, n) =>
          bots[n % 3]!.rest.post(Routes.channelMessages(channels[n % 26]!), { body: { content: `m${n}` } }),
        ),
      );
      const times = discord.requests
        .filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))
        .map((r) => r.receivedAt)
        .sort((a, b) => a - b);
      expect(times).toHaveLength(130);
      expect(bots.every((b) => b.statuses.every((status) => status === 200))).toBe(true);
      // 48 a second: the first 48 at once, the next 48 a second later, the last 34 a second after.
      expect(times[47]! - times[0]!).toBeLessThan(900);
      expect(times[48]! - times[0]!).toBeGreaterThanOrEqual(900);
      expect(times[96]! - times[0]!).toBeGreaterThanOrEqual(1900);
      expect(times.at(-1)! - times[0]!).toBeLessThan(3500);
    });
  });

  describe('slidingWindow', () => {
    it('lets `limit` callers through at once, then each as the oldest leaves the window, in order', async () => {
      const gate = slidingWindow(3, 200);
      const started = Date.now();
      const passed: number[] = [];
      const passedAt: number[] = [];
      await Promise.all(
        Array.from({ length: 7 }, (_, n) =>
          gate().then(() => {
            passed.push(n);
            passedAt[n] = Date.now() - started;
          }),
        ),
      );
      expect(passed).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(passedAt.slice(0, 3).every((ms) => ms < 100)).toBe(true);
      expect(passedAt.slice(3, 6).every((ms) => ms >= 195 && ms < 350)).toBe(true);
      expect(passedAt[6]).toBeGreaterThanOrEqual(395);
    });
  });
});
