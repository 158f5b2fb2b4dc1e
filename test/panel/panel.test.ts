import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackDiscord, snowflake } from '../../loopback/discord.js';
import { BotHarness } from '../support/botHarness.js';
import { axeViolations, freePort, launchBrowser } from './browser.js';

const SHOTS = path.resolve(import.meta.dirname, '../../docs/panel');
const moderator = { id: snowflake(), username: 'moderator' };
const modRole = snowflake();

/**
 * The panel as it ships: createApp with PANEL_* pointing at the loopback Discord, the real
 * discord.js client, a real headless Chromium driving the pages.
 */
describe('web panel', () => {
  let server: LoopbackDiscord;
  let bot: BotHarness;
  let browser: Browser;
  let base: string;
  let managed: string;
  let other: string;

  beforeAll(async () => {
    server = await LoopbackDiscord.start({
      guilds: [
        {
          name: 'Managed <b>&amp;</b> Co',
          roles: [{ id: modRole, name: 'Mods', permissions: PermissionFlagsBits.ManageGuild }],
          members: [{ user: moderator, roles: [modRole] }],
        },
        { name: 'Not managed', members: [{ user: moderator }] },
      ],
    });
    managed = server.guilds[0]!.id;
    other = server.guilds[1]!.id;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    [bot, browser] = await Promise.all([
      BotHarness.start({ loopback: server, env: server.panelEnv(base, port) }),
      launchBrowser(),
    ]);
    await mkdir(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bot?.close();
    await server?.close();
  });

  /** A fresh browser profile (its own cookies), 1000×700 as the README's screenshots. */
  async function newPage(locale = 'en-US'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale });
    return { context, page: await context.newPage() };
  }

  async function signIn(page: Page, user = moderator): Promise<void> {
    server.oauth.signIn(user);
    await page.goto(`${base}/login`);
    expect(new URL(page.url()).pathname).toBe('/');
  }

  const api = (page: Page, url: string, init?: { method?: string; body?: unknown; csrf?: string }) =>
    page.evaluate(
      async ({ url, init }) => {
        const headers: Record<string, string> = {};
        if (init?.body !== undefined) headers['content-type'] = 'application/json';
        if (init?.csrf) headers['x-csrf-token'] = init.csrf;
        const r = await fetch(url, {
          method: init?.method ?? 'GET',
          headers,
          body: init?.body === undefined ? undefined : JSON.stringify(init.body),
        });
        return {
          status: r.status,
          body: (await r.json().catch(() => null)) as Record<string, unknown> | null,
        };
      },
      { url, init },
    );

  async function expectAccessible(page: Page, shot?: string): Promise<void> {
    expect(await axeViolations(page)).toEqual([]);
    if (shot) await page.screenshot({ path: path.join(SHOTS, `${shot}.png`) });
  }

  it('signs in with Discord and out again, listing only the servers the user manages', async () => {
    const { context, page } = await newPage();
    await page.goto(base);
    await expectAccessible(page, 'sign-in');
    expect(await page.getByRole('link', { name: 'Sign in with Discord' }).count()).toBe(1);
    await signIn(page);
    const authorize = server.oauth.authorizations.at(-1)!;
    expect(authorize.get('scope')).toBe('identify guilds');
    expect(authorize.get('redirect_uri')).toBe(`${base}/auth/callback`);
    expect(authorize.get('state')).toMatch(/^[\w-]{32}$/);
    await expectAccessible(page, 'servers');
    const servers = await page.locator('ul.servers li').allTextContents();
    expect(servers).toEqual(['Managed <b>&amp;</b> Co']);
    const cookie = (await context.cookies()).find((c) => c.name === 'mnb_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });

    const me = await api(page, '/api/me');
    expect(me.body).toMatchObject({
      user: { id: moderator.id, username: 'moderator' },
      guilds: [
        { id: managed, canManage: true },
        { id: other, canManage: false },
      ],
    });
    expect((await api(page, `/api/guilds/${other}/subscriptions`)).status).toBe(403);
    expect((await api(page, `/api/guilds/${managed}/subscriptions`)).body).toEqual({ subscriptions: [] });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.getByRole('link', { name: 'Sign in with Discord' }).count()).toBe(1);
    expect((await api(page, '/api/me')).status).toBe(401);
    await context.close();
  });

  it('refuses a forged state (no session), a missing CSRF token, and strangers', async () => {
    const { context, page } = await newPage();
    server.oauth.signIn(moderator);
    const forged = await page.goto(`${base}/auth/callback?state=forged&code=whatever`);
    expect(forged?.status()).toBe(403);
    await expectAccessible(page);
    expect((await api(page, '/api/me')).status).toBe(401);
    expect((await api(page, `/api/guilds/${managed}/subscriptions`)).body).toMatchObject({
      error: 'unauthorized',
    });

    await signIn(page);
    const body = { channelId: server.channel('general').id, schedule: '0 8 * * *' };
    const noToken = await api(page, `/api/guilds/${managed}/subscriptions`, { method: 'POST', body });
    expect(noToken).toMatchObject({ status: 403, body: { error: 'csrf' } });
    const { csrfToken } = (await api(page, '/api/me')).body as { csrfToken: string };
    const bad = await api(page, `/api/guilds/${managed}/subscriptions`, {
      method: 'POST',
      body: { ...body, schedule: 'every day' },
      csrf: csrfToken,
    });
    expect(bad).toMatchObject({ status: 400, body: { field: 'schedule' } });
    const noChannel = await api(page, `/api/guilds/${managed}/subscriptions`, {
      method: 'POST',
      body: { schedule: '0 8 * * *' },
      csrf: csrfToken,
    });
    expect(noChannel.body).toMatchObject({ error: 'bad-request', field: 'channelId' });
    expect((await api(page, `/api/guilds/${managed}/subscriptions`)).body).toEqual({ subscriptions: [] });
    await context.close();
  });

  it('creates a digest through the form, seen in /digest list; previews, sends, and logs the delivery', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    await page.goto(`${base}/guilds/${managed}`);
    await page.getByLabel('Channel').selectOption({ label: '#general' });
    await page.getByLabel('Schedule').fill('30 7 * * 1-5');
    await page.getByLabel('Time zone').fill('Europe/Paris');
    await page.getByLabel(/Backfill/).fill('3');
    await page.getByRole('button', { name: 'Create digest' }).click();
    await page.getByText('Digest #1 created.').waitFor();
    await expectAccessible(page, 'digests');
    expect(await page.locator('.card').first().textContent()).toContain(
      'Every Monday, Tuesday, Wednesday, Thursday, and Friday at 07:30',
    );

    const list = await server.sendSlashCommand(
      'digest list',
      {},
      {
        user: moderator,
        guildId: managed,
        permissions: PermissionFlagsBits.ManageGuild,
      },
    );
    const field = list.reply?.embeds?.[0]?.fields?.[0];
    expect(field?.name).toBe('#1');
    expect(field?.value).toContain(`<#${server.channel('general').id}>`);

    await page.getByRole('link', { name: 'Edit and preview #1' }).click();
    const items = await page.locator('#preview-items li').count();
    expect(items).toBe(3);
    await expectAccessible(page, 'preview');

    await page.goto(`${base}/guilds/${managed}`);
    await page.getByRole('button', { name: 'Send now #1' }).click();
    await page.getByText('Digest #1 posted: 3 items.').waitFor();
    const posted = server.channelMessages(server.channel('general').id);
    expect(posted.length).toBeGreaterThan(0);

    await page.goto(`${base}/guilds/${managed}/deliveries`);
    await expectAccessible(page, 'deliveries');
    const log = (await api(page, `/api/guilds/${managed}/deliveries?page=1`)).body as {
      deliveries: { status: string; documentIds: string[]; messageIds: string[] }[];
      pages: number;
    };
    expect(log.pages).toBe(1);
    expect(log.deliveries).toHaveLength(1);
    expect(log.deliveries[0]).toMatchObject({ status: 'delivered' });
    expect(log.deliveries[0]!.documentIds).toHaveLength(3);
    expect(log.deliveries[0]!.messageIds).toEqual(posted.map((m) => m.id));
    expect(await page.locator('tbody tr').count()).toBe(1);

    await page.goto(`${base}/guilds/${managed}/sources`);
    await expectAccessible(page, 'sources');
    await context.close();
  }, 60_000);

  it('has an axe check that finds violations where there are some', async () => {
    const { context, page } = await newPage();
    await page.setContent('<html><body><input><img src="x.png"></body></html>');
    expect((await axeViolations(page)).map((v) => v.split(':')[0])).toEqual(
      expect.arrayContaining(['html-has-lang', 'image-alt', 'label']),
    );
    await context.close();
  });

  it('speaks the browser’s language, right to left in Arabic', async () => {
    const { context, page } = await newPage('ar');
    await signIn(page);
    await page.goto(`${base}/guilds/${managed}`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.locator('h1').textContent()).toBe('الملخصات');
    await expectAccessible(page);
    await context.close();
  });
});
