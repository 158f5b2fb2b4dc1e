/** Interactions: building slash commands, autocompletes and clicks as Discord sends them; their callbacks and webhooks. */
import type { LoopbackDiscord } from '../discord.js';
import type {
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOption,
  APIMessage,
  APIMessageComponentInteraction,
} from 'discord.js';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  GatewayDispatchEvents,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
} from 'discord.js';
import {
  assertMessageLimits,
  discordError,
  notFound,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
} from './http.js';
import type { RecordedRequest } from './http.js';
import { sessionsForGuild } from './gateway.js';
import { editMessage, storeMessage } from './messages.js';
import { apiChannel, apiMember, apiUser } from './payloads.js';
import { InteractionSession } from './session.js';
import type { InteractionContext } from './session.js';
import type { LoopbackGuild, LoopbackUser } from './state.js';
import { channelPermissions, snowflake } from './state.js';

export function interactionBase(host: LoopbackDiscord, type: InteractionType, context: InteractionContext) {
  const user = context.user ?? host.tester;
  const id = snowflake();
  const token = `itoken-${id}`;
  const guild =
    context.guildId === null
      ? undefined
      : host.guilds.find((g) => g.id === (context.guildId ?? host.guild.id));
  if (context.guildId && !guild) throw new Error(`loopback: no guild ${context.guildId}`);
  const channel = context.channelId
    ? host.channel(context.channelId)
    : (guild?.channels.find((c) => c.type === ChannelType.GuildText) ?? undefined);
  const payload: Record<string, unknown> = {
    id,
    application_id: host.applicationId,
    type,
    token,
    version: 1,
    locale: context.locale ?? 'en-US',
    entitlements: [],
    authorizing_integration_owners: guild ? { '0': guild.id } : { '1': user.id },
    context: guild ? 0 : 1,
    attachment_size_limit: 10 * 1024 * 1024,
  };
  if (guild) {
    let member = guild.members.find((m) => m.user.id === user.id);
    if (!member) {
      member = { user, roles: [] };
      guild.members.push(member);
    }
    const memberPayload = apiMember(guild, member, true);
    if (context.permissions !== undefined) memberPayload.permissions = context.permissions.toString();
    const botMember = guild.members.find((m) => m.user.id === host.bot.id)!;
    Object.assign(payload, {
      guild_id: guild.id,
      guild: { id: guild.id, locale: context.guildLocale ?? 'en-US', features: [] },
      guild_locale: context.guildLocale ?? 'en-US',
      member: memberPayload,
      app_permissions: channel ? channelPermissions(guild, botMember, channel).toString() : '0',
    });
    if (channel) {
      const position = guild.channels.indexOf(channel);
      Object.assign(payload, {
        channel_id: channel.id,
        channel: {
          ...apiChannel(guild, channel, position),
          permissions: channelPermissions(guild, member, channel).toString(),
        },
      });
    }
  } else {
    Object.assign(payload, { user: apiUser(user), app_permissions: '0' });
  }
  return { id, token, payload, guild, user };
}

export function createCommandInteraction(
  host: LoopbackDiscord,
  type: InteractionType.ApplicationCommand | InteractionType.ApplicationCommandAutocomplete,
  name: string,
  options: Readonly<Record<string, string | number | boolean>>,
  focused: string | undefined,
  context: InteractionContext,
): InteractionSession {
  const base = interactionBase(host, type, context);
  const [commandName, ...path] = name.trim().split(/\s+/);
  if (!commandName) throw new Error('loopback: empty command name');
  const command = host.commands(base.guild?.id).find((c) => c.name === commandName);
  let definitions: readonly APIApplicationCommandOption[] = command?.options ?? [];
  const wrappers: { name: string; type: ApplicationCommandOptionType }[] = [];
  for (const part of path) {
    const def = definitions.find((o) => o.name === part);
    const optionType =
      def?.type ??
      (wrappers.length === 0 && path.length === 2
        ? ApplicationCommandOptionType.SubcommandGroup
        : ApplicationCommandOptionType.Subcommand);
    wrappers.push({ name: part, type: optionType });
    definitions = def && 'options' in def ? (def.options ?? []) : [];
  }
  const resolved: Record<string, Record<string, unknown>> = {};
  let leafOptions: APIApplicationCommandInteractionDataOption[] = Object.entries(options).map(
    ([optionName, value]) => {
      const def = definitions.find((o) => o.name === optionName);
      const optionType = def?.type ?? inferOptionType(value);
      resolveOption(host, optionType, String(value), base.guild, resolved);
      return {
        name: optionName,
        type: optionType,
        value,
        ...(focused === optionName ? { focused: true } : {}),
      } as APIApplicationCommandInteractionDataOption;
    },
  );
  for (const wrapper of wrappers.reverse()) {
    leafOptions = [
      {
        name: wrapper.name,
        type: wrapper.type,
        options: leafOptions,
      } as APIApplicationCommandInteractionDataOption,
    ];
  }
  base.payload.data = {
    id: command?.id ?? snowflake(),
    name: commandName,
    type: ApplicationCommandType.ChatInput,
    options: leafOptions,
    ...(Object.keys(resolved).length ? { resolved } : {}),
    ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
  };
  return deliverInteraction(host, base, type);
}

