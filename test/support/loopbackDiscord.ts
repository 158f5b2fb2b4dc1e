import { once } from 'node:events';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIApplicationCommand,
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOption,
  APIAttachment,
  APIMessage,
  APIMessageComponentInteraction,
  APIApplicationCommandOptionChoice,
} from 'discord.js';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  GatewayOpcodes,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
} from 'discord.js';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { apiChannel, apiGuildCreate, apiMember, apiMessage, apiUser } from './loopback/payloads.js';
import type { MessageInit } from './loopback/payloads.js';
import {
  FAULT_RESPONSES,
  HttpError,
  assertMessageLimits,
  contentType,
  discordError,
  faultAnswer,
  isNonEmptyArray,
  matchPath,
  notFound,
  parseBody,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
} from './loopback/http.js';
import type { Fault, FaultRule, RecordedRequest } from './loopback/http.js';
import { InteractionSession } from './loopback/session.js';
import type { InteractionContext } from './loopback/session.js';
import type { GuildSeed, LoopbackChannel, LoopbackGuild, LoopbackUser } from './loopback/state.js';
import { channelPermissions, createGuild, snowflake } from './loopback/state.js';

export type {
  GuildSeed,
  LoopbackChannel,
  LoopbackGuild,
  LoopbackMember,
  LoopbackUser,
} from './loopback/state.js';
export { ALL_PERMISSIONS, MEMBER_PERMISSIONS, channelPermissions, snowflake } from './loopback/state.js';

/**
 * A Discord-compatible server on 127.0.0.1 for end-to-end tests with the real discord.js client:
 * the REST routes a bot uses (commands, interaction callbacks, webhooks, channel messages, guild
 * state) and a JSON gateway (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats, dispatches).
 *
 * Point a client at it with `new Client({ intents, rest: { api: server.apiBase } })` and
 * `client.login(server.token)`. Every REST request is recorded; tests drive the bot with
 * {@link LoopbackDiscord.sendSlashCommand}, {@link LoopbackDiscord.clickButton} and friends, inject
 * faults with {@link LoopbackDiscord.inject}, and wait for effects with {@link LoopbackDiscord.waitFor}.
 *
 * Behaviour copied from Discord because bots depend on it:
 * - `POST /channels/:id/messages` with `nonce` and `enforce_nonce: true` returns the message created
 *   with the same nonce in the last few minutes instead of posting a duplicate;
 * - posting needs View Channel (else 403 50001 Missing Access) and Send Messages, plus Embed Links
 *   for embeds and Attach Files for files (else 403 50013 Missing Permissions); an unknown channel is
 *   404 10003; ephemeral replies never appear in channel history.
 */

export type { Fault, FaultRule, RecordedRequest } from './loopback/http.js';
export { MESSAGE_LIMITS } from './loopback/http.js';
export type { CallbackRecord, InteractionContext } from './loopback/session.js';
export { InteractionSession } from './loopback/session.js';

export interface LoopbackDiscordOptions {
  readonly token?: string;
  readonly applicationId?: string;
  readonly botUsername?: string;
  /** Default: one guild with #general, #announcements and a voice channel. */
  readonly guilds?: readonly GuildSeed[];
  /** How long Discord remembers a nonce for `enforce_nonce`; Discord says "a few minutes". */
  readonly nonceWindowMs?: number;
  /** Time allowed for an interaction's first answer, as Discord (3 s); later ones get 10062. */
  readonly interactionDeadlineMs?: number;
}

interface StoredMessage {
  message: APIMessage;
  files: Map<string, Buffer>;
  ephemeral: boolean;
}

interface GatewaySession {
  readonly socket: WebSocket;
  sequence: number;
  identified: boolean;
  sessionId?: string;
}

const PERMISSION = {
  view: 1n << 10n,
  send: 1n << 11n,
  embed: 1n << 14n,
  attach: 1n << 15n,
};

