/** The REST routes a bot uses: commands, channels and messages, guilds; auth and faults. */
import type { LoopbackDiscord } from '../discord.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIApplicationCommand, APIMessage } from 'discord.js';
import { ApplicationCommandType, ChannelType } from 'discord.js';
import {
  FAULT_RESPONSES,
  HttpError,
  assertMessageLimits,
  discordError,
  faultAnswer,
  isNonEmptyArray,
  notFound,
  parseBody,
  unknownMessage,
} from './http.js';
import type { RecordedRequest } from './http.js';
import { takeFault } from './faults.js';
import { interactionCallback, webhookRoute } from './interactions.js';
import { editMessage, storeMessage } from './messages.js';
import { isAuthorizePage, userGuilds } from './oauth.js';
import { apiChannel, apiGuildCreate, apiMember, apiUser } from './payloads.js';
import type { LoopbackChannel, LoopbackGuild } from './state.js';
import { channelPermissions, snowflake } from './state.js';

const PERMISSION = {
  view: 1n << 10n,
  send: 1n << 11n,
  embed: 1n << 14n,
  attach: 1n << 15n,
};

export async function handleHttp(
  host: LoopbackDiscord,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (isAuthorizePage(req, url)) {
    host.oauth.authorize(host, url, res);
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const method = (req.method ?? 'GET').toUpperCase();
  if (url.pathname.startsWith('/attachments/')) {
    const [, , messageId, filename] = url.pathname.split('/');
    const data =
      messageId && filename ? host.attachmentData(messageId, decodeURIComponent(filename)) : undefined;
    res.writeHead(data ? 200 : 404).end(data);
    return;
  }
  const path = decodeURIComponent(url.pathname.replace(/^\/api(\/v\d+)?/, ''));
  const { body, files } = await parseBody(raw, req.headers['content-type']);
  const record: RecordedRequest = {
    method,
    path,
    query: url.searchParams,
    headers: { ...req.headers },
    body,
    files,
    receivedAt: Date.now(),
  };
  host.requests.push(record);
  let status = 200;
  let payload: unknown;
  let headers: Record<string, string> = {};
  const fault = takeFault(host, method, path);
  try {
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault && fault.kind !== 'delay' && fault.kind !== 'delayAnswer') {
      ({ status, payload, headers } = faultAnswer(fault));
    } else {
      const answer = route(host, method, path, url.searchParams, record);
      status = answer === undefined ? 204 : 200;
      payload = answer;
    }
  } catch (error) {
    if (error instanceof HttpError) {
      status = error.status;
      payload = error.body;
    } else {
      status = 500;
      payload = { code: 0, message: `loopback bug: ${(error as Error).stack ?? String(error)}` };
    }
  }
  if (fault?.kind === 'delayAnswer') {
    host.changed(); // what was stored is visible while the answer is held
    await new Promise((resolve) => setTimeout(resolve, fault.ms));
  }
  record.status = status;
  if (res.destroyed) return;
  if (status === 204) res.writeHead(204, headers).end();
  else res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
  host.changed();
}

export function requireAuth(host: LoopbackDiscord, record: RecordedRequest): void {
  if (record.headers.authorization !== `Bot ${host.token}`) throw discordError(401, 0, '401: Unauthorized');
}

