import { ChannelType, PermissionFlagsBits } from 'discord.js';

/**
 * The guild, channel, role and member state a loopback Discord server holds, in plain objects that
 * tests can seed and change. Payload builders turn them into Discord API objects.
 */

/** Discord's epoch (2015-01-01), for snowflakes whose timestamps discord.js can read. */
const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeCounter = 0n;

/** A fresh, increasing snowflake id. */
export function snowflake(): string {
  snowflakeCounter = (snowflakeCounter + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | snowflakeCounter).toString();
}

export interface LoopbackUser {
  readonly id: string;
  readonly username: string;
  readonly globalName?: string | null;
  readonly bot?: boolean;
}

export interface PermissionOverwrite {
  /** A role id (the guild id is @everyone) or a member's user id. */
  readonly id: string;
  readonly type: 'role' | 'member';
  readonly allow: bigint;
  readonly deny: bigint;
}

export interface LoopbackChannel {
  readonly id: string;
  name: string;
  type:
    | ChannelType.GuildText
    | ChannelType.GuildAnnouncement
    | ChannelType.GuildVoice
    | ChannelType.GuildCategory;
  overwrites: PermissionOverwrite[];
}

export interface LoopbackRole {
  readonly id: string;
  name: string;
  permissions: bigint;
}

export interface LoopbackMember {
  readonly user: LoopbackUser;
  /** Role ids besides @everyone. */
  roles: string[];
}

export interface LoopbackGuild {
  readonly id: string;
  name: string;
  readonly ownerId: string;
  channels: LoopbackChannel[];
  /** Includes @everyone, whose id is the guild id. */
  roles: LoopbackRole[];
  members: LoopbackMember[];
}

/** What an ordinary member may do: read, write, embed, react, use commands. */
export const MEMBER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak;

/** Every permission bit Discord defines, for Administrator. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

export interface GuildSeed {
  readonly id?: string;
  readonly name?: string;
  /** Defaults: #general (text), #announcements (announcement), Lounge (voice). */
  readonly channels?: readonly {
    id?: string;
    name: string;
    type: LoopbackChannel['type'];
    overwrites?: PermissionOverwrite[];
  }[];
  /** Permissions of @everyone; default MEMBER_PERMISSIONS. */
  readonly everyonePermissions?: bigint;
  /** Extra roles. */
  readonly roles?: readonly { id?: string; name: string; permissions: bigint }[];
  /** Extra members (the bot is always a member). */
  readonly members?: readonly { user: LoopbackUser; roles?: string[] }[];
}

/** Builds a guild from a seed, with the bot as a member holding a "Bot" role. */
export function createGuild(seed: GuildSeed, bot: LoopbackUser, owner: LoopbackUser): LoopbackGuild {
  const id = seed.id ?? snowflake();
  const botRole: LoopbackRole = { id: snowflake(), name: 'Bot', permissions: MEMBER_PERMISSIONS };
  const channels = (
    seed.channels ?? [
      { name: 'general', type: ChannelType.GuildText },
      { name: 'announcements', type: ChannelType.GuildAnnouncement },
      { name: 'Lounge', type: ChannelType.GuildVoice },
    ]
  ).map((c) => ({ id: c.id ?? snowflake(), name: c.name, type: c.type, overwrites: c.overwrites ?? [] }));
  return {
    id,
    name: seed.name ?? 'Loopback Guild',
    ownerId: owner.id,
    channels,
    roles: [
      { id, name: '@everyone', permissions: seed.everyonePermissions ?? MEMBER_PERMISSIONS },
      botRole,
      ...(seed.roles ?? []).map((r) => ({
        id: r.id ?? snowflake(),
        name: r.name,
        permissions: r.permissions,
      })),
    ],
    members: [
      { user: bot, roles: [botRole.id] },
      { user: owner, roles: [] },
      ...(seed.members ?? []).map((m) => ({ user: m.user, roles: m.roles ?? [] })),
    ],
  };
}

/** A member's base permissions in a guild (roles only), as Discord computes them. */
export function basePermissions(guild: LoopbackGuild, member: LoopbackMember): bigint {
  if (member.user.id === guild.ownerId) return ALL_PERMISSIONS;
  let permissions = guild.roles.find((r) => r.id === guild.id)?.permissions ?? 0n;
  for (const roleId of member.roles)
    permissions |= guild.roles.find((r) => r.id === roleId)?.permissions ?? 0n;
  return permissions & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : permissions;
}

/** A member's permissions in a channel: base, then @everyone, role and member overwrites in order. */
export function channelPermissions(
  guild: LoopbackGuild,
  member: LoopbackMember,
  channel: LoopbackChannel,
): bigint {
  let permissions = basePermissions(guild, member);
  if (permissions === ALL_PERMISSIONS) return permissions;
  const everyone = channel.overwrites.find((o) => o.type === 'role' && o.id === guild.id);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;
  let allow = 0n;
  let deny = 0n;
  for (const o of channel.overwrites) {
    if (o.type === 'role' && o.id !== guild.id && member.roles.includes(o.id)) {
      allow |= o.allow;
      deny |= o.deny;
    }
  }
  permissions = (permissions & ~deny) | allow;
  const own = channel.overwrites.find((o) => o.type === 'member' && o.id === member.user.id);
  if (own) permissions = (permissions & ~own.deny) | own.allow;
  return permissions;
}
