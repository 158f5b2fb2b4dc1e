/** The JSON gateway: HELLO, IDENTIFY (READY + GUILD_CREATE), RESUME, heartbeats. */
import type { LoopbackDiscord } from '../discord.js';
import { GatewayDispatchEvents, GatewayOpcodes } from 'discord.js';
import type { WebSocket } from 'ws';
import { apiGuildCreate, apiUser } from './payloads.js';
import { snowflake } from './state.js';

/** One client connection. */
export interface GatewaySession {
  readonly socket: WebSocket;
  sequence: number;
  identified: boolean;
  sessionId?: string;
}

export function handleGateway(host: LoopbackDiscord, socket: WebSocket): void {
  const session: GatewaySession = { socket, sequence: 0, identified: false };
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
      const token = String((packet.d as { token?: string }).token ?? '').replace(/^Bot /, '');
      if (token !== host.token) {
        session.socket.close(4004, 'Authentication failed.');
        return;
      }
      session.identified = true;
      const sessionId = `session-${snowflake()}`;
      session.sessionId = sessionId;
      host.gatewaySessionIds.add(sessionId);
      session.sequence += 1;
      session.socket.send(
        JSON.stringify({
          op: GatewayOpcodes.Dispatch,
          t: GatewayDispatchEvents.Ready,
          s: session.sequence,
          d: {
            v: 10,
            user: { ...apiUser(host.bot), verified: true, mfa_enabled: false, flags: 0 },
            guilds: host.guilds.map((g) => ({ id: g.id, unavailable: true })),
            session_id: sessionId,
            resume_gateway_url: host.gatewayUrl,
            shard: [0, 1],
            application: { id: host.applicationId, flags: 0 },
          },
        }),
      );
      for (const guild of host.guilds) {
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
      if (token !== host.token || !resume.session_id || !host.gatewaySessionIds.has(resume.session_id)) {
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

function rawText(raw: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw as ArrayBuffer).toString('utf8');
}