export function resolveOption(
  host: LoopbackDiscord,
  type: ApplicationCommandOptionType,
  value: string,
  guild: LoopbackGuild | undefined,
  resolved: Record<string, Record<string, unknown>>,
) {
  if (type === ApplicationCommandOptionType.Channel) {
    const found = host.guilds
      .flatMap((g) => g.channels.map((c) => ({ g, c })))
      .find(({ c }) => c.id === value);
    (resolved.channels ??= {})[value] = found
      ? { id: value, name: found.c.name, type: found.c.type, permissions: '0', guild_id: found.g.id }
      : { id: value, name: 'unknown', type: 0, permissions: '0' };
  } else if (
    type === ApplicationCommandOptionType.User ||
    type === ApplicationCommandOptionType.Mentionable
  ) {
    const member = guild?.members.find((m) => m.user.id === value);
    (resolved.users ??= {})[value] = apiUser(member?.user ?? { id: value, username: `user-${value}` });
    if (member && guild) {
      const { user: _user, ...rest } = apiMember(guild, member, true);
      (resolved.members ??= {})[value] = rest;
    }
  } else if (type === ApplicationCommandOptionType.Role) {
    const role = guild?.roles.find((r) => r.id === value);
    (resolved.roles ??= {})[value] = {
      id: value,
      name: role?.name ?? 'unknown',
      permissions: (role?.permissions ?? 0n).toString(),
      color: 0,
      hoist: false,
      position: 0,
      managed: false,
      mentionable: false,
      icon: null,
      unicode_emoji: null,
      flags: 0,
    };
  }
}

export function createComponentInteraction(
  host: LoopbackDiscord,
  message: APIMessage,
  data: APIMessageComponentInteraction['data'],
  context: InteractionContext,
): InteractionSession {
  const base = interactionBase(host, InteractionType.MessageComponent, {
    channelId: message.channel_id,
    ...context,
  });
  base.payload.message = message;
  base.payload.data = data;
  return deliverInteraction(host, base, InteractionType.MessageComponent);
}

export function deliverInteraction(
  host: LoopbackDiscord,
  base: { id: string; token: string; payload: Record<string, unknown>; user: LoopbackUser },
  type: InteractionType,
): InteractionSession {
  if (![...host.gateway].some((s) => s.identified)) throw new Error('loopback: no client is logged in');
  // Discord sends an interaction to the shard owning its guild only (DMs: shard 0).
  const guildId = typeof base.payload.guild_id === 'string' ? base.payload.guild_id : null;
  const recipients = sessionsForGuild(host, guildId);
  if (recipients.length === 0) {
    const shards = host.shardSessions.map((s) => `[${s.shard.join(', ')}]`).join(', ');
    throw new Error(
      `loopback: no logged-in client serves the shard of ${guildId === null ? 'DMs' : `guild ${guildId}`} (connected shards: ${shards})`,
    );
  }
  const session = new InteractionSession(host, base.id, base.token, type, base.payload, base.user);
  session.recipients = recipients.map((s) => ({ sessionId: s.sessionId!, shard: s.shard }));
  host.sessions.set(base.token, session);
  host.dispatchToGuild(guildId, GatewayDispatchEvents.InteractionCreate, base.payload);
  return session;
}

