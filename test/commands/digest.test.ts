import { ButtonStyle, ChannelType, InteractionContextType, PermissionFlagsBits } from 'discord.js';
import { commands } from '../../commands/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, componentsOf } from '../support/botHarness.js';
import { snowflake } from '../../loopback/discord.js';
import { dropArticle } from '../digests/articles.js';
import { fetchedRecord } from '../support/sourceItems.js';

/** /digest through real interactions: the real client, the dispatcher, the store and ingestion. */
describe('/digest (real discord.js client, loopback Discord, real SQLite)', () => {
  let bot: BotHarness;
  const otherGuildChannel = snowflake();
  const asModerator = () => ({ user: bot.server.owner });
  const general = () => bot.server.channel('general').id;
  const reply = (session: { reply?: { content?: string } | undefined }) => session.reply?.content ?? '';
  const idOf = (text: string) => Number(/#(\d+)/.exec(text)?.[1]);
  /** Polls: ingestion and gateway effects do not always come with a request the server sees. */
  async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
    for (;;) {
      const value = await probe();
      if (value) return value;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(async () => {
    bot = await BotHarness.start({
      server: {
        guilds: [
          {},
          {
            name: 'Elsewhere',
            channels: [{ id: otherGuildChannel, name: 'elsewhere', type: ChannelType.GuildText }],
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await bot.close();
  });

  async function subscribe(options: Record<string, string | number> = {}) {
    return bot.server.sendSlashCommand(
      'digest subscribe',
      { channel: general(), schedule: '0 9 * * *', ...options },
      asModerator(),
    );
  }

  it('registers /digest with Manage Server as the default member permission, not in DMs', () => {
    const command = bot.server.commands(bot.server.guild.id).find((c) => c.name === 'digest');
    expect(command?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(commands.find((c) => c.data.name === 'digest')?.data.toJSON().contexts).toEqual([
      InteractionContextType.Guild,
    ]);
    expect(command?.options?.map((o) => o.name)).toEqual([
      'subscribe',
      'list',
      'remove',
      'pause',
      'resume',
      'preview',
      'send',
      'why',
    ]);
  });

  it('subscribes, answering with the id and the next run as a Discord timestamp', async () => {
    const session = await subscribe({ timezone: 'Europe/Paris', query: 'drought' });
    expect(session.isEphemeral).toBe(true);
    expect(reply(session)).toMatch(
      /^Subscribed: digest \*\*#\d+\*\* posts to <#\d+> on `0 9 \* \* \*` \(Europe\/Paris\)\. Next run: <t:\d+:F>\.$/,
    );
  });

  it('autocompletes time zones from Intl and subscription ids of this server', async () => {
    const zones = await bot.server.sendAutocomplete(
      'digest subscribe',
      { channel: general(), schedule: '0 9 * * *', timezone: 'paris' },
      'timezone',
      asModerator(),
    );
    expect(zones.map((c) => c.value)).toContain('Europe/Paris');
    const ids = await bot.server.sendAutocomplete('digest pause', { id: '' }, 'id', asModerator());
    expect(ids.length).toBeGreaterThan(0);
    expect(String(ids[0]?.name)).toMatch(/^#\d+ · #general · 0 9 \* \* \* /);
  });

  it('posts a dropped file in the next digest and only there; a second send posts nothing', async () => {
    const id = idOf(reply(await subscribe()));
    const article = dropArticle(bot.dataDir, 1); // not in raw/ yet: nothing to post
    expect(reply(await bot.server.sendSlashCommand('digest send', { id }, asModerator()))).toBe(
      `Nothing new for digest #${id} since the last one; nothing was posted.`,
    );
    const before = bot.server.channelMessages(general()).length;
    dropArticle(`${bot.dataDir}/raw`, 1);
    // The watcher runs with rescans off in tests: the file event alone must bring it in.
    await until(async () =>
      (await bot.digests?.service.store.log.entries(5))?.find((e) => e.docId === article),
    );
    const sent = await bot.server.sendSlashCommand('digest send', { id }, asModerator());
    expect(reply(sent)).toBe(`Posted digest #${id} to <#${general()}>: 1 item in 1 message.`);
    const posted = bot.server.channelMessages(general()).slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.embeds[1]?.fields?.[0]?.name).toBe('1. Article 1 on flood response in Kenya');
    const read = componentsOf(posted[0]).find((c) => c.label === 'Read 1');
    const opened = await bot.server.clickButton(read?.custom_id ?? '', posted[0]!);
    expect(opened.isEphemeral).toBe(true);
    expect(opened.reply?.embeds[0]?.title).toBe('Article 1 on flood response in Kenya');

    expect(reply(await bot.server.sendSlashCommand('digest send', { id }, asModerator()))).toBe(
      `Nothing new for digest #${id} since the last one; nothing was posted.`,
    );
    expect(bot.server.channelMessages(general()).slice(before)).toHaveLength(1);
  });

  it('previews the next digest ephemerally without posting', async () => {
    const id = idOf(reply(await subscribe()));
    dropArticle(`${bot.dataDir}/raw`, 2, 'Chad');
    await until(async () =>
      (await bot.digests?.service.store.log.entries(0))?.find((e) => e.docId.startsWith('90002')),
    );
    const before = bot.server.channelMessages(general()).length;
    const preview = await bot.server.sendSlashCommand('digest preview', { id }, asModerator());
    expect(preview.isEphemeral).toBe(true);
    expect(reply(preview)).toBe('Preview of the next digest (1 article, 0 projects):');
    expect(preview.reply?.embeds.map((e) => e.title)).toEqual(['Migration news digest: 1 article', 'Chad']);
    expect(bot.server.channelMessages(general())).toHaveLength(before);
    const topic = await bot.server.sendSlashCommand(
      'digest preview',
      { query: 'liaison office agreement' },
      asModerator(),
    );
    expect(topic.reply?.embeds[1]?.fields?.[0]?.name).toBe(
      '1. Agreement with China Paves Way for IOM Presence in Beijing',
    );
  });

  it('says why an article was or was not posted, per subscription, with the article autocomplete', async () => {
    const id = idOf(reply(await subscribe({ query: 'drought' })));
    const article = dropArticle(`${bot.dataDir}/raw`, 3, 'Peru', 'flood response');
    await until(async () =>
      (await bot.digests?.service.store.log.entries(0))?.find((e) => e.docId === article),
    );
    const choices = await bot.server.sendAutocomplete(
      'digest why',
      { article: 'Article 3 on flood' },
      'article',
      asModerator(),
    );
    expect(choices.map((c) => c.value)).toContain(article);
    const session = await bot.server.sendSlashCommand('digest why', { article }, asModerator());
    expect(session.isEphemeral).toBe(true);
    const embed = session.reply?.embeds[0];
    expect(embed?.title).toBe('Why Article 3 on flood response in Peru');
    expect(embed?.fields?.find((f) => f.name === `Digest #${id} · #general`)?.value).toBe(
      'Not posted: it does not match the topic `drought` (no match for `drought`).',
    );
    const elsewhere = await bot.server.sendSlashCommand(
      'digest why',
      { article, channel: bot.server.channel('general').id },
      asModerator(),
    );
    expect(elsewhere.reply?.embeds[0]?.fields?.length).toBeGreaterThan(0);
    const unknown = await bot.server.sendSlashCommand(
      'digest why',
      { article: 'zz_nothing_like_it' },
      asModerator(),
    );
    expect(unknown.isEphemeral).toBe(true);
    expect(reply(unknown)).toContain('No document with id');
  });

  it('lists, pauses, resumes and removes, with status and reasons', async () => {
    const id = idOf(reply(await subscribe({ timezone: 'America/New_York' })));
    expect(reply(await bot.server.sendSlashCommand('digest pause', { id }, asModerator()))).toBe(
      `Digest **#${id}** (<#${general()}>) paused.`,
    );
    const list = await bot.server.sendSlashCommand('digest list', {}, asModerator());
    const field = list.reply?.embeds[0]?.fields?.find((f) => f.name === `#${id}`);
    expect(field?.value).toContain('⏸️ paused · <#');
    expect(field?.value).toContain('Paused because: Paused by a moderator.');
    expect(field?.value).toContain('Next run: —');
    const resumed = reply(await bot.server.sendSlashCommand('digest resume', { id }, asModerator()));
    expect(resumed).toMatch(
      new RegExp(
        `^Digest \\*\\*#${id}\\*\\* \\(<#\\d+>\\) resumed\\. It continues from where it stopped\\. Next run: <t:\\d+:F>\\.$`,
      ),
    );
    expect(reply(await bot.server.sendSlashCommand('digest remove', { id }, asModerator()))).toBe(
      `Digest **#${id}** (<#${general()}>) removed.`,
    );
    expect(reply(await bot.server.sendSlashCommand('digest send', { id }, asModerator()))).toBe(
      `There is no digest subscription #${id} in this server.`,
    );
  });

  it('posts fetched articles with their date and a link button, pinging the mention role once', async () => {
    const role = snowflake();
    const created = reply(await subscribe({ mention: role }));
    expect(created).toContain(`Each digest pings <@&${role}> once.`);
    const id = idOf(created);
    const list = await bot.server.sendSlashCommand('digest list', {}, asModerator());
    expect(list.reply?.embeds[0]?.fields?.find((f) => f.name === `#${id}`)?.value).toContain(
      `Pings <@&${role}>`,
    );
    // Fourteen fetched articles, each with a Read and an Open button: more than 25 buttons, two parts.
    const records = Array.from({ length: 14 }, (_, k) =>
      fetchedRecord({
        sourceId: 'un-news',
        guid: `digest-${k}`,
        url: `https://news.example.org/digest-${k}`,
        title: k === 0 ? '@everyone <@123> **Flood** [news](https://evil.example)' : `Fetched story ${k}`,
        publishedAt: '2026-11-28T09:30:00Z',
        text: `Geneva - Story ${k} begins here. It goes on.`,
      }),
    );
    const store = bot.digests!.service.store;
    for (const record of records) bot.ctx.library.upsert(record);
    await store.log.append(
      records.map((r) => ({ docId: r.id, contentHash: r.contentHash, kind: r.kind, event: 'new' as const })),
    );
    const before = bot.server.requestsTo('POST', `/channels/${general()}/messages`).length;
    expect(reply(await bot.server.sendSlashCommand('digest send', { id }, asModerator()))).toBe(
      `Posted digest #${id} to <#${general()}>: 14 items in 2 messages.`,
    );
    const posts = bot.server.requestsTo('POST', `/channels/${general()}/messages`).slice(before);
    expect(posts).toHaveLength(2);
    const [first, second] = posts.map((p) => p.body as Record<string, unknown>);
    expect(first?.content).toBe(`<@&${role}> Migration news digest, part 1 of 2`);
    expect(first?.allowed_mentions).toEqual({ parse: [], roles: [role] });
    expect(second?.content).toBe('Migration news digest, part 2 of 2');
    expect(second?.allowed_mentions).toEqual({ parse: [] });

    const posted = bot.server.channelMessages(general()).slice(-2);
    const field = posted[0]?.embeds[1]?.fields?.[0];
    expect(field?.name).toBe('1. \\@everyone \\<@123> \\*\\*Flood\\*\\* \\[news](https://evil.example)');
    expect(field?.value).toBe(
      `Published <t:${Date.parse('2026-11-28T09:30:00Z') / 1000}:D>\nStory 0 begins here.`,
    );
    const buttons = componentsOf(posted[0]) as unknown as { label: string; style: number; url?: string }[];
    expect(buttons.slice(0, 2)).toEqual([
      expect.objectContaining({ label: 'Read 1', style: ButtonStyle.Secondary }),
      expect.objectContaining({
        label: 'Open 1',
        style: ButtonStyle.Link,
        url: 'https://news.example.org/digest-0',
      }),
    ]);
    // Rows of five, at most five rows: the first part stops before a Read/Open pair would not fit.
    expect(buttons.length).toBeLessThanOrEqual(25);
    expect(buttons.length + componentsOf(posted[1]).length).toBe(28);
  });

  describe('bad input', () => {
    it.each([
      [
        { schedule: 'every day' },
        '"every day" has 2 fields; a schedule needs 5: minute hour day-of-month month day-of-week (e.g. "0 9 * * 1-5" for 09:00 on weekdays).',
      ],
      [
        { schedule: '0 25 * * *' },
        '"0 25 * * *" is not a valid schedule: 25 is a invalid expression for hour.',
      ],
      [
        { timezone: 'Mars/Olympus' },
        '"Mars/Olympus" is not a time zone; use an IANA name such as Europe/Paris or America/New_York.',
      ],
    ])('refuses %j with a clear ephemeral message', async (options, message) => {
      const session = await subscribe(options);
      expect(session.isEphemeral).toBe(true);
      expect(reply(session)).toBe(message);
    });

    it('refuses a channel of another server', async () => {
      const session = await subscribe({ channel: otherGuildChannel });
      expect(reply(session)).toBe('That channel is not in this server. Pick a channel of this server.');
    });

    it('refuses a voice channel', async () => {
      const lounge = bot.server.channel('Lounge').id;
      expect(reply(await subscribe({ channel: lounge }))).toBe(
        `Digests are posted in text or announcement channels; <#${lounge}> is a voice channel.`,
      );
    });

    it('refuses a channel where the bot cannot embed links', async () => {
      const announcements = bot.server.channel('announcements').id;
      bot.server.updateChannel(announcements, (c) => {
        c.overwrites = [
          { id: bot.server.guild.id, type: 'role', allow: 0n, deny: PermissionFlagsBits.EmbedLinks },
        ];
      });
      expect(reply(await subscribe({ channel: announcements }))).toBe(
        `I cannot post in <#${announcements}>: I am missing Embed Links. Give me View Channel, Send Messages and Embed Links there, then try again.`,
      );
    });

    it('refuses a member without Manage Server, even if the command is visible to them', async () => {
      const session = await bot.server.sendSlashCommand('digest list', {});
      expect(session.isEphemeral).toBe(true);
      expect(reply(session)).toBe('You need the Manage Server permission to manage digests.');
    });

    it('refuses @everyone as the mention role', async () => {
      expect(reply(await subscribe({ mention: bot.server.guild.id }))).toBe(
        'A digest cannot ping @everyone; choose a role.',
      );
    });

    it('says when an id belongs to no subscription of this server', async () => {
      expect(reply(await bot.server.sendSlashCommand('digest pause', { id: 9999 }, asModerator()))).toBe(
        'There is no digest subscription #9999 in this server.',
      );
    });
  });

  it('pauses the digests of a server the bot leaves', async () => {
    const id = idOf(reply(await subscribe()));
    bot.server.removeGuild(bot.server.guild.id);
    await until(async () => (await bot.digests?.service.store.subscriptions.get(id))?.status === 'paused');
    expect((await bot.digests?.service.store.subscriptions.get(id))?.pausedReason).toBe(
      'The bot is no longer in this server.',
    );
  });
});