export class LoopbackDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly bot: LoopbackUser;
  /** A guild owner. */
  readonly owner: LoopbackUser;
  /** An ordinary member of every guild, the default interaction author. */
  readonly tester: LoopbackUser;
  readonly guilds: LoopbackGuild[];
  readonly requests: RecordedRequest[] = [];
  /** Global commands as last registered, then guild commands by guild id. */
  globalCommands: APIApplicationCommand[] = [];
  readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  readonly sessions = new Map<string, InteractionSession>();

  private readonly messages = new Map<string, StoredMessage>();
  private readonly channelHistory = new Map<string, string[]>();
  private readonly nonces = new Map<string, { messageId: string; at: number }>();
  private readonly faults: { rule: FaultRule; remaining: number }[] = [];
  private readonly gateway = new Set<GatewaySession>();
  private readonly gatewaySessionIds = new Set<string>();
  private readonly events = new EventEmitter();
  private readonly nonceWindowMs: number;
  private readonly interactionDeadlineMs: number;
  private port = 0;

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    options: LoopbackDiscordOptions,
  ) {
    this.token = options.token ?? 'loopback-bot-token';
    this.applicationId = options.applicationId ?? snowflake();
    this.bot = { id: this.applicationId, username: options.botUsername ?? 'Loopback Bot', bot: true };
    this.owner = { id: snowflake(), username: 'owner' };
    this.tester = { id: snowflake(), username: 'tester', globalName: 'Tester' };
    this.guilds = (options.guilds ?? [{}]).map((seed) => {
      const guild = createGuild(seed, this.bot, this.owner);
      guild.members.push({ user: this.tester, roles: [] });
      return guild;
    });
    this.nonceWindowMs = options.nonceWindowMs ?? 5 * 60_000;
    this.interactionDeadlineMs = options.interactionDeadlineMs ?? 3000;
    this.events.setMaxListeners(0);
  }

  /** Starts a server on 127.0.0.1 on a free port. */
  static async start(options: LoopbackDiscordOptions = {}): Promise<LoopbackDiscord> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    const server = new LoopbackDiscord(http, wss, options);
    http.on('request', (req, res) => void server.handleHttp(req, res));
    wss.on('connection', (socket) => server.handleGateway(socket));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    server.port = (http.address() as AddressInfo).port;
    return server;
  }

  /** How many gateway connections have identified (logged-in clients). */
  get loggedInClients(): number {
    return [...this.gateway].filter((s) => s.identified).length;
  }

  /** Base URL for `rest.api` / DISCORD_API_BASE. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /**
   * Drops every gateway connection with a close code, as Discord does on restarts (4000 and most
   * 1xxx codes let the client resume; 4004 and friends do not).
   */
  disconnectClients(code = 4000): void {
    for (const session of this.gateway) session.socket.close(code, 'loopback: disconnected by the test');
  }

  /** Closes every gateway connection and the HTTP server. */
  async close(): Promise<void> {
    for (const session of this.gateway) session.socket.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---------------------------------------------------------------- state for tests

  get guild(): LoopbackGuild {
    const guild = this.guilds[0];
    if (!guild) throw new Error('loopback: no guild');
    return guild;
  }

  /** A channel of any guild by name or id. */
  channel(nameOrId: string): LoopbackChannel {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === nameOrId || c.name === nameOrId);
      if (channel) return channel;
    }
    throw new Error(`loopback: no channel ${nameOrId}`);
  }

  /** The latest state of a stored message. */
  message(id: string): APIMessage | undefined {
    return this.messages.get(id)?.message;
  }

  /** Non-ephemeral messages of a channel, oldest first. */
  channelMessages(channelId: string): APIMessage[] {
    return (this.channelHistory.get(channelId) ?? []).map((id) => this.messages.get(id)!.message);
  }

  /** The bytes of an attachment a message carries. */
  attachmentData(messageId: string, filename: string): Buffer | undefined {
    return this.messages.get(messageId)?.files.get(filename);
  }

  /** The commands a user of `guildId` sees: guild commands, then global ones. */
  commands(guildId?: string): APIApplicationCommand[] {
    return [...(guildId ? (this.guildCommands.get(guildId) ?? []) : []), ...this.globalCommands];
  }

  /**
   * Puts a message from the bot in a channel, as if sent earlier (e.g. by an older version of the
   * bot, with buttons the current one must handle).
   */
  seedMessage(
    channelId: string,
    content: { content?: string; embeds?: APIMessage['embeds']; components?: MessageInit['components'] },
  ): APIMessage {
    const { guild } = this.findChannel(channelId);
    const stored = this.storeMessage(
      { body: content, files: new Map() },
      { channelId, guildId: guild.id, author: this.bot, applicationId: this.applicationId },
    );
    this.changed();
    return stored.message;
  }

  /** Adds a fault rule; the next `times` matching requests get the fault. */
  inject(rule: FaultRule): void {
    this.faults.push({ rule, remaining: rule.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /**
   * Forgets every nonce seen so far, as Discord does after a few minutes: a message posted again
   * with the same nonce and `enforce_nonce` is then created again.
   */
  forgetNonces(): void {
    this.nonces.clear();
  }

  /** Requests matching a method and a path prefix or RegExp. */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && matchPath(path, r.path));
  }

  /** Sends a gateway dispatch to every identified connection. */
  dispatch(event: string, data: unknown): void {
    for (const session of this.gateway) {
      if (!session.identified) continue;
      session.sequence += 1;
      session.socket.send(
        JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data }),
      );
    }
  }

  /** Removes a channel (as if deleted in Discord) and tells connected clients. */
  deleteChannel(channelId: string): void {
    for (const guild of this.guilds) {
      const index = guild.channels.findIndex((c) => c.id === channelId);
      if (index < 0) continue;
      const [channel] = guild.channels.splice(index, 1);
      this.dispatch(GatewayDispatchEvents.ChannelDelete, apiChannel(guild, channel!, index));
    }
  }

  /** Applies a change to a channel (e.g. its overwrites) and tells connected clients. */
  updateChannel(channelId: string, change: (channel: LoopbackChannel) => void): void {
    for (const guild of this.guilds) {
      const index = guild.channels.findIndex((c) => c.id === channelId);
      if (index < 0) continue;
      change(guild.channels[index]!);
      this.dispatch(GatewayDispatchEvents.ChannelUpdate, apiChannel(guild, guild.channels[index]!, index));
    }
  }

  /** The bot leaves (is removed from) a guild. */
  removeGuild(guildId: string): void {
    const index = this.guilds.findIndex((g) => g.id === guildId);
    if (index < 0) return;
    this.guilds.splice(index, 1);
    this.dispatch(GatewayDispatchEvents.GuildDelete, { id: guildId, unavailable: false });
  }

  /**
   * Resolves with the first truthy value of `probe`, evaluated now, after every request or gateway
   * event, and every 20 ms. Rejects after `timeoutMs` (default 10 s) naming what was awaited.
   */
  waitFor<T>(
    probe: () => T | undefined | null | false,
    options: { timeoutMs?: number | undefined; description?: string } = {},
  ): Promise<T> {
    const first = probe();
    if (first) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let value: T | undefined | null | false;
        try {
          value = probe();
        } catch (error) {
          cleanup();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const recent = this.requests
          .slice(-8)
          .map((r) => `${r.method} ${r.path} -> ${r.status ?? '…'}`)
          .join('\n  ');
        reject(
          new Error(
            `loopback: timed out waiting for ${options.description ?? 'condition'}; last requests:\n  ${recent}`,
          ),
        );
      }, options.timeoutMs ?? 10_000);
      // Conditions on the client side (its cache) change without a server event: poll them too.
      const poll = setInterval(check, 20);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.events.off('change', check);
      };
      this.events.on('change', check);
    });
  }

  // ---------------------------------------------------------------- interactions

  /**
   * Sends a slash command as a user would. `name` may name a subcommand (`digest subscribe`).
   * Options are by name; channel, user and role options take ids. Resolves once the bot has
   * answered: after the callback, or after the first edit or follow-up when it deferred.
   */
  async sendSlashCommand(
    name: string,
    options: Readonly<Record<string, string | number | boolean>> = {},
    context: InteractionContext = {},
  ): Promise<InteractionSession> {
    return this.awaitAnswer(this.startSlashCommand(name, options, context));
  }

  /**
   * Sends a slash command like {@link sendSlashCommand} without waiting for the answer: for tests
   * of what happens when there is none, or of several commands in flight.
   */
  startSlashCommand(
    name: string,
    options: Readonly<Record<string, string | number | boolean>> = {},
    context: InteractionContext = {},
  ): InteractionSession {
    return this.createCommandInteraction(
      InteractionType.ApplicationCommand,
      name,
      options,
      undefined,
      context,
    );
  }

  /** Sends an autocomplete request with `focused` being typed; resolves with the choices. */
  async sendAutocomplete(
    name: string,
    options: Readonly<Record<string, string | number | boolean>>,
    focused: string,
    context: InteractionContext = {},
  ): Promise<APIApplicationCommandOptionChoice[]> {
    const session = this.createCommandInteraction(
      InteractionType.ApplicationCommandAutocomplete,
      name,
      options,
      focused,
      context,
    );
    await session.waitFor((s) => s.callback !== undefined);
    if (session.choices === undefined)
      throw new Error(`loopback: autocomplete answered with callback type ${session.callback?.type}`);
    return session.choices;
  }

  /** Clicks a button of a message (an object the bot sent, as returned by a session). */
  async clickButton(
    customId: string,
    message: APIMessage,
    context: InteractionContext = {},
  ): Promise<InteractionSession> {
    return this.useComponent(message, { custom_id: customId, component_type: ComponentType.Button }, context);
  }

  /** Picks values in a string select menu of a message. */
  async selectMenu(
    customId: string,
    values: readonly string[],
    message: APIMessage,
    context: InteractionContext = {},
  ): Promise<InteractionSession> {
    return this.useComponent(
      message,
      { custom_id: customId, component_type: ComponentType.StringSelect, values: [...values] },
      context,
    );
  }

  /** A click or pick on the message as the server holds it now (edits included), answered. */
  private async useComponent(
    message: APIMessage,
    data: APIMessageComponentInteraction['data'],
    context: InteractionContext,
  ): Promise<InteractionSession> {
    const current = this.message(message.id) ?? message;
    if (!findComponent(current, data.custom_id))
      throw new Error(`loopback: message ${message.id} has no component ${data.custom_id}`);
    return this.awaitAnswer(this.createComponentInteraction(current, data, context));
  }

  private async awaitAnswer(session: InteractionSession): Promise<InteractionSession> {
    return session.waitFor(
      (s) => s.callback !== undefined && (!s.isDeferred || s.edits > 0 || s.followUpIds.length > 0),
    );
  }

  private interactionBase(type: InteractionType, context: InteractionContext) {
    const user = context.user ?? this.tester;
    const id = snowflake();
    const token = `itoken-${id}`;
    const guild =
      context.guildId === null
        ? undefined
        : this.guilds.find((g) => g.id === (context.guildId ?? this.guild.id));
    if (context.guildId && !guild) throw new Error(`loopback: no guild ${context.guildId}`);
    const channel = context.channelId
      ? this.channel(context.channelId)
      : (guild?.channels.find((c) => c.type === ChannelType.GuildText) ?? undefined);
    const payload: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
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
      const botMember = guild.members.find((m) => m.user.id === this.bot.id)!;
      Object.assign(payload, {
        guild_id: guild.id,
        guild: { id: guild.id, locale: 'en-US', features: [] },
        guild_locale: 'en-US',
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

  private createCommandInteraction(
    type: InteractionType.ApplicationCommand | InteractionType.ApplicationCommandAutocomplete,
    name: string,
    options: Readonly<Record<string, string | number | boolean>>,
    focused: string | undefined,
    context: InteractionContext,
  ): InteractionSession {
    const base = this.interactionBase(type, context);
    const [commandName, ...path] = name.trim().split(/\s+/);
    if (!commandName) throw new Error('loopback: empty command name');
    const command = this.commands(base.guild?.id).find((c) => c.name === commandName);
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
        this.resolveOption(optionType, String(value), base.guild, resolved);
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
    return this.deliverInteraction(base, type);
  }

  private resolveOption(
    type: ApplicationCommandOptionType,
    value: string,
    guild: LoopbackGuild | undefined,
    resolved: Record<string, Record<string, unknown>>,
  ) {
    if (type === ApplicationCommandOptionType.Channel) {
      const found = this.guilds
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

  private createComponentInteraction(
    message: APIMessage,
    data: APIMessageComponentInteraction['data'],
    context: InteractionContext,
  ): InteractionSession {
    const base = this.interactionBase(InteractionType.MessageComponent, {
      channelId: message.channel_id,
      ...context,
    });
    base.payload.message = message;
    base.payload.data = data;
    return this.deliverInteraction(base, InteractionType.MessageComponent);
  }

  private deliverInteraction(
    base: { id: string; token: string; payload: Record<string, unknown>; user: LoopbackUser },
    type: InteractionType,
  ): InteractionSession {
    if (![...this.gateway].some((s) => s.identified)) throw new Error('loopback: no client is logged in');
    const session = new InteractionSession(this, base.id, base.token, type, base.payload, base.user);
    this.sessions.set(base.token, session);
    this.dispatch(GatewayDispatchEvents.InteractionCreate, base.payload);
    return session;
  }

  // ---------------------------------------------------------------- gateway

  private handleGateway(socket: WebSocket): void {
    const session: GatewaySession = { socket, sequence: 0, identified: false };
    this.gateway.add(session);
    socket.on('close', () => {
      this.gateway.delete(session);
      this.changed();
    });
    socket.on('message', (raw) => {
      let packet: { op: GatewayOpcodes; d: unknown };
      try {
        packet = JSON.parse(rawText(raw)) as { op: GatewayOpcodes; d: unknown };
      } catch {
        socket.close(4002, 'Decode error');
        return;
      }
      this.handleGatewayPacket(session, packet);
      this.changed();
    });
    socket.send(
      JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: 41_250 }, s: null, t: null }),
    );
  }

  private handleGatewayPacket(session: GatewaySession, packet: { op: GatewayOpcodes; d: unknown }): void {
    switch (packet.op) {
      case GatewayOpcodes.Heartbeat:
        session.socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null }));
        return;
      case GatewayOpcodes.Identify: {
        const token = String((packet.d as { token?: string }).token ?? '').replace(/^Bot /, '');
        if (token !== this.token) {
          session.socket.close(4004, 'Authentication failed.');
          return;
        }
        session.identified = true;
        const sessionId = `session-${snowflake()}`;
        session.sessionId = sessionId;
        this.gatewaySessionIds.add(sessionId);
        session.sequence += 1;
        session.socket.send(
          JSON.stringify({
            op: GatewayOpcodes.Dispatch,
            t: GatewayDispatchEvents.Ready,
            s: session.sequence,
            d: {
              v: 10,
              user: { ...apiUser(this.bot), verified: true, mfa_enabled: false, flags: 0 },
              guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
              session_id: sessionId,
              resume_gateway_url: this.gatewayUrl,
              shard: [0, 1],
              application: { id: this.applicationId, flags: 0 },
            },
          }),
        );
        for (const guild of this.guilds) {
          session.sequence += 1;
          session.socket.send(
            JSON.stringify({
              op: GatewayOpcodes.Dispatch,
              t: GatewayDispatchEvents.GuildCreate,
              s: session.sequence,
              d: apiGuildCreate(guild),
            }),
          );
        }
        return;
      }
      case GatewayOpcodes.Resume: {
        // Events missed while disconnected are not replayed: tests dispatch only to live clients.
        const resume = packet.d as { token?: string; session_id?: string; seq?: number };
        const token = String(resume.token ?? '').replace(/^Bot /, '');
        if (token !== this.token || !resume.session_id || !this.gatewaySessionIds.has(resume.session_id)) {
          session.socket.send(
            JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null }),
          );
          return;
        }
        session.identified = true;
        session.sessionId = resume.session_id;
        session.sequence = (resume.seq ?? 0) + 1;
        session.socket.send(
          JSON.stringify({
            op: GatewayOpcodes.Dispatch,
            t: GatewayDispatchEvents.Resumed,
            s: session.sequence,
            d: {},
          }),
        );
        return;
      }
      default:
        // Presence updates, member requests and voice state updates are accepted and ignored.
        return;
    }
  }

  // ---------------------------------------------------------------- REST

  private changed(): void {
    this.events.emit('change');
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/attachments/')) {
      const [, , messageId, filename] = url.pathname.split('/');
      const data =
        messageId && filename ? this.attachmentData(messageId, decodeURIComponent(filename)) : undefined;
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
    this.requests.push(record);
    let status = 200;
    let payload: unknown;
    let headers: Record<string, string> = {};
    const fault = this.takeFault(method, path);
    try {
      if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
      if (fault && fault.kind !== 'delay' && fault.kind !== 'delayAnswer') {
        ({ status, payload, headers } = faultAnswer(fault));
      } else {
        const answer = this.route(method, path, url.searchParams, record);
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
      this.changed(); // what was stored is visible while the answer is held
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
    }
    record.status = status;
    if (res.destroyed) return;
    if (status === 204) res.writeHead(204, headers).end();
    else
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
    this.changed();
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const entry = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.rule.method || f.rule.method.toUpperCase() === method) &&
        matchPath(f.rule.path, path),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.faults.splice(this.faults.indexOf(entry), 1);
    return entry.rule.fault;
  }

  private requireAuth(record: RecordedRequest): void {
    if (record.headers.authorization !== `Bot ${this.token}`) throw discordError(401, 0, '401: Unauthorized');
  }

  private route(method: string, path: string, query: URLSearchParams, record: RecordedRequest): unknown {
    const parts = path.split('/').filter(Boolean);
    const [head] = parts;
    if (head === 'interactions' && parts.length === 4 && parts[3] === 'callback' && method === 'POST') {
      return this.interactionCallback(parts[1]!, parts[2]!, query, record);
    }
    if (head === 'webhooks' && parts.length >= 3) return this.webhookRoute(method, parts, query, record);
    this.requireAuth(record);
    if (head === 'gateway' && method === 'GET') {
      return {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
      };
    }
    if (head === 'users' && parts[1] === '@me' && method === 'GET') return apiUser(this.bot);
    if (head === 'applications' && parts[1] === this.applicationId)
      return this.commandRoute(method, parts, record);
    if (head === 'channels' && parts[1]) return this.channelRoute(method, parts, record);
    if (head === 'guilds' && parts[1]) return this.guildRoute(method, parts);
    throw notFound();
  }

  private commandRoute(method: string, parts: string[], record: RecordedRequest): unknown {
    // /applications/:app/commands or /applications/:app/guilds/:guild/commands
    const guildId = parts[2] === 'guilds' ? parts[3] : undefined;
    const rest = parts.slice(guildId ? 4 : 2);
    if (rest[0] !== 'commands') throw notFound();
    if (guildId && !this.guilds.some((g) => g.id === guildId)) throw FAULT_RESPONSES.missingAccess();
    const current = guildId ? (this.guildCommands.get(guildId) ?? []) : this.globalCommands;
    const store = (commands: APIApplicationCommand[]) => {
      if (guildId) this.guildCommands.set(guildId, commands);
      else this.globalCommands = commands;
    };
    const materialize = (input: Record<string, unknown>): APIApplicationCommand => {
      const existing = current.find((c) => c.name === input.name);
      if (typeof input.name !== 'string' || !/^[-_\p{L}\p{N}]{1,32}$/u.test(input.name)) {
        throw discordError(400, 50035, `Invalid Form Body: name ${String(input.name)}`);
      }
      return {
        ...(input as object),
        id: existing?.id ?? snowflake(),
        application_id: this.applicationId,
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

  private findChannel(channelId: string): { guild: LoopbackGuild; channel: LoopbackChannel } {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === channelId);
      if (channel) return { guild, channel };
    }
    throw FAULT_RESPONSES.unknownChannel();
  }

  private botPermissions(guild: LoopbackGuild, channel: LoopbackChannel): bigint {
    const member = guild.members.find((m) => m.user.id === this.bot.id)!;
    return channelPermissions(guild, member, channel);
  }

  private channelRoute(method: string, parts: string[], record: RecordedRequest): unknown {
    const channelId = parts[1]!;
    const { guild, channel } = this.findChannel(channelId);
    const permissions = this.botPermissions(guild, channel);
    if (!(permissions & PERMISSION.view)) throw FAULT_RESPONSES.missingAccess();
    if (parts.length === 2 && method === 'GET')
      return apiChannel(guild, channel, guild.channels.indexOf(channel));
    if (parts[2] !== 'messages') throw notFound();
    const messageId = parts[3];
    if (!messageId && method === 'GET') return this.channelMessages(channelId).reverse();
    if (!messageId && method === 'POST')
      return this.createChannelMessage(guild, channel, permissions, record);
    if (!messageId) throw notFound();
    const stored = this.messages.get(messageId);
    if (!stored || stored.message.channel_id !== channelId || stored.ephemeral) throw unknownMessage();
    if (method === 'GET') return stored.message;
    if (method === 'PATCH') {
      if (stored.message.author.id !== this.bot.id)
        throw discordError(403, 50005, 'Cannot edit a message authored by another user');
      return this.editMessage(stored, record);
    }
    if (method === 'DELETE') {
      this.messages.delete(messageId);
      const history = this.channelHistory.get(channelId) ?? [];
      history.splice(history.indexOf(messageId), 1);
      return undefined;
    }
    throw notFound();
  }

  private createChannelMessage(
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
      const seen = this.nonces.get(nonceKey);
      if (seen && Date.now() - seen.at < this.nonceWindowMs && this.messages.has(seen.messageId)) {
        return this.messages.get(seen.messageId)!.message;
      }
    }
    const stored = this.storeMessage(record, {
      channelId: channel.id,
      guildId: guild.id,
      author: this.bot,
      ...(nonce === undefined ? {} : { nonce }),
    });
    if (nonceKey) this.nonces.set(nonceKey, { messageId: stored.message.id, at: Date.now() });
    return stored.message;
  }

  private guildRoute(method: string, parts: string[]): unknown {
    const guild = this.guilds.find((g) => g.id === parts[1]);
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

  private interactionCallback(
    id: string,
    token: string,
    query: URLSearchParams,
    record: RecordedRequest,
  ): unknown {
    const session = this.sessions.get(token);
    if (!session || session.id !== id) throw unknownInteraction();
    if (Date.now() - session.createdAt > this.interactionDeadlineMs) throw unknownInteraction();
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
      const stored = this.storeMessage(
        type === InteractionResponseType.DeferredChannelMessageWithSource
          ? { body: { flags: flags | MessageFlags.Loading }, files: new Map() }
          : { body: body.data, files: record.files },
        {
          channelId: payload.channel_id ?? 'dm',
          ...(payload.guild_id ? { guildId: payload.guild_id } : {}),
          author: this.bot,
          webhookId: this.applicationId,
          applicationId: this.applicationId,
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
      const target = payload.message ? this.messages.get(payload.message.id) : undefined;
      if (!target) throw unknownMessage();
      if (type === InteractionResponseType.UpdateMessage) this.editMessage(target, record, body.data);
      messageId = target.message.id;
      session.originalMessageId = messageId;
    }
    if (query.get('with_response') !== 'true') return undefined;
    const message = messageId ? this.message(messageId) : undefined;
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

  private webhookRoute(
    method: string,
    parts: string[],
    query: URLSearchParams,
    record: RecordedRequest,
  ): unknown {
    const [, app, token, sub, messageRef] = parts;
    const session = token ? this.sessions.get(token) : undefined;
    if (app !== this.applicationId || !session) throw unknownWebhook();
    if (!session.callback) throw unknownWebhook();
    if (!sub && method === 'POST') {
      const payload = session.payload as { channel_id?: string; guild_id?: string };
      const flags = Number((record.body as { flags?: number } | undefined)?.flags ?? 0);
      assertMessageLimits((record.body ?? {}) as Record<string, unknown>);
      const stored = this.storeMessage(
        record,
        {
          channelId: payload.channel_id ?? 'dm',
          ...(payload.guild_id ? { guildId: payload.guild_id } : {}),
          author: this.bot,
          webhookId: this.applicationId,
          applicationId: this.applicationId,
        },
        (flags & MessageFlags.Ephemeral) !== 0,
      );
      session.followUpIds.push(stored.message.id);
      return query.get('wait') === 'false' ? undefined : stored.message;
    }
    if (sub !== 'messages' || !messageRef) throw notFound();
    const messageId = messageRef === '@original' ? session.originalMessageId : messageRef;
    const stored = messageId ? this.messages.get(messageId) : undefined;
    if (!stored) throw unknownMessage();
    if (method === 'GET') return stored.message;
    if (method === 'PATCH') {
      assertMessageLimits((record.body ?? {}) as Record<string, unknown>);
      const message = this.editMessage(stored, record);
      if (messageRef === '@original') session.edits += 1;
      return message;
    }
    if (method === 'DELETE') {
      this.messages.delete(stored.message.id);
      return undefined;
    }
    throw notFound();
  }

  private storeMessage(
    record: Pick<RecordedRequest, 'body' | 'files'>,
    init: Omit<Parameters<typeof apiMessage>[0], 'id'>,
    ephemeral = false,
  ): StoredMessage {
    const id = snowflake();
    const body = (record.body ?? {}) as Record<string, unknown>;
    const files = new Map<string, Buffer>();
    const attachments = this.attachmentsFrom(id, body, record.files, files, []);
    const message = apiMessage({
      ...init,
      id,
      content: (body.content as string | undefined) ?? '',
      embeds: (body.embeds as APIMessage['embeds'] | undefined) ?? [],
      components: (body.components as MessageInit['components']) ?? [],
      attachments,
      flags: Number(body.flags ?? 0),
    });
    const stored: StoredMessage = { message, files, ephemeral };
    this.messages.set(id, stored);
    if (!ephemeral) {
      const history = this.channelHistory.get(init.channelId) ?? [];
      history.push(id);
      this.channelHistory.set(init.channelId, history);
    }
    return stored;
  }

  private editMessage(
    stored: StoredMessage,
    record: Pick<RecordedRequest, 'body' | 'files'>,
    data?: Record<string, unknown>,
  ): APIMessage {
    const body = (data ?? record.body ?? {}) as Record<string, unknown>;
    const current = stored.message;
    const attachments =
      'attachments' in body || record.files.size
        ? this.attachmentsFrom(current.id, body, record.files, stored.files, current.attachments)
        : current.attachments;
    stored.message = {
      ...current,
      ...('content' in body ? { content: (body.content as string | null) ?? '' } : {}),
      ...('embeds' in body ? { embeds: (body.embeds as APIMessage['embeds'] | null) ?? [] } : {}),
      ...('components' in body
        ? { components: (body.components as APIMessage['components'] | null) ?? [] }
        : {}),
      // Editing a deferred reply clears its loading state.
      flags: (current.flags ?? 0) & ~MessageFlags.Loading,
      attachments,
      edited_timestamp: new Date().toISOString(),
    };
    return stored.message;
  }

  private attachmentsFrom(
    messageId: string,
    body: Record<string, unknown>,
    files: ReadonlyMap<string, { name: string; data: Buffer }>,
    store: Map<string, Buffer>,
    existing: readonly APIAttachment[],
  ): APIAttachment[] {
    const listed =
      (body.attachments as { id: string | number; filename?: string }[] | undefined) ??
      [...files.keys()].map((_, i): { id: number; filename?: string } => ({ id: i }));
    const result: APIAttachment[] = [];
    for (const entry of listed) {
      const kept = existing.find((a) => a.id === String(entry.id));
      if (kept) {
        result.push(kept);
        continue;
      }
      const file = files.get(`files[${entry.id}]`);
      if (!file) continue;
      const filename = entry.filename ?? file.name;
      store.set(filename, file.data);
      const url = `http://127.0.0.1:${this.port}/attachments/${messageId}/${encodeURIComponent(filename)}`;
      result.push({
        id: snowflake(),
        filename,
        size: file.data.length,
        url,
        proxy_url: url,
        content_type: contentType(filename),
      });
    }
    return result;
  }
}

function rawText(raw: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw as ArrayBuffer).toString('utf8');
}

function inferOptionType(value: string | number | boolean): ApplicationCommandOptionType {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number')
    return Number.isInteger(value)
      ? ApplicationCommandOptionType.Integer
      : ApplicationCommandOptionType.Number;
  return ApplicationCommandOptionType.String;
}

function findComponent(message: APIMessage, customId: string): boolean {
  return (message.components ?? []).some((row) =>
    'components' in row
      ? (row.components as { custom_id?: string }[]).some((c) => c.custom_id === customId)
      : false,
  );
}