export function interactionCallback(
  host: LoopbackDiscord,
  id: string,
  token: string,
  query: URLSearchParams,
  record: RecordedRequest,
): unknown {
  const session = host.sessions.get(token);
  if (!session || session.id !== id) throw unknownInteraction();
  if (Date.now() - session.createdAt > host.interactionDeadlineMs) throw unknownInteraction();
  if (session.callback) throw discordError(400, 40060, 'Interaction has already been acknowledged.');
  const body = (record.body ?? {}) as { type?: number; data?: Record<string, unknown> };
  const type = body.type as InteractionResponseType;
  session.callback = { type, data: body.data };
  const payload = session.payload as {
    channel_id?: string;
    guild_id?: string;
    message?: APIMessage;
    member?: { user: { id: string } };
  };
  const flags = Number(body.data?.flags ?? 0);
  let messageId: string | undefined;
  if (
    type === InteractionResponseType.ChannelMessageWithSource ||
    type === InteractionResponseType.DeferredChannelMessageWithSource
  ) {
    if (body.data) assertMessageLimits(body.data);
    const stored = storeMessage(
      host,
      type === InteractionResponseType.DeferredChannelMessageWithSource
        ? { body: { flags: flags | MessageFlags.Loading }, files: new Map() }
        : { body: body.data, files: record.files },
      {
        channelId: payload.channel_id ?? 'dm',
        ...(payload.guild_id ? { guildId: payload.guild_id } : {}),
        author: host.bot,
        webhookId: host.applicationId,
        applicationId: host.applicationId,
        interaction: { id, type: session.type, user: session.user },
      },
      (flags & MessageFlags.Ephemeral) !== 0,
    );
    messageId = stored.message.id;
    session.originalMessageId = messageId;
  } else if (
    type === InteractionResponseType.UpdateMessage ||
    type === InteractionResponseType.DeferredMessageUpdate
  ) {
    const target = payload.message ? host.messages.get(payload.message.id) : undefined;
    if (!target) throw unknownMessage();
    if (type === InteractionResponseType.UpdateMessage) editMessage(host, target, record, body.data);
    messageId = target.message.id;
    session.originalMessageId = messageId;
  }
  if (query.get('with_response') !== 'true') return undefined;
  const message = messageId ? host.message(messageId) : undefined;
  return {
    interaction: {
      id,
      type: session.type,
      activity_instance_id: null,
      response_message_id: messageId ?? null,
      response_message_loading: type === InteractionResponseType.DeferredChannelMessageWithSource,
      response_message_ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
    },
    resource: { type, ...(message ? { message } : {}) },
  };
}

export function webhookRoute(
  host: LoopbackDiscord,
  method: string,
  parts: string[],
  query: URLSearchParams,
  record: RecordedRequest,
): unknown {
  const [, app, token, sub, messageRef] = parts;
  const session = token ? host.sessions.get(token) : undefined;
  if (app !== host.applicationId || !session) throw unknownWebhook();
  if (!session.callback) throw unknownWebhook();
  if (!sub && method === 'POST') {
    const payload = session.payload as { channel_id?: string; guild_id?: string };
    const flags = Number((record.body as { flags?: number } | undefined)?.flags ?? 0);
    assertMessageLimits((record.body ?? {}) as Record<string, unknown>);
    const stored = storeMessage(
      host,
      record,
      {
        channelId: payload.channel_id ?? 'dm',
        ...(payload.guild_id ? { guildId: payload.guild_id } : {}),
        author: host.bot,
        webhookId: host.applicationId,
        applicationId: host.applicationId,
      },
      (flags & MessageFlags.Ephemeral) !== 0,
    );
    session.followUpIds.push(stored.message.id);
    return query.get('wait') === 'false' ? undefined : stored.message;
  }
  if (sub !== 'messages' || !messageRef) throw notFound();
  const messageId = messageRef === '@original' ? session.originalMessageId : messageRef;
  const stored = messageId ? host.messages.get(messageId) : undefined;
  if (!stored) throw unknownMessage();
  if (method === 'GET') return stored.message;
  if (method === 'PATCH') {
    assertMessageLimits((record.body ?? {}) as Record<string, unknown>);
    const message = editMessage(host, stored, record);
    if (messageRef === '@original') session.edits += 1;
    return message;
  }
  if (method === 'DELETE') {
    host.messages.delete(stored.message.id);
    return undefined;
  }
  throw notFound();
}

function inferOptionType(value: string | number | boolean): ApplicationCommandOptionType {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number')
    return Number.isInteger(value)
      ? ApplicationCommandOptionType.Integer
      : ApplicationCommandOptionType.Number;
  return ApplicationCommandOptionType.String;
}

export function findComponent(message: APIMessage, customId: string): boolean {
  return (message.components ?? []).some((row) =>
    'components' in row
      ? (row.components as { custom_id?: string }[]).some((c) => c.custom_id === customId)
      : false,
  );
}
