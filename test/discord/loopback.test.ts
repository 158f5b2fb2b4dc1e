import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackDiscord } from '../support/loopbackDiscord.js';

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
});
