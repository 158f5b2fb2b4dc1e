/**
 * The JSON gateway: HELLO, IDENTIFY (READY + GUILD_CREATE of the shard's guilds), RESUME,
 * heartbeats, and dispatches routed to the shard that owns their guild.
 */
import type { LoopbackDiscord } from '../discord.js';
import { GatewayDispatchEvents, GatewayOpcodes } from 'discord.js';
import type { WebSocket } from 'ws';
import { apiGuildCreate, apiUser } from './payloads.js';
import { checkIdentifyShard, ownsGuild, UNSHARDED } from './sharding.js';
import type { ShardPair } from './sharding.js';
import { snowflake } from './state.js';

/** One client connection. */
export interface GatewaySession {
  readonly socket: WebSocket;
  sequence: number;
  identified: boolean;
  sessionId?: string;
  /** The shard it identified (or resumed) as; {@link UNSHARDED} until then. */
  shard: ShardPair;
}

export function handleGateway(host: LoopbackDiscord, socket: WebSocket): void {
  const session: GatewaySession = { socket, sequence: 0, identified: false, shard: UNSHARDED };
  host.gateway.add(session);
  socket.on('close', () => {
    host.gateway.delete(session);
    host.changed();
  });
  socket.on('message', (raw) => {
    let packet: { op: GatewayOpcodes; d: unknown };
    try {
      packet = JSON.parse(rawText(raw)) as { op: GatewayOpcodes; d: unknown };
    } catch {
      socket.close(4002, 'Decode error');
      return;
    }
    handleGatewayPacket(host, session, packet);
    host.changed();
  });
  socket.send(
    JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: 41_250 }, s: null, t: null }),
  );
}

/** Sends one dispatch to one connection, with its next sequence number. */
export function sendDispatch(session: GatewaySession, event: string, data: unknown): void {
  session.sequence += 1;
  session.socket.send(
    JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data }),
  );
}

/**
 * The identified connections that receive an event of `guildId`: those whose shard owns it. Events
 * outside any guild (`null`, e.g. DMs) go to shard 0, as on Discord.
 */
export function sessionsForGuild(host: LoopbackDiscord, guildId: string | null): GatewaySession[] {
  return [...host.gateway].filter(
    (s) => s.identified && (guildId === null ? s.shard[0] === 0 : ownsGuild(s.shard, guildId)),
  );
}

export function handleGatewayPacket(
  host: LoopbackDiscord,
  session: GatewaySession,
  packet: { op: GatewayOpcodes; d: unknown },
): void {
  switch (packet.op) {
    case GatewayOpcodes.Heartbeat:
      session.socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null }));
      return;
    case GatewayOpcodes.Identify: {
      const identify = (packet.d ?? {}) as { token?: string; shard?: unknown };
      const token = String(identify.token ?? '').replace(/^Bot /, '');
      if (token !== host.token) {
        session.socket.close(4004, 'Authentication failed.');
        return;
      }
      const check = checkIdentifyShard(identify.shard, host.requiredShardCount);
      if (!check.ok) {
        host.rejectedIdentifies.push({ shard: identify.shard, code: check.code });
        session.socket.close(check.code, check.reason);
        return;
      }
      session.identified = true;
      session.shard = check.shard;
      const sessionId = `session-${snowflake()}`;
      session.sessionId = sessionId;
      host.gatewaySessionShards.set(sessionId, check.shard);
      const guilds = host.guilds.filter((g) => ownsGuild(check.shard, g.id));
      sendDispatch(session, GatewayDispatchEvents.Ready, {
        v: 10,
        user: { ...apiUser(host.bot), verified: true, mfa_enabled: false, flags: 0 },
        guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: sessionId,
        resume_gateway_url: host.gatewayUrl,
        shard: check.shard,
        application: { id: host.applicationId, flags: 0 },
      });
      for (const guild of guilds)
        sendDispatch(session, GatewayDispatchEvents.GuildCreate, apiGuildCreate(guild));
      return;
    }
    case GatewayOpcodes.Resume: {
      // Events missed while disconnected are not replayed: tests dispatch only to live clients.
      const resume = packet.d as { token?: string; session_id?: string; seq?: number };
      const token = String(resume.token ?? '').replace(/^Bot /, '');
      const shard = resume.session_id ? host.gatewaySessionShards.get(resume.session_id) : undefined;
      if (token !== host.token || !resume.session_id || !shard) {
        session.socket.send(
          JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null }),
        );
        return;
      }
      // A resumed session keeps the shard it identified as.
      session.identified = true;
      session.shard = shard;
      session.sessionId = resume.session_id;
      session.sequence = resume.seq ?? 0;
      sendDispatch(session, GatewayDispatchEvents.Resumed, {});
      return;
    }
    default:
      // Presence updates, member requests and voice state updates are accepted and ignored.
      return;
  }
}

function rawText(raw: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw as ArrayBuffer).toString('utf8');
}