export function route(
  host: LoopbackDiscord,
  method: string,
  path: string,
  query: URLSearchParams,
  record: RecordedRequest,
): unknown {
  const parts = path.split('/').filter(Boolean);
  const [head] = parts;
  if (head === 'interactions' && parts.length === 4 && parts[3] === 'callback' && method === 'POST') {
    return interactionCallback(host, parts[1]!, parts[2]!, query, record);
  }
  if (head === 'webhooks' && parts.length >= 3) return webhookRoute(host, method, parts, query, record);
  if (head === 'oauth2' && parts[1] === 'token' && method === 'POST') return host.oauth.token(host, record);
  const authorization = record.headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer '))
    return host.oauth.bearerRoute(host, method, path, authorization);
  requireAuth(host, record);
  if (head === 'gateway' && method === 'GET') {
    return {
      url: host.gatewayUrl,
      shards: host.recommendedShards,
      session_start_limit: {
        total: 1000,
        remaining: 1000,
        reset_after: 86_400_000,
        max_concurrency: host.maxConcurrency,
      },
    };
  }
  if (head === 'users' && parts[1] === '@me' && parts[2] === 'guilds' && method === 'GET')
    return userGuilds(host.guilds, host.bot);
  if (head === 'users' && parts[1] === '@me' && method === 'GET') return apiUser(host.bot);
  if (head === 'applications' && parts[1] === host.applicationId)
    return commandRoute(host, method, parts, record);
  if (head === 'channels' && parts[1]) return channelRoute(host, method, parts, record);
  if (head === 'guilds' && parts[1]) return guildRoute(host, method, parts);
  throw notFound();
}

export function commandRoute(
  host: LoopbackDiscord,
  method: string,
  parts: string[],
  record: RecordedRequest,
): unknown {
  // /applications/:app/commands or /applications/:app/guilds/:guild/commands
  const guildId = parts[2] === 'guilds' ? parts[3] : undefined;
  const rest = parts.slice(guildId ? 4 : 2);
  if (rest[0] !== 'commands') throw notFound();
  if (guildId && !host.guilds.some((g) => g.id === guildId)) throw FAULT_RESPONSES.missingAccess();
  const current = guildId ? (host.guildCommands.get(guildId) ?? []) : host.globalCommands;
  const store = (commands: APIApplicationCommand[]) => {
    if (guildId) host.guildCommands.set(guildId, commands);
    else host.globalCommands = commands;
  };
  const materialize = (input: Record<string, unknown>): APIApplicationCommand => {
    const existing = current.find((c) => c.name === input.name);
    if (typeof input.name !== 'string' || !/^[-_\p{L}\p{N}]{1,32}$/u.test(input.name)) {
      throw discordError(400, 50035, `Invalid Form Body: name ${String(input.name)}`);
    }
    return {
      ...(input as object),
      id: existing?.id ?? snowflake(),
      application_id: host.applicationId,
      version: snowflake(),
      type: (input.type as number | undefined) ?? ApplicationCommandType.ChatInput,
      default_member_permissions: (input.default_member_permissions as string | null | undefined) ?? null,
      ...(guildId ? { guild_id: guildId } : {}),
    } as APIApplicationCommand;
  };
  if (rest.length === 1 && method === 'GET') return current;
  if (rest.length === 1 && method === 'PUT') {
    if (!Array.isArray(record.body)) throw discordError(400, 50035, 'Invalid Form Body');
    const names = new Set<string>();
    for (const c of record.body as { name: string }[]) {
      if (names.has(c.name)) throw discordError(400, 50035, `Invalid Form Body: duplicate name ${c.name}`);
      names.add(c.name);
    }
    const commands = (record.body as Record<string, unknown>[]).map(materialize);
    store(commands);
    return commands;
  }
  if (rest.length === 1 && method === 'POST') {
    const command = materialize(record.body as Record<string, unknown>);
    store([...current.filter((c) => c.name !== command.name), command]);
    return command;
  }
  if (rest.length === 2 && method === 'DELETE') {
    store(current.filter((c) => c.id !== rest[1]));
    return undefined;
  }
  throw notFound();
}

export function findChannel(
  host: LoopbackDiscord,
  channelId: string,
): { guild: LoopbackGuild; channel: LoopbackChannel } {
  for (const guild of host.guilds) {
    const channel = guild.channels.find((c) => c.id === channelId);
    if (channel) return { guild, channel };
  }
  throw FAULT_RESPONSES.unknownChannel();
}

