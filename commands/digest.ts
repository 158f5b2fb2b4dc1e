import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { AutocompleteInteraction, ChatInputCommandInteraction, Guild } from 'discord.js';
import { UserError } from '../src/core/errors.js';
import type { CommandContext } from '../src/discord/context.js';
import { sendReply } from '../src/discord/reply.js';
import { checkDigestChannel } from '../src/digests/channel.js';
import { digestCommandData } from '../src/digests/commandData.js';
import {
  listReply,
  previewReply,
  sendReplyFor,
  statusReply,
  subscribedReply,
} from '../src/digests/format.js';
import { TIME_ZONES } from '../src/digests/schedule.js';
import type { DigestService } from '../src/digests/service.js';

/** Subscriptions that post new articles to a channel on a schedule (see src/digests). */
export const data = digestCommandData;

/** The guild, the digest services, and a re-check of Manage Server (default permissions can be overridden). */
function guard(
  interaction: ChatInputCommandInteraction | AutocompleteInteraction,
  ctx: CommandContext,
): { guild: Guild; digests: DigestService } {
  const digests = ctx.digests;
  if (!interaction.inCachedGuild() || !interaction.guild)
    throw new UserError('not-in-guild', 'Digests are managed inside a server, not here.');
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    throw new UserError('missing-manage-server', 'You need the Manage Server permission to manage digests.');
  }
  if (!digests)
    throw new UserError('digests-unavailable', 'Digests are not available: the bot runs without its store.');
  return { guild: interaction.guild, digests };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const { guild, digests } = guard(interaction, ctx);
  const sub = interaction.options.getSubcommand(true);
  const subscriptionId = () => interaction.options.getInteger('id', true);
  switch (sub) {
    case 'subscribe': {
      const channel = interaction.options.getChannel('channel', true);
      await checkDigestChannel(guild, channel.id);
      const view = digests.subscribe({
        guildId: guild.id,
        channelId: channel.id,
        cron: interaction.options.getString('schedule', true),
        timezone: interaction.options.getString('timezone') ?? 'UTC',
        query: interaction.options.getString('query'),
        backfill: interaction.options.getInteger('backfill') ?? 0,
        createdBy: interaction.user.id,
      });
      return sendReply(interaction, subscribedReply(view));
    }
    case 'list':
      return sendReply(interaction, listReply(digests.list(guild.id)));
    case 'remove':
      return sendReply(
        interaction,
        statusReply({ ...digests.remove(guild.id, subscriptionId()), nextRunAt: undefined }, 'removed'),
      );
    case 'pause':
      return sendReply(interaction, statusReply(digests.pause(guild.id, subscriptionId()), 'paused'));
    case 'resume':
      return sendReply(interaction, statusReply(digests.resume(guild.id, subscriptionId()), 'resumed'));
    case 'preview': {
      const given = interaction.options.getInteger('id');
      const subscription = given === null ? undefined : digests.get(guild.id, given);
      const query = interaction.options.getString('query');
      const digest = digests.preview({
        ...(subscription ? { subscription: query ? { ...subscription, query } : subscription } : {}),
        query,
      });
      return sendReply(interaction, previewReply(digest));
    }
    case 'send': {
      const view = digests.get(guild.id, subscriptionId());
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const outcome = await digests.send(view.id);
      return sendReply(interaction, sendReplyFor(digests.get(guild.id, view.id), outcome));
    }
    default:
      throw new UserError('unknown-subcommand', `Unknown subcommand /digest ${sub}.`);
  }
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value).trim().toLowerCase();
  if (focused.name === 'timezone') {
    const zones = TIME_ZONES.filter((z) => z.toLowerCase().includes(typed)).slice(0, 25);
    return interaction.respond(zones.map((z) => ({ name: z, value: z })));
  }
  const { guild, digests } = guard(interaction, ctx);
  const choices = digests
    .list(guild.id)
    .map((s) => {
      const channel = guild.channels.cache.get(s.channelId)?.name ?? s.channelId;
      const label = `#${s.id} · #${channel} · ${s.cron} ${s.timezone}${s.query ? ` · ${s.query}` : ''}${s.status === 'paused' ? ' (paused)' : ''}`;
      return { name: label.slice(0, 100), value: s.id };
    })
    .filter((c) => typed === '' || c.name.toLowerCase().includes(typed))
    .slice(0, 25);
  return interaction.respond(choices);
}
