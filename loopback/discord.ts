import { EventEmitter, once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIApplicationCommand,
  APIMessage,
  APIMessageComponentInteraction,
  APIApplicationCommandOptionChoice,
} from 'discord.js';
import { ComponentType, GatewayDispatchEvents, InteractionType } from 'discord.js';
import { WebSocketServer } from 'ws';
import type { ActiveFault } from './discord/faults.js';
import { handleGateway, sendDispatch, sessionsForGuild } from './discord/gateway.js';
import type { GatewaySession } from './discord/gateway.js';
import { matchPath } from './discord/http.js';
import type { FaultRule, RecordedRequest } from './discord/http.js';
import {
  createCommandInteraction,
  createComponentInteraction,
  findComponent,
} from './discord/interactions.js';
import { storeMessage } from './discord/messages.js';
import { LoopbackOAuth } from './discord/oauth.js';
import type { StoredMessage } from './discord/messages.js';
import { apiChannel, apiGuildCreate } from './discord/payloads.js';
import type { MessageInit } from './discord/payloads.js';
import { findChannel, handleHttp } from './discord/rest.js';
import type { InteractionSession } from './discord/session.js';
import type { InteractionContext } from './discord/session.js';
import type { ShardPair } from './discord/sharding.js';
import type { GuildSeed, LoopbackChannel, LoopbackGuild, LoopbackUser } from './discord/state.js';
import { createGuild, snowflake } from './discord/state.js';

export type {
  GuildSeed,
  LoopbackChannel,
  LoopbackGuild,
  LoopbackMember,
  LoopbackUser,
} from './discord/state.js';
export { ALL_PERMISSIONS, MEMBER_PERMISSIONS, channelPermissions, snowflake } from './discord/state.js';
export { UNSHARDED, shardOf, snowflakeOnShard } from './discord/sharding.js';
export type { ShardPair } from './discord/sharding.js';

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

export type { Fault, FaultRule, RecordedRequest } from './discord/http.js';
export { MESSAGE_LIMITS } from './discord/http.js';
export type { CallbackRecord, InteractionContext, InteractionRecipient } from './discord/session.js';
export type { ApiUserGuild, LoopbackOAuth } from './discord/oauth.js';
export { InteractionSession } from './discord/session.js';

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
  /** The `shards` GET /gateway/bot recommends (what discord.js's `shards: 'auto'` runs). Default 1. */
  readonly recommendedShards?: number;
  /**
   * Discord's "you must shard" threshold: an IDENTIFY with fewer shards than this (none counts as
   * one) is closed with 4011 Sharding required. Default: no threshold.
   */
  readonly requiredShardCount?: number;
  /**
   * `session_start_limit.max_concurrency` of GET /gateway/bot: how many shards of one process
   * discord.js identifies at once (it waits 5 s between the others). Default 1, as for most bots.
   */
  readonly maxConcurrency?: number;
  /** The application's OAuth2 client secret. Default `loopback-client-secret`. */
  readonly clientSecret?: string;
}

