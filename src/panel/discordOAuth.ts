import { z } from 'zod';
import type { PanelConfig } from '../config.js';

/** A guild as Discord's `GET /users/@me/guilds` gives it: `permissions` is a decimal bitfield. */
const userGuild = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.boolean().optional(),
  permissions: z.string().optional(),
});
export type UserGuild = z.output<typeof userGuild>;

const tokenAnswer = z.object({ access_token: z.string(), token_type: z.string(), expires_in: z.number() });
const userAnswer = z.object({ id: z.string(), username: z.string(), global_name: z.string().nullish() });

/** Discord refused or failed a sign-in request; the status says which (401: the token is dead). */
export class DiscordOAuthError extends Error {
  override readonly name = 'DiscordOAuthError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Discord's OAuth2 and user endpoints as the panel uses them: the authorize URL, the code exchange,
 * a user's profile and guilds (their Bearer token), and the bot's own guilds (its Bot token).
 */
export class DiscordOAuth {
  constructor(
    private readonly panel: PanelConfig,
    private readonly apiBase: string,
    private readonly botToken: string,
  ) {}

  get redirectUri(): string {
    return `${this.panel.url}/auth/callback`;
  }

  authorizeUrl(state: string): string {
    const url = new URL(this.panel.authorizeUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.panel.clientId,
      scope: 'identify guilds',
      state,
      redirect_uri: this.redirectUri,
      prompt: 'none',
    }).toString();
    return url.toString();
  }

  /** Exchanges an authorization code for the user's access token. */
  async exchange(code: string): Promise<{ accessToken: string; expiresAt: number }> {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.redirectUri,
      client_id: this.panel.clientId,
      client_secret: this.panel.clientSecret,
    });
    const answer = tokenAnswer.parse(
      await this.call('/oauth2/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
    );
    return { accessToken: answer.access_token, expiresAt: Date.now() + answer.expires_in * 1000 };
  }

  async user(accessToken: string): Promise<{ id: string; username: string }> {
    const user = userAnswer.parse(await this.call('/users/@me', bearer(accessToken)));
    return { id: user.id, username: user.global_name ?? user.username };
  }

  async userGuilds(accessToken: string): Promise<UserGuild[]> {
    return userGuild.array().parse(await this.call('/users/@me/guilds', bearer(accessToken)));
  }

  /** The guilds the bot is in, asked with its token: right whichever shards this process runs. */
  async botGuilds(): Promise<UserGuild[]> {
    const guilds: UserGuild[] = [];
    // Discord pages by 200, in id order; `after` continues.
    for (let after = '0'; ;) {
      const page = userGuild.array().parse(
        await this.call(`/users/@me/guilds?limit=200&after=${after}`, {
          headers: { authorization: `Bot ${this.botToken}` },
        }),
      );
      guilds.push(...page);
      if (page.length < 200) return guilds;
      after = page.at(-1)!.id;
    }
  }

  private async call(path: string, init: RequestInit): Promise<unknown> {
    const response = await fetch(`${this.apiBase}/v10${path}`, {
      ...init,
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      // The body may echo what we sent (a code): only the status and route reach the message.
      await response.body?.cancel();
      throw new DiscordOAuthError(
        response.status,
        `Discord answered ${response.status} to ${path.split('?')[0]}`,
      );
    }
    return response.json();
  }
}

const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });
