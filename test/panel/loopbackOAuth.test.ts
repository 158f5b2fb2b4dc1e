import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackDiscord, snowflake } from '../../loopback/discord.js';

/** A moderator of the first guild (Manage Server through a role) and a plain member of the second. */
const moderator = { id: snowflake(), username: 'moderator' };
const modRole = snowflake();

describe('LoopbackDiscord OAuth2', () => {
  let server: LoopbackDiscord;
  const redirectUri = 'http://127.0.0.1:1/auth/callback';

  beforeAll(async () => {
    server = await LoopbackDiscord.start({
      guilds: [
        {
          name: 'Managed',
          roles: [{ id: modRole, name: 'Mods', permissions: PermissionFlagsBits.ManageGuild }],
          members: [{ user: moderator, roles: [modRole] }],
        },
        { name: 'Member only', members: [{ user: moderator }] },
      ],
    });
  });
  afterAll(() => server.close());

  const authorize = (query: Record<string, string>) =>
    fetch(`${server.authorizeUrl}?${new URLSearchParams(query).toString()}`, { redirect: 'manual' });
  const request = {
    client_id: '',
    response_type: 'code',
    scope: 'identify guilds',
    state: 'st8',
    redirect_uri: redirectUri,
  };
  const exchange = (form: Record<string, string>) =>
    fetch(`${server.apiBase}/v10/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });

  async function signInAs(user: typeof moderator): Promise<string> {
    server.oauth.signIn(user);
    const back = new URL(
      (await authorize({ ...request, client_id: server.applicationId })).headers.get('location')!,
    );
    const token = await exchange({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code')!,
      redirect_uri: redirectUri,
      client_id: server.applicationId,
      client_secret: server.oauth.clientSecret,
    });
    return ((await token.json()) as { access_token: string }).access_token;
  }

  it('answers 401 on the authorize page while nobody is signed in, 400 for another client', async () => {
    server.oauth.signIn(undefined);
    expect((await authorize({ ...request, client_id: server.applicationId })).status).toBe(401);
    server.oauth.signIn(moderator);
    expect((await authorize({ ...request, client_id: '1' })).status).toBe(400);
  });

  it('redirects back with a code and the state, and exchanges the code once, for its redirect only', async () => {
    server.oauth.signIn(moderator);
    const answer = await authorize({ ...request, client_id: server.applicationId });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st8');
    const code = back.searchParams.get('code')!;
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: server.applicationId,
      client_secret: server.oauth.clientSecret,
    };
    expect((await exchange({ ...form, client_secret: 'wrong' })).status).toBe(401);
    expect((await exchange({ ...form, redirect_uri: 'http://127.0.0.1:2/x' })).status).toBe(400);
    const ok = await exchange(form);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ token_type: 'Bearer', scope: 'identify guilds' });
    expect((await exchange(form)).status).toBe(400);
  });

  it("serves the user's own profile and guilds with owner and permissions as Discord sends them", async () => {
    const token = await signInAs(moderator);
    const get = (path: string) =>
      fetch(`${server.apiBase}/v10${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await (await get('/users/@me')).json()).toMatchObject({ id: moderator.id, username: 'moderator' });
    const guilds = (await (await get('/users/@me/guilds')).json()) as {
      name: string;
      owner: boolean;
      permissions: string;
    }[];
    expect(guilds.map((g) => g.name)).toEqual(['Managed', 'Member only']);
    expect(BigInt(guilds[0]!.permissions) & PermissionFlagsBits.ManageGuild).toBe(
      PermissionFlagsBits.ManageGuild,
    );
    expect(BigInt(guilds[1]!.permissions) & PermissionFlagsBits.ManageGuild).toBe(0n);
    expect(guilds.every((g) => !g.owner)).toBe(true);
    const ownerToken = await signInAs(server.owner);
    const owned = await fetch(`${server.apiBase}/v10/users/@me/guilds`, {
      headers: { authorization: `Bearer ${ownerToken}` },
    });
    expect(((await owned.json()) as { owner: boolean }[]).map((g) => g.owner)).toEqual([true, true]);
    server.oauth.revokeAll();
    expect((await get('/users/@me')).status).toBe(401);
  });

  it("lists the bot's own guilds to the bot token", async () => {
    const answer = await fetch(`${server.apiBase}/v10/users/@me/guilds`, {
      headers: { authorization: `Bot ${server.token}` },
    });
    expect(((await answer.json()) as { id: string }[]).map((g) => g.id)).toEqual(
      server.guilds.map((g) => g.id),
    );
  });
});