/** One identified gateway connection and the shard it serves. */
export interface ShardSession {
  readonly sessionId: string;
  readonly shard: ShardPair;
}

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
  /** OAuth2 sign-in (authorize, token, the user's own /users/@me and guilds): see oauth.ts. */
  readonly oauth: LoopbackOAuth;

  /** @internal */
  readonly messages = new Map<string, StoredMessage>();
  /** @internal */
  readonly channelHistory = new Map<string, string[]>();
  /** @internal */
  readonly nonces = new Map<string, { messageId: string; at: number }>();
  /** @internal */
  readonly faults: ActiveFault[] = [];
  /** @internal */
  readonly gateway = new Set<GatewaySession>();
  /** @internal Session ids that may RESUME, with the shard each identified as. */
  readonly gatewaySessionShards = new Map<string, ShardPair>();
  /** IDENTIFYs closed for their `shard` field (4010 Invalid shard, 4011 Sharding required). */
  readonly rejectedIdentifies: { readonly shard: unknown; readonly code: 4010 | 4011 }[] = [];
  private readonly events = new EventEmitter();
  /** @internal */
  readonly nonceWindowMs: number;
  /** @internal */
  readonly interactionDeadlineMs: number;
  /** @internal */
  readonly recommendedShards: number;
  /** @internal */
  readonly requiredShardCount: number | undefined;
  /** @internal */
  readonly maxConcurrency: number;
  /** @internal */
  port = 0;

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
    this.guilds = (options.guilds ?? [{}]).map((seed) => this.createGuild(seed));
    this.nonceWindowMs = options.nonceWindowMs ?? 5 * 60_000;
    this.interactionDeadlineMs = options.interactionDeadlineMs ?? 3000;
    this.recommendedShards = options.recommendedShards ?? 1;
    this.requiredShardCount = options.requiredShardCount;
    this.maxConcurrency = options.maxConcurrency ?? 1;
    this.oauth = new LoopbackOAuth(options.clientSecret ?? 'loopback-client-secret');
    this.events.setMaxListeners(0);
  }

  /** Starts a server on 127.0.0.1 on a free port. */
  static async start(options: LoopbackDiscordOptions = {}): Promise<LoopbackDiscord> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    const server = new LoopbackDiscord(http, wss, options);
    http.on('request', (req, res) => void handleHttp(server, req, res));
    wss.on('connection', (socket) => handleGateway(server, socket));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    server.port = (http.address() as AddressInfo).port;
    return server;
  }

  /** How many gateway connections have identified (logged-in clients; one per shard a client runs). */
  get loggedInClients(): number {
    return [...this.gateway].filter((s) => s.identified).length;
  }

  /** The identified connections and their shards, in connection order. */
  get shardSessions(): ShardSession[] {
    return [...this.gateway]
      .filter((s) => s.identified && s.sessionId !== undefined)
      .map((s) => ({ sessionId: s.sessionId!, shard: s.shard }));
  }

  /** How many identified connections serve shard `shardId` (of any shard count). */
  sessionsOfShard(shardId: number): number {
    return this.shardSessions.filter((s) => s.shard[0] === shardId).length;
  }

  /**
   * The environment a bot process needs to use this server (token, application, guild, API base)
   * over `dataDir`, plus `extra` settings.
   */
  botEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      DISCORD_TOKEN: this.token,
      DISCORD_APPLICATION_ID: this.applicationId,
      DISCORD_GUILD_ID: this.guild.id,
      DISCORD_API_BASE: this.apiBase,
      DATA_DIR: dataDir,
      ...extra,
    };
  }

  /** Base URL for `rest.api` / DISCORD_API_BASE. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** Where browsers sign in (DISCORD_OAUTH_AUTHORIZE_URL); it approves for `oauth.signIn`'s user. */
  get authorizeUrl(): string {
    return `http://127.0.0.1:${this.port}/oauth2/authorize`;
  }

  /**
   * The settings of a web panel signing in through this server, served at `panelUrl` on `port`
   * (PANEL_*, DISCORD_CLIENT_SECRET, DISCORD_OAUTH_AUTHORIZE_URL), for {@link botEnv}'s `extra`.
   */
  panelEnv(panelUrl: string, port: number): Record<string, string> {
    return {
      PANEL_PORT: String(port),
      PANEL_HOST: '127.0.0.1',
      PANEL_URL: panelUrl,
      DISCORD_CLIENT_SECRET: this.oauth.clientSecret,
      PANEL_SESSION_SECRET: 'loopback-panel-session-secret-of-32+chars',
      DISCORD_OAUTH_AUTHORIZE_URL: this.authorizeUrl,
    };
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
    const { guild } = findChannel(this, channelId);
    const stored = storeMessage(
      this,
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

  /**
   * Sends a gateway dispatch: to the connections of the shard owning its guild when `data` has a
   * `guild_id` (or is a GUILD_CREATE/UPDATE/DELETE), else to every identified connection.
   */
  dispatch(event: string, data: unknown): void {
    const guildId = eventGuildId(event, data);
    if (guildId !== undefined) {
      this.dispatchToGuild(guildId, event, data);
      return;
    }
    for (const session of this.gateway) if (session.identified) sendDispatch(session, event, data);
  }

  /**
   * Sends a gateway dispatch to the connections whose shard owns `guildId` (`null`: shard 0, where
   * Discord sends what belongs to no guild). Returns the connections it went to.
   */
  dispatchToGuild(guildId: string | null, event: string, data: unknown): ShardSession[] {
    const sessions = sessionsForGuild(this, guildId);
    for (const session of sessions) sendDispatch(session, event, data);
    return sessions.map((s) => ({ sessionId: s.sessionId!, shard: s.shard }));
  }

  /** The bot joins a guild: it is added and its GUILD_CREATE goes to the shard owning it. */
  addGuild(seed: GuildSeed = {}): LoopbackGuild {
    const guild = this.createGuild(seed);
    this.guilds.push(guild);
    this.dispatchToGuild(guild.id, GatewayDispatchEvents.GuildCreate, apiGuildCreate(guild));
    this.changed();
    return guild;
  }

  private createGuild(seed: GuildSeed): LoopbackGuild {
    const guild = createGuild(seed, this.bot, this.owner);
    guild.members.push({ user: this.tester, roles: [] });
    return guild;
  }

  /** Removes a channel (as if deleted in Discord) and tells connected clients. */
  deleteChannel(channelId: string): void {
    for (const guild of this.guilds) {
      const index = guild.channels.findIndex((c) => c.id === channelId);
      if (index < 0) continue;
      const [channel] = guild.channels.splice(index, 1);
      this.dispatchToGuild(guild.id, GatewayDispatchEvents.ChannelDelete, apiChannel(guild, channel!, index));
    }
  }

  /** Applies a change to a channel (e.g. its overwrites) and tells connected clients. */
  updateChannel(channelId: string, change: (channel: LoopbackChannel) => void): void {
    for (const guild of this.guilds) {
      const index = guild.channels.findIndex((c) => c.id === channelId);
      if (index < 0) continue;
      change(guild.channels[index]!);
      this.dispatchToGuild(
        guild.id,
        GatewayDispatchEvents.ChannelUpdate,
        apiChannel(guild, guild.channels[index]!, index),
      );
    }
  }

  /** The bot leaves (is removed from) a guild. */
  removeGuild(guildId: string): void {
    const index = this.guilds.findIndex((g) => g.id === guildId);
    if (index < 0) return;
    this.guilds.splice(index, 1);
    this.dispatchToGuild(guildId, GatewayDispatchEvents.GuildDelete, { id: guildId, unavailable: false });
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
    return createCommandInteraction(
      this,
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
    const session = createCommandInteraction(
      this,
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
    return this.awaitAnswer(createComponentInteraction(this, current, data, context));
  }

  private async awaitAnswer(session: InteractionSession): Promise<InteractionSession> {
    return session.waitFor(
      (s) => s.callback !== undefined && (!s.isDeferred || s.edits > 0 || s.followUpIds.length > 0),
    );
  }

  // ---------------------------------------------------------------- gateway

  // ---------------------------------------------------------------- REST

  /** @internal Wakes up `waitFor`. */
  changed(): void {
    this.events.emit('change');
  }
}

/** The guild an event belongs to: its `guild_id`, or its `id` for the guild's own events. */
function eventGuildId(event: string, data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { guild_id: guildId, id } = data as { guild_id?: unknown; id?: unknown };
  if (typeof guildId === 'string') return guildId;
  const ownEvents: string[] = [
    GatewayDispatchEvents.GuildCreate,
    GatewayDispatchEvents.GuildUpdate,
    GatewayDispatchEvents.GuildDelete,
  ];
  return ownEvents.includes(event) && typeof id === 'string' ? id : undefined;
}
