import { Client, Events, GatewayIntentBits, MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackDiscord } from '../../loopback/discord.js';

describe('loopback Discord server', () => {
  let server: LoopbackDiscord;
  let client: Client;

  beforeAll(async () => {
    server = await LoopbackDiscord.start();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: server.apiBase } });
    client.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isChatInputCommand()) {
        const text = interaction.options.getString('text') ?? '';
        if (text === 'defer') {
          void interaction
            .deferReply({ flags: MessageFlags.Ephemeral })
            .then(() => interaction.editReply('later'));
        } else {
          void interaction.reply({ content: `echo ${text}`, allowedMentions: { parse: [] } });
        }
      }
    });
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login(server.token);
    await ready;
  });

  afterAll(async () => {
    await client.destroy();
    await server.close();
  });

  it('lets the real client log in and see the seeded guild and channels', () => {
    const guild = client.guilds.cache.get(server.guild.id);
    expect(guild?.name).toBe('Loopback Guild');
    expect(guild?.channels.cache.map((c) => c.name).sort()).toEqual(['Lounge', 'announcements', 'general']);
    expect(client.user?.id).toBe(server.applicationId);
  });

  it('delivers a slash command and records the reply', async () => {
    const session = await server.sendSlashCommand('echo', { text: 'hello' });
    expect(session.reply?.content).toBe('echo hello');
    expect(session.isEphemeral).toBe(false);
    expect(server.channelMessages(server.channel('general').id).map((m) => m.content)).toContain(
      'echo hello',
    );
    expect(server.requestsTo('POST', /^\/interactions\//)[0]?.headers.authorization).toBeUndefined();
  });

  it('waits for the edit after a deferred reply', async () => {
    const session = await server.sendSlashCommand('echo', { text: 'defer' });
    expect(session.isDeferred).toBe(true);
    expect(session.reply?.content).toBe('later');
    expect(session.isEphemeral).toBe(true);
  });

  it('refuses a first answer after the interaction deadline, as Discord does', async () => {
    const strict = await LoopbackDiscord.start({ interactionDeadlineMs: 100 });
    const late = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: strict.apiBase } });
    late.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isChatInputCommand())
        setTimeout(() => void interaction.reply('too late').catch(() => undefined), 150);
    });
    const ready = new Promise((resolve) => late.once(Events.ClientReady, resolve));
    await late.login(strict.token);
    await ready;
    const session = strict.startSlashCommand('echo');
    await strict.waitFor(() => strict.requestsTo('POST', '/interactions/')[0]?.status);
    expect(strict.requestsTo('POST', '/interactions/')[0]?.status).toBe(404);
    expect(session.callback).toBeUndefined();
    await late.destroy();
    await strict.close();
  });

  it('lets the client resume after the gateway drops it, and serve again', async () => {
    const resumed = new Promise((resolve) => client.once(Events.ShardResume, resolve));
    server.disconnectClients(4000);
    await resumed;
    const session = await server.sendSlashCommand('echo', { text: 'after resume' });
    expect(session.reply?.content).toBe('echo after resume');
  });

  it('answers 401 to a wrong token', async () => {
    const response = await fetch(`${server.apiBase}/v10/users/@me`, {
      headers: { authorization: 'Bot nope' },
    });
    expect(response.status).toBe(401);
  });

  it('retries a reply after an injected 429 with Retry-After', async () => {
    server.inject({
      method: 'POST',
      path: /^\/interactions\//,
      fault: { kind: 'rateLimit', retryAfter: 0.05 },
    });
    const session = await server.sendSlashCommand('echo', { text: 'again' });
    expect(session.reply?.content).toBe('echo again');
    const callbacks = server.requestsTo('POST', `/interactions/${session.id}`);
    expect(callbacks.map((r) => r.status)).toEqual([429, 204]);
  });

  describe('channel messages', () => {
    const general = () => client.channels.fetch(server.channel('general').id) as Promise<TextChannel>;

    it('returns the message already created with the same nonce instead of a duplicate', async () => {
      const channel = await general();
      const first = await channel.send({ content: 'digest 1/2', nonce: 'sub-1:42:0', enforceNonce: true });
      const again = await channel.send({ content: 'digest 1/2', nonce: 'sub-1:42:0', enforceNonce: true });
      expect(again.id).toBe(first.id);
      expect(server.channelMessages(channel.id).filter((m) => m.nonce === 'sub-1:42:0')).toHaveLength(1);
    });

    it('answers 403 Missing Permissions when the bot may not send there', async () => {
      const channel = await general();
      server.updateChannel(channel.id, (c) => {
        c.overwrites = [
          { id: server.guild.id, type: 'role', allow: 0n, deny: PermissionFlagsBits.SendMessages },
        ];
      });
      await expect(channel.send('hello')).rejects.toMatchObject({ status: 403, code: 50013 });
      server.updateChannel(channel.id, (c) => {
        c.overwrites = [
          { id: server.guild.id, type: 'role', allow: 0n, deny: PermissionFlagsBits.ViewChannel },
        ];
      });
      await expect(channel.send('hello')).rejects.toMatchObject({ status: 403, code: 50001 });
      server.updateChannel(channel.id, (c) => {
        c.overwrites = [];
      });
      await expect(channel.send('hello')).resolves.toMatchObject({ content: 'hello' });
    });

    it('answers 404 Unknown Channel for a deleted channel and tells the client', async () => {
      const channel = await general();
      const gone = server.guild.channels.find((c) => c.name === 'announcements')!;
      server.deleteChannel(gone.id);
      await server.waitFor(() => !client.channels.cache.has(gone.id));
      await expect(
        client.rest.post(`/channels/${gone.id}/messages`, { body: { content: 'x' } }),
      ).rejects.toMatchObject({
        status: 404,
        code: 10003,
      });
      expect(channel.id).not.toBe(gone.id);
    });

    it('injects faults for the next matching requests only', async () => {
      const channel = await general();
      server.inject({
        method: 'POST',
        path: `/channels/${channel.id}/messages`,
        fault: { kind: 'serverError' },
        times: 2,
      });
      const sent = await channel.send('after two 500s');
      expect(sent.content).toBe('after two 500s');
      const statuses = server
        .requestsTo('POST', `/channels/${channel.id}/messages`)
        .slice(-3)
        .map((r) => r.status);
      expect(statuses).toEqual([500, 500, 200]);
      server.inject({
        method: 'POST',
        path: `/channels/${channel.id}/messages`,
        fault: { kind: 'missingAccess' },
      });
      await expect(channel.send('x')).rejects.toMatchObject({ code: 50001 });
    });

    it('tells the client when the bot leaves a guild', async () => {
      const other = await LoopbackDiscord.start({ guilds: [{ name: 'A' }, { name: 'B' }] });
      const second = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: other.apiBase } });
      const ready = new Promise((resolve) => second.once(Events.ClientReady, resolve));
      await second.login(other.token);
      await ready;
      expect(second.guilds.cache.size).toBe(2);
      const left = new Promise((resolve) => second.once(Events.GuildDelete, resolve));
      other.removeGuild(other.guilds[1]!.id);
      await left;
      expect(second.guilds.cache.map((g) => g.name)).toEqual(['A']);
      await second.destroy();
      await other.close();
    });
  });
});
