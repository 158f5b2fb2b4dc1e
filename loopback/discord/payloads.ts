import type {
  APIAttachment,
  APIChannel,
  APIEmbed,
  APIGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  APIActionRowComponent,
  APIComponentInMessageActionRow,
} from 'discord.js';
import { ChannelType, MessageType } from 'discord.js';
import type { LoopbackChannel, LoopbackGuild, LoopbackMember, LoopbackRole, LoopbackUser } from './state.js';
import { basePermissions } from './state.js';

/** Discord API objects built from loopback state: complete enough for discord.js to construct. */

export function apiUser(user: LoopbackUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    global_name: user.globalName ?? null,
    discriminator: '0',
    avatar: null,
    bot: user.bot ?? false,
  };
}

export function apiMember(
  guild: LoopbackGuild,
  member: LoopbackMember,
  withPermissions = false,
): APIGuildMember & { permissions?: string } {
  return {
    user: apiUser(member.user),
    roles: member.roles,
    joined_at: new Date(0).toISOString(),
    deaf: false,
    mute: false,
    flags: 0 as APIGuildMember['flags'],
    ...(withPermissions ? { permissions: basePermissions(guild, member).toString() } : {}),
  };
}

export function apiRole(role: LoopbackRole, position: number): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: role.permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0 as APIRole['flags'],
  };
}

export function apiChannel(guild: LoopbackGuild, channel: LoopbackChannel, position: number): APIChannel {
  return {
    id: channel.id,
    type: channel.type,
    guild_id: guild.id,
    name: channel.name,
    position,
    parent_id: null,
    nsfw: false,
    permission_overwrites: channel.overwrites.map((o) => ({
      id: o.id,
      type: o.type === 'role' ? 0 : 1,
      allow: o.allow.toString(),
      deny: o.deny.toString(),
    })),
    ...(channel.type === ChannelType.GuildVoice
      ? { bitrate: 64_000, user_limit: 0, rtc_region: null }
      : { topic: null, last_message_id: null, rate_limit_per_user: 0 }),
  };
}

/** The `d` of a GUILD_CREATE dispatch. */
export function apiGuildCreate(guild: LoopbackGuild): Record<string, unknown> {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: guild.roles.map((r, i) => apiRole(r, i)),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    joined_at: new Date(0).toISOString(),
    large: false,
    unavailable: false,
    member_count: guild.members.length,
    voice_states: [],
    members: guild.members.map((m) => apiMember(guild, m)),
    channels: guild.channels.map((c, i) => apiChannel(guild, c, i)),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export interface MessageInit {
  readonly id: string;
  readonly channelId: string;
  readonly author: LoopbackUser;
  readonly content?: string;
  readonly embeds?: APIEmbed[];
  readonly components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  readonly attachments?: APIAttachment[];
  readonly flags?: number;
  readonly nonce?: string | number;
  readonly webhookId?: string;
  readonly applicationId?: string;
  readonly guildId?: string;
  readonly interaction?: { id: string; type: number; user: LoopbackUser };
}

/** A complete message object, as Discord returns from create/edit endpoints. */
export function apiMessage(init: MessageInit): APIMessage {
  return {
    id: init.id,
    channel_id: init.channelId,
    author: apiUser(init.author),
    content: init.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: init.attachments ?? [],
    embeds: init.embeds ?? [],
    pinned: false,
    type: init.interaction ? MessageType.ChatInputCommand : MessageType.Default,
    flags: init.flags ?? 0,
    components: init.components ?? [],
    ...(init.nonce === undefined ? {} : { nonce: init.nonce }),
    ...(init.webhookId ? { webhook_id: init.webhookId } : {}),
    ...(init.applicationId ? { application_id: init.applicationId } : {}),
    ...(init.interaction
      ? {
          interaction_metadata: {
            id: init.interaction.id,
            type: init.interaction.type,
            user: apiUser(init.interaction.user),
            authorizing_integration_owners: {},
          },
        }
      : {}),
  };
}
