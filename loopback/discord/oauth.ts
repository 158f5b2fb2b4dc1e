/**
 * Discord's OAuth2 authorization code flow, as a web panel uses it: the authorize page (which
 * approves at once for the user a test signed in with {@link LoopbackOAuth.signIn}), the token
 * exchange, and the user's own `/users/@me` and `/users/@me/guilds` with a Bearer token.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIUser } from 'discord.js';
import type { LoopbackDiscord } from '../discord.js';
import { HttpError, discordError, notFound } from './http.js';
import type { RecordedRequest } from './http.js';
import { apiUser } from './payloads.js';
import type { LoopbackGuild, LoopbackUser } from './state.js';
import { basePermissions } from './state.js';

/** What Discord's `GET /users/@me/guilds` gives for each guild (a partial guild). */
export interface ApiUserGuild {
  readonly id: string;
  readonly name: string;
  readonly icon: null;
  readonly owner: boolean;
  /** The member's base permissions, a bitfield as a decimal string (as Discord sends it). */
  readonly permissions: string;
  readonly features: string[];
}

interface Grant {
  readonly user: LoopbackUser;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
}

/** The OAuth2 side of the loopback server: who is signed in at "Discord", codes and tokens issued. */
export class LoopbackOAuth {
  /** The application's client secret (DISCORD_CLIENT_SECRET of the bot under test). */
  readonly clientSecret: string;
  /** The user the authorize page approves for; undefined: it answers 401 (nobody signed in). */
  private user: LoopbackUser | undefined;
  private readonly codes = new Map<string, Grant>();
  private readonly tokens = new Map<string, Grant>();
  /** Authorization requests as received (their query), for tests of what the panel asked. */
  readonly authorizations: URLSearchParams[] = [];

  constructor(clientSecret: string) {
    this.clientSecret = clientSecret;
  }

  /** The user the next authorizations approve for (a person signed in to Discord in that browser). */
  signIn(user: LoopbackUser | undefined): void {
    this.user = user;
  }

  /** Forgets every access token issued (as if each user revoked the app). */
  revokeAll(): void {
    this.tokens.clear();
  }

  /** `GET /oauth2/authorize`: approves at once, redirecting back with `code` and the `state` given. */
  authorize(host: LoopbackDiscord, url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    this.authorizations.push(q);
    const problem = this.authorizeProblem(host, q);
    if (problem) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(problem);
      return;
    }
    if (!this.user) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('loopback: nobody signed in');
      return;
    }
    const code = randomBytes(12).toString('hex');
    const redirectUri = q.get('redirect_uri')!;
    this.codes.set(code, { user: this.user, redirectUri, scopes: q.get('scope')!.split(' ') });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    if (q.has('state')) back.searchParams.set('state', q.get('state')!);
    res.writeHead(302, { location: back.toString() }).end();
  }

  private authorizeProblem(host: LoopbackDiscord, q: URLSearchParams): string | undefined {
    if (q.get('client_id') !== host.applicationId) return 'Invalid client_id';
    if (q.get('response_type') !== 'code') return 'Unsupported response_type';
    if (!q.get('redirect_uri')) return 'Missing redirect_uri';
    if (!q.get('scope')?.split(' ').includes('identify')) return 'Missing scope identify';
    return undefined;
  }

  /** `POST /oauth2/token` (form-encoded): exchanges a code once, for the redirect it was issued to. */
  token(host: LoopbackDiscord, record: RecordedRequest): unknown {
    const form = new URLSearchParams(typeof record.body === 'string' ? record.body : '');
    const basic = basicCredentials(record.headers.authorization);
    const clientId = basic?.id ?? form.get('client_id');
    const secret = basic?.secret ?? form.get('client_secret');
    if (clientId !== host.applicationId || secret !== this.clientSecret)
      throw new HttpError(401, { error: 'invalid_client' });
    if (form.get('grant_type') !== 'authorization_code')
      throw new HttpError(400, { error: 'unsupported_grant_type' });
    const code = form.get('code') ?? '';
    const grant = this.codes.get(code);
    if (!grant || grant.redirectUri !== form.get('redirect_uri'))
      throw new HttpError(400, { error: 'invalid_grant', error_description: 'Invalid "code" in request.' });
    this.codes.delete(code);
    const accessToken = randomBytes(16).toString('hex');
    this.tokens.set(accessToken, grant);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 604_800,
      refresh_token: randomBytes(16).toString('hex'),
      scope: grant.scopes.join(' '),
    };
  }

  /** `GET /users/@me` and `/users/@me/guilds` with `Authorization: Bearer <token>`. */
  bearerRoute(host: LoopbackDiscord, method: string, path: string, authorization: string): unknown {
    const grant = this.tokens.get(authorization.slice('Bearer '.length));
    if (!grant) throw discordError(401, 0, '401: Unauthorized');
    if (method === 'GET' && path === '/users/@me') return apiUser(grant.user) satisfies APIUser;
    if (method === 'GET' && path === '/users/@me/guilds') {
      if (!grant.scopes.includes('guilds')) throw discordError(403, 50001, 'Missing Access');
      return userGuilds(host.guilds, grant.user);
    }
    throw notFound();
  }
}

/** The guilds `user` is a member of, with `owner` and `permissions` as Discord reports them. */
export function userGuilds(guilds: readonly LoopbackGuild[], user: LoopbackUser): ApiUserGuild[] {
  return guilds.flatMap((guild) => {
    const member = guild.members.find((m) => m.user.id === user.id);
    if (!member) return [];
    return [
      {
        id: guild.id,
        name: guild.name,
        icon: null,
        owner: guild.ownerId === user.id,
        permissions: basePermissions(guild, member).toString(),
        features: [],
      },
    ];
  });
}

function basicCredentials(header: string | string[] | undefined): { id: string; secret: string } | undefined {
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return undefined;
  const [id, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return id !== undefined && secret !== undefined ? { id, secret } : undefined;
}

/** Whether a request is the browser's visit to the authorize page (outside /api). */
export function isAuthorizePage(req: IncomingMessage, url: URL): boolean {
  return req.method === 'GET' && url.pathname === '/oauth2/authorize';
}
