import { ChannelType, InteractionContextType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import { DISCORD_LIMITS as L } from '../src/discord/limits.js';
import { UserError } from '../src/core/errors.js';
import type { CommandContext } from '../src/discord/context.js';
import type { CommandText } from '../src/discord/localize.js';
import {
  channelOption,
  integerOption,
  localizedCommand,
  roleOption,
  stringOption,
  subcommand,
} from '../src/discord/localize.js';
import { sendReply } from '../src/discord/reply.js';
import { languageChoices } from '../src/discord/suggestions.js';
import { requireDigestAccess } from '../src/digests/access.js';
import { checkDigestChannel } from '../src/digests/channel.js';
import { digestLanguage } from '../src/digests/digestLanguage.js';
import * as reply from '../src/digests/format.js';
import { matchTimeZones } from '../src/digests/schedule.js';
import { whyReply } from '../src/discord/format/why.js';
import { focusedText, MAX_QUERY_LENGTH, readText, respondChoices } from '../src/discord/options.js';

/** Catalog keys of /digest's subcommands and options. */
const sub = (name: string): CommandText => `commands.digest.subcommands.${name}`;
const opt = (name: string): CommandText => `commands.digest.options.${name}`;

const id = { text: opt('id'), autocomplete: true, min: 1 };
const topic = stringOption({ text: opt('query'), maxLength: 200 });
/** A subcommand acting on one subscription, named by its id. */
const onOne = (text: CommandText) => (s: Parameters<ReturnType<typeof subcommand>>[0]) =>
  subcommand(text)(s).addIntegerOption(integerOption({ ...id, required: true }));

/** Subscriptions that post new articles to a channel on a schedule (Manage Server, guild only). */
export const data = localizedCommand('commands.digest')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    subcommand(sub('subscribe'))(s)
      .addChannelOption(
        channelOption({
          text: opt('channel'),
          required: true,
          channelTypes: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        }),
      )
      .addStringOption(stringOption({ text: opt('schedule'), required: true, maxLength: 100 }))
      .addStringOption(stringOption({ text: opt('timezone'), autocomplete: true, maxLength: 100 }))
      .addStringOption(topic)
      .addIntegerOption(integerOption({ text: opt('backfill'), min: 0, max: 25 }))
      .addRoleOption(roleOption({ text: opt('mention') }))
      .addStringOption(stringOption({ text: opt('language'), autocomplete: true, maxLength: 40 })),
  )
  .addSubcommand(subcommand(sub('list')))
  .addSubcommand(onOne(sub('remove')))
  .addSubcommand(onOne(sub('pause')))
  .addSubcommand(onOne(sub('resume')))
  .addSubcommand((s) =>
    subcommand(sub('preview'))(s).addIntegerOption(integerOption(id)).addStringOption(topic),
  )
  .addSubcommand(onOne(sub('send')))
  .addSubcommand((s) =>
    subcommand(sub('why'))(s)
      .addStringOption(
        stringOption({
          text: opt('article'),
          required: true,
          autocomplete: true,
          maxLength: MAX_QUERY_LENGTH,
        }),
      )
      .addChannelOption(
        channelOption({
          text: opt('whyChannel'),
          channelTypes: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        }),
      ),
  );

const DONE = { remove: 'removed', pause: 'paused', resume: 'resumed' } as const;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const { guild, digests } = requireDigestAccess(interaction, ctx.digests);
  const options = interaction.options;
  const sub = options.getSubcommand(true);
  const subscriptionId = () => options.getInteger('id', true);
  switch (sub) {
    case 'subscribe': {
      const channel = options.getChannel('channel', true);
      await checkDigestChannel(guild, channel.id);
      const view = await digests.subscribe({
        guildId: guild.id,
        channelId: channel.id,
        cron: options.getString('schedule', true),
        timezone: options.getString('timezone') ?? 'UTC',
        query: options.getString('query'),
        backfill: options.getInteger('backfill') ?? 0,
        createdBy: interaction.user.id,
        mentionRoleId: options.getRole('mention')?.id ?? null,
        language: options.getString('language'),
      });
      return sendReply(interaction, reply.subscribedReply(view, ctx.language));
    }
    case 'list':
      return sendReply(interaction, reply.listReply(await digests.list(guild.id), ctx.language));
    case 'remove':
    case 'pause':
    case 'resume':
      return sendReply(
        interaction,
        reply.statusReply(await digests[sub](guild.id, subscriptionId()), DONE[sub], ctx.language),
      );
    case 'preview': {
      const given = options.getInteger('id');
      const subscription = given === null ? undefined : await digests.get(guild.id, given);
      const digestLang = ctx.guildSettings
        ? await digestLanguage(ctx.guildSettings, guild.id, subscription?.language)
        : ctx.language;
      const query = options.getString('query');
      const digest = await digests.preview({ subscription, query, language: digestLang });
      return sendReply(interaction, reply.previewReply(digest, ctx.language, digestLang));
    }
    case 'send': {
      const view = await digests.get(guild.id, subscriptionId());
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const outcome = await digests.send(view.id);
      return sendReply(
        interaction,
        reply.sendReplyFor(await digests.get(guild.id, view.id), outcome, ctx.language),
      );
    }
    case 'why':
      return why(interaction, ctx, guild.id, digests);
    default:
      throw new UserError('unknown-subcommand', `Unknown subcommand /digest ${sub}.`, {
        values: { command: 'digest', subcommand: sub },
      });
  }
}

/**
 * `/digest why`: the article as chosen from the list (or the best title match for typed text; an
 * id the library does not hold may still be one merged into another), for the server's digests or
 * those posting to one channel.
 */
async function why(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  guildId: string,
  digests: NonNullable<CommandContext['digests']>,
): Promise<void> {
  const text = readText(interaction, 'article');
  const id = ctx.library.has(text) ? text : (ctx.library.suggest('title', text)[0]?.value ?? text);
  const channel = interaction.options.getChannel('channel')?.id;
  const subscriptions = (await digests.list(guildId)).filter((s) => !channel || s.channelId === channel);
  const answer = await digests.explain(guildId, id);
  const kept = new Set(subscriptions.map((s) => s.id));
  const names = new Map(
    subscriptions.map((s) => [s.id, interaction.guild?.channels.cache.get(s.channelId)?.name ?? s.channelId]),
  );
  const title = ctx.library.meta(answer.documentId)?.title ?? answer.documentId;
  const filtered = { ...answer, results: answer.results.filter((r) => kept.has(r.subscriptionId)) };
  return sendReply(interaction, whyReply(filtered, { title, channels: names, channel }, ctx.language));
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name === 'article') {
    return respondChoices(interaction, ctx.library.suggest('title', focusedText(interaction).value));
  }
  if (focused.name === 'timezone') {
    const zones = matchTimeZones(String(focused.value), L.autocompleteChoices);
    return interaction.respond(zones.map((z) => ({ name: z, value: z })));
  }
  if (focused.name === 'language')
    return respondChoices(interaction, languageChoices(ctx.library, String(focused.value), ctx.language));
  const { guild, digests } = requireDigestAccess(interaction, ctx.digests);
  const channelName = (channelId: string) => guild.channels.cache.get(channelId)?.name ?? channelId;
  const choices = reply.subscriptionChoices(
    await digests.list(guild.id),
    channelName,
    String(focused.value),
    ctx.language,
  );
  return interaction.respond(choices);
}