export function botPermissions(
  host: LoopbackDiscord,
  guild: LoopbackGuild,
  channel: LoopbackChannel,
): bigint {
  const member = guild.members.find((m) => m.user.id === host.bot.id)!;
  return channelPermissions(guild, member, channel);
}

export function channelRoute(
  host: LoopbackDiscord,
  method: string,
  parts: string[],
  record: RecordedRequest,
): unknown {
  const channelId = parts[1]!;
  const { guild, channel } = findChannel(host, channelId);
  const permissions = botPermissions(host, guild, channel);
  if (!(permissions & PERMISSION.view)) throw FAULT_RESPONSES.missingAccess();
  if (parts.length === 2 && method === 'GET')
    return apiChannel(guild, channel, guild.channels.indexOf(channel));
  if (parts[2] !== 'messages') throw notFound();
  const messageId = parts[3];
  if (!messageId && method === 'GET') return host.channelMessages(channelId).reverse();
  if (!messageId && method === 'POST') return createChannelMessage(host, guild, channel, permissions, record);
  if (!messageId) throw notFound();
  const stored = host.messages.get(messageId);
  if (!stored || stored.message.channel_id !== channelId || stored.ephemeral) throw unknownMessage();
  if (method === 'GET') return stored.message;
  if (method === 'PATCH') {
    if (stored.message.author.id !== host.bot.id)
      throw discordError(403, 50005, 'Cannot edit a message authored by another user');
    return editMessage(host, stored, record);
  }
  if (method === 'DELETE') {
    host.messages.delete(messageId);
    const history = host.channelHistory.get(channelId) ?? [];
    history.splice(history.indexOf(messageId), 1);
    return undefined;
  }
  throw notFound();
}

export function createChannelMessage(
  host: LoopbackDiscord,
  guild: LoopbackGuild,
  channel: LoopbackChannel,
  permissions: bigint,
  record: RecordedRequest,
): APIMessage {
  if (channel.type === ChannelType.GuildCategory) {
    throw discordError(400, 50008, 'Cannot send messages in a non-text channel');
  }
  const body = (record.body ?? {}) as Record<string, unknown>;
  const needs =
    PERMISSION.send |
    (isNonEmptyArray(body.embeds) ? PERMISSION.embed : 0n) |
    (record.files.size ? PERMISSION.attach : 0n);
  if ((permissions & needs) !== needs) throw FAULT_RESPONSES.missingPermissions();
  assertMessageLimits(body);
  const nonce = body.nonce as string | number | undefined;
  const nonceKey = nonce === undefined ? undefined : `${channel.id}:${String(nonce)}`;
  if (nonceKey && body.enforce_nonce === true) {
    const seen = host.nonces.get(nonceKey);
    if (seen && Date.now() - seen.at < host.nonceWindowMs && host.messages.has(seen.messageId)) {
      return host.messages.get(seen.messageId)!.message;
    }
  }
  const stored = storeMessage(host, record, {
    channelId: channel.id,
    guildId: guild.id,
    author: host.bot,
    ...(nonce === undefined ? {} : { nonce }),
  });
  if (nonceKey) host.nonces.set(nonceKey, { messageId: stored.message.id, at: Date.now() });
  return stored.message;
}

export function guildRoute(host: LoopbackDiscord, method: string, parts: string[]): unknown {
  const guild = host.guilds.find((g) => g.id === parts[1]);
  if (!guild) throw discordError(404, 10004, 'Unknown Guild');
  if (method !== 'GET') throw notFound();
  if (parts.length === 2) return apiGuildCreate(guild);
  if (parts[2] === 'channels') return guild.channels.map((c, i) => apiChannel(guild, c, i));
  if (parts[2] === 'roles') return apiGuildCreate(guild).roles;
  if (parts[2] === 'members' && parts[3]) {
    const member = guild.members.find((m) => m.user.id === parts[3]);
    if (!member) throw discordError(404, 10007, 'Unknown Member');
    return apiMember(guild, member);
  }
  throw notFound();
}
