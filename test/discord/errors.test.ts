import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { UserError } from '../../src/core/errors.js';
import type { SlashCommand } from '../../src/discord/command.js';
import { APOLOGY } from '../../src/discord/dispatch.js';
import { sendReply } from '../../src/discord/reply.js';
import { BotHarness } from '../support/botHarness.js';

/** Commands that fail on purpose, at each stage of answering. */
const failing: SlashCommand[] = [
  {
    data: new SlashCommandBuilder().setName('boom').setDescription('Throws before answering'),
    execute: () => Promise.reject(new Error('kaput')),
  },
  {
    data: new SlashCommandBuilder().setName('slowboom').setDescription('Defers, then throws'),
    async execute(interaction) {
      await interaction.deferReply();
      throw new Error('kaput after defer');
    },
  },
  {
    data: new SlashCommandBuilder().setName('slow').setDescription('Waits on I/O, so it defers first'),
    defer: 'ephemeral',
    async execute(interaction) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await sendReply(interaction, { content: 'done', ephemeral: true });
    },
  },
  {
    data: new SlashCommandBuilder().setName('lateboom').setDescription('Answers, then throws'),
    async execute(interaction) {
      await sendReply(interaction, { content: 'first part' });
      throw new UserError('late', 'The second part is not available.');
    },
  },
];

describe('errors users see', () => {
  let bot: BotHarness;

  beforeAll(async () => {
    bot = await BotHarness.start({ commands: [...commands, ...failing] });
  });

  afterAll(async () => {
    await bot.close();
  });

  it.each([
    [
      'article',
      { id: 'no-such-article-anywhere' },
      'No article matches “no-such-article-anywhere”. Pick one from the list, or try /search.',
    ],
    ['contact', { name: 'Zyxwv Qqq' }, 'No press contact matches “Zyxwv Qqq”.'],
    [
      'project',
      { query: 'XX99P9999' },
      'No project matches “XX99P9999”. Try a Prima ID such as CN10P0002, or /search kind:Projects.',
    ],
    [
      'search',
      { query: 'a'.repeat(1000) },
      'The query is 1000 characters long; the limit is 100. Please shorten it.',
    ],
    ['search', { query: '   ' }, 'Please type something for query.'],
    ['search', { query: 'china', kind: 'poem' }, 'The kind must be “article” or “project”, not “poem”.'],
    [
      'contact',
      { name: 'x'.repeat(101) },
      'The name is 101 characters long; the limit is 100. Please shorten it.',
    ],
  ])('/%s %o gets a clear ephemeral message', async (name, options, message) => {
    const session = await bot.server.sendSlashCommand(name, options);
    expect(session.isEphemeral).toBe(true);
    expect(session.reply?.content).toBe(message);
  });

  it('answers a bug with a short ephemeral apology and logs it with command, user and guild ids', async () => {
    const session = await bot.server.sendSlashCommand('boom');
    expect(session.isEphemeral).toBe(true);
    expect(session.reply?.content).toBe(APOLOGY);
    const logged = bot.logs.find((l) => l.msg === 'interaction failed' && l.command === 'boom');
    expect(logged).toMatchObject({
      level: 50,
      userId: bot.server.tester.id,
      guildId: bot.server.guild.id,
      channelId: bot.server.channel('general').id,
      err: { message: 'kaput' },
    });
  });

  it('edits a deferred reply into the apology', async () => {
    const session = await bot.server.sendSlashCommand('slowboom');
    expect(session.isDeferred).toBe(true);
    expect(session.edits).toBe(1);
    expect(session.reply?.content).toBe(APOLOGY);
  });

  it('defers a slow command before running it, then edits the answer in', async () => {
    const session = await bot.server.sendSlashCommand('slow');
    expect(session.callback?.type).toBe(5);
    expect(session.isEphemeral).toBe(true);
    expect(session.reply?.content).toBe('done');
  });

  it('follows up with the message when the command had already answered', async () => {
    const session = await bot.server.sendSlashCommand('lateboom');
    await session.waitFor((s) => s.followUps.length === 1);
    expect(session.original?.content).toBe('first part');
    expect(session.followUps[0]?.content).toBe('The second part is not available.');
    expect((session.followUps[0]?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it('answers a command Discord knows but the bot does not', async () => {
    const session = await bot.server.sendSlashCommand('retired');
    expect(session.reply?.content).toBe('The command /retired is not available.');
    expect(session.isEphemeral).toBe(true);
  });

  it('still answers when Discord rate-limits the reply (429 with Retry-After)', async () => {
    bot.server.inject({
      method: 'POST',
      path: '/interactions/',
      fault: { kind: 'rateLimit', retryAfter: 0.2 },
    });
    const session = await bot.server.sendSlashCommand('about');
    expect(session.reply?.embeds[0]?.title).toBe('Migration News Bot');
    const attempts = bot.server.requestsTo('POST', `/interactions/${session.id}/`);
    expect(attempts.map((r) => r.status)).toEqual([429, 204]);
    expect(attempts[1]!.receivedAt - attempts[0]!.receivedAt).toBeGreaterThanOrEqual(200);
  });

  it('still delivers a file when the follow-up webhook is rate-limited once', async () => {
    const card = await bot.server.sendSlashCommand('contact', { name: 'liljert' });
    bot.server.inject({
      method: 'POST',
      path: '/interactions/',
      fault: { kind: 'rateLimit', retryAfter: 0.05 },
    });
    const vcard = await bot.server.clickButton('v1:vcard:Pär Liljert', card.reply!);
    expect(vcard.reply?.attachments[0]?.filename).toBe('par-liljert.vcf');
  });

  it('keeps serving after the gateway drops the connection, and logs the drop', async () => {
    bot.server.disconnectClients(4000);
    await bot.server.waitFor(() => bot.logs.find((l) => l.msg === 'gateway resumed'));
    expect(bot.logs.find((l) => l.msg === 'gateway reconnecting')).toMatchObject({ level: 40, shard: 0 });
    const session = await bot.server.sendSlashCommand('about');
    expect(session.reply?.embeds[0]?.title).toBe('Migration News Bot');
  });

  it('retries a reply after a 502', async () => {
    bot.server.inject({
      method: 'POST',
      path: '/interactions/',
      fault: { kind: 'serverError', status: 502 },
    });
    const session = await bot.server.sendSlashCommand('about');
    expect(session.reply?.embeds[0]?.title).toBe('Migration News Bot');
    expect(bot.server.requestsTo('POST', `/interactions/${session.id}/`).map((r) => r.status)).toEqual([
      502, 204,
    ]);
  });
});
