import {
  ChannelType,
  DiscordAPIError,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type Guild,
  type GuildBasedChannel,
} from 'discord.js';
import { t } from '../i18n/translate.js';
import { UserError } from '../core/errors.js';

/** What the bot needs in a digest channel, with the names Discord shows. */
const NEEDED = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
] as const;

/** The kind of channel a digest cannot use, as the catalogs' `errors.wrong-channel-type` selects it. */
const KIND: Partial<Record<ChannelType, string>> = {
  [ChannelType.GuildVoice]: 'voice',
  [ChannelType.GuildStageVoice]: 'stage',
  [ChannelType.GuildCategory]: 'category',
  [ChannelType.GuildForum]: 'forum',
  [ChannelType.GuildMedia]: 'media',
  [ChannelType.PublicThread]: 'thread',
  [ChannelType.PrivateThread]: 'thread',
  [ChannelType.AnnouncementThread]: 'thread',
};

/**
 * Checks that a digest can be posted in `channelId`: a text or announcement channel of this guild
 * where the bot has View Channel, Send Messages and Embed Links. Throws UserError saying what to fix.
 */
export async function checkDigestChannel(guild: Guild, channelId: string): Promise<void> {
  const foreign = () =>
    new UserError(
      'foreign-channel',
      'That channel is not in this server. Pick a channel of this server.',
      {},
    );
  let channel: GuildBasedChannel | null;
  try {
    // Asked of Discord, not the cache: an interaction's resolved channel lands in the cache of the
    // guild the command came from, whatever guild it belongs to.
    channel = await guild.channels.fetch(channelId, { force: true });
  } catch (error) {
    if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.MissingAccess) {
      throw new UserError(
        'bot-missing-permissions',
        `I cannot see <#${channelId}>: give me View Channel, Send Messages and Embed Links there, then try again.`,
        { key: 'errors.channel-hidden', values: { channel: `<#${channelId}>` } },
      );
    }
    if (error instanceof DiscordAPIError && error.status >= 500) throw error;
    throw foreign();
  }
  if (!channel) throw foreign();
  if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
    throw new UserError(
      'wrong-channel-type',
      t('en', 'errors.wrong-channel-type', {
        channel: `<#${channel.id}>`,
        kind: KIND[channel.type] ?? 'other',
      }),
      { values: { channel: `<#${channel.id}>`, kind: KIND[channel.type] ?? 'other' } },
    );
  }
  const me = guild.members.me ?? (await guild.members.fetchMe());
  const permissions = channel.permissionsFor(me);
  const missing = NEEDED.filter(([flag]) => !permissions.has(flag)).map(([, name]) => name);
  if (missing.length > 0) {
    throw new UserError(
      'bot-missing-permissions',
      `I cannot post in <#${channel.id}>: I am missing ${missing.join(', ')}. Give me View Channel, Send Messages and Embed Links there, then try again.`,
      { values: { channel: `<#${channel.id}>`, missing: missing.join(', ') } },
    );
  }
}
