import { mkdtempSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackDiscord, snowflake } from '../../loopback/discord.js';
import { dropArticle } from '../digests/articles.js';
import { BotHarness } from '../support/botHarness.js';
import { axeViolations, freePort, launchBrowser } from './browser.js';

// The README's screenshots are taken by these tests; they land in docs/panel only when asked
// (`PANEL_SCREENSHOTS=1 npx vitest run test/panel`), so a test run leaves the checkout as it was.
const SHOTS =
  process.env.PANEL_SCREENSHOTS === '1'
    ? path.resolve(import.meta.dirname, '../../docs/panel')
    : mkdtempSync(path.join(tmpdir(), 'mnb-panel-shots-'));
const moderator = { id: snowflake(), username: 'moderator' };
const modRole = snowflake();
/** The topic of the digest the "why" test explains. */
const TOPIC = 'flood';

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
    // The form offers the languages the library holds, named in the page's language.
    expect(bot.app.library.languages).toContain('en');
    await page.getByLabel('Language').selectOption({ label: 'English (en)' });
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
    expect(field?.value).toContain('Language: English (en)');
    expect(await page.locator('.card').first().textContent()).toContain('English (en)');

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

  it('explains why an item was posted and another was not, on its page and in the API', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    const { csrfToken: csrf } = (await api(page, '/api/me')).body as { csrfToken: string };
    const created = await api(page, `/api/guilds/${managed}/subscriptions`, {
      method: 'POST',
      body: { channelId: server.channel('general').id, schedule: '0 9 * * *', query: TOPIC },
      csrf,
    });
    expect(created.body).toMatchObject({ query: TOPIC, language: null });
    // Two articles come in after it: one on its topic, one not.
    const raw = path.join(bot.dataDir, 'raw');
    const onTopic = dropArticle(raw, 1, 'Kenya', `${TOPIC} response`);
    const unmatched = dropArticle(raw, 2, 'Peru', 'road safety');
    await bot.digests!.ingester.sync();
    const subId = created.body!.id as number;
    const sent = await api(page, `/api/guilds/${managed}/subscriptions/${subId}/send`, {
      method: 'POST',
      csrf,
    });
    expect(sent.body).toMatchObject({ outcome: { kind: 'delivered' } });
    const log = (await api(page, `/api/guilds/${managed}/deliveries`)).body as {
      deliveries: { id: number; subscriptionId: number; documentIds: string[] }[];
    };
    const delivery = log.deliveries.find((d) => d.subscriptionId === subId)!;
    expect(delivery.documentIds).toEqual([onTopic]);
    const delivered = onTopic;

    // The API: one result per digest of the server, or the one asked.
    const whyUrl = `/api/guilds/${managed}/why`;
    const both = await api(page, `${whyUrl}?document=${delivered}&subscription=${subId}`);
    expect(both).toMatchObject({
      status: 200,
      body: {
        documentId: delivered,
        results: [{ subscriptionId: subId, outcome: 'delivered', deliveryId: delivery.id }],
      },
    });
    const filtered = (await api(page, `${whyUrl}?document=${unmatched}`)).body as {
      results: { subscriptionId: number; outcome: string; reason: string }[];
    };
    expect(filtered.results.find((r) => r.subscriptionId === subId)).toMatchObject({
      outcome: 'filtered',
      reason: `Not posted: it does not match the topic "${TOPIC}" (no match for "${TOPIC}").`,
    });
    expect(await api(page, whyUrl)).toMatchObject({ status: 400, body: { field: 'document' } });
    expect(await api(page, `${whyUrl}?document=${'x'.repeat(201)}`)).toMatchObject({
      status: 400,
      body: { field: 'document' },
    });
    expect(await api(page, `${whyUrl}?document=${delivered}&subscription=one`)).toMatchObject({
      status: 400,
      body: { error: 'bad-request', field: 'subscription' },
    });
    expect(await api(page, `${whyUrl}?document=no-such-document`)).toMatchObject({
      status: 404,
      body: { error: 'unknown-document' },
    });
    expect(await api(page, `${whyUrl}?document=${delivered}&subscription=9999`)).toMatchObject({
      status: 404,
      body: { error: 'unknown-subscription' },
    });
    expect((await api(page, `/api/guilds/${other}/why?document=${delivered}`)).status).toBe(403);

    // The page, reached from the delivery log's "Why?" link, linking back to the delivery.
    await page.goto(`${base}/guilds/${managed}/deliveries`);
    const logRow = page.locator(`#delivery-${delivery.id}`);
    await logRow.locator('summary').click();
    await logRow.getByRole('link', { name: `Why? ${delivered}` }).click();
    await page.waitForURL(/\/why\?document=/);
    const row = page.locator(`tr[data-outcome="delivered"]`, { hasText: `#${subId} ·` });
    expect(await row.textContent()).toContain(`Posted in digest #${delivery.id} to #general at`);
    await expectAccessible(page, 'why');
    await row.getByRole('link', { name: `See digest #${delivery.id} in the delivery log` }).click();
    await page.waitForURL(new RegExp(`/deliveries\\?page=1#delivery-${delivery.id}$`));
    expect(await page.locator(`#delivery-${delivery.id}`).count()).toBe(1);

    // Without script, the form asks for another document; in French the answer is in French.
    await page.goto(`${base}/guilds/${managed}/why`);
    await page.getByLabel('Document id').fill(unmatched);
    await page.getByRole('button', { name: 'Explain' }).click();
    const filteredRow = page.locator('tr', { hasText: `#${subId} ·` });
    expect(await filteredRow.getAttribute('data-outcome')).toBe('filtered');
    expect(await filteredRow.textContent()).toContain(`does not match the topic “${TOPIC}”`);
    await page.getByLabel('Document id').fill('no-such-document');
    await page.getByRole('button', { name: 'Explain' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('No document with id');
    await expectAccessible(page);
    // The digest's language through the API: checked as /digest subscribe checks it, kept by an
    // edit that leaves it out, cleared with null.
    const patch = (body: unknown) =>
      api(page, `/api/guilds/${managed}/subscriptions/${subId}`, { method: 'PATCH', body, csrf });
    expect(await patch({ language: 'not a language!' })).toMatchObject({
      status: 400,
      body: { error: 'bad-language', field: 'language' },
    });
    expect((await patch({ language: 'FR-ca' })).body).toMatchObject({ language: 'fr-CA' });
    expect((await patch({ query: 'drought' })).body).toMatchObject({ query: 'drought', language: 'fr-CA' });
    expect((await patch({ language: null, query: TOPIC })).body).toMatchObject({ language: null });

    await context.close();

    const french = await newPage('fr-FR');
    await signIn(french.page);
    await french.page.goto(`${base}/guilds/${managed}/why?document=${unmatched}`);
    expect(await french.page.locator('tr', { hasText: `#${subId} ·` }).textContent()).toContain(
      `ne correspond pas au sujet « ${TOPIC} »`,
    );
    await french.context.close();
  }, 60_000);

  it('runs the live preview under the CSP, and reports what the CSP refuses', async () => {
    const { context, page } = await newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    await page.exposeFunction('reportViolation', (directive: string) => refused.push(directive));
    await page.addInitScript(() => {
      const page = globalThis as unknown as {
        document: { addEventListener(type: string, f: (e: { violatedDirective: string }) => void): void };
        reportViolation(d: string): void;
      };
      page.document.addEventListener('securitypolicyviolation', (e) =>
        page.reportViolation(e.violatedDirective),
      );
    });
    await signIn(page);
    await page.goto(`${base}/guilds/${managed}/digests/1`);
    // Digest #1 has the why test's two articles still to post.
    expect(await page.locator('#preview-items li').count()).toBeGreaterThan(0);
    const swapped = page.waitForResponse((r) => r.url().includes('/digests/1/preview?query='));
    await page.getByLabel('Preview with another topic').fill('zzzznothing');
    expect((await swapped).status()).toBe(200);
    await page.getByText('Nothing new: the next digest would be empty.').waitFor();
    expect(await page.locator('#preview-items li').count()).toBe(0);
    expect(refused).toEqual([]);
    // The listener hears what the CSP refuses: an inline script is one.
    await page.evaluate(() => {
      const doc = (
        globalThis as unknown as {
          document: { createElement(t: string): { textContent: string }; body: { append(n: unknown): void } };
        }
      ).document;
      const script = doc.createElement('script');
      script.textContent = 'void 0';
      doc.body.append(script);
    });
    await expect.poll(() => refused.length).toBeGreaterThan(0);
    await context.close();
  });

  it('sends the security headers, and answers 429 after 20 sign-ins a minute from one address', async () => {
    const response = await fetch(`${base}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1];
    expect(scriptSrc).toBe("'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/(?:^|;)\s*frame-ancestors 'none'/);
    expect(csp).toMatch(/(?:^|;)\s*default-src 'none'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    await response.arrayBuffer();

    // From 127.0.0.2, so the browser's sign-ins (from 127.0.0.1) neither count nor get refused.
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push(await loginFrom('127.0.0.2'));
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(302));
    expect(statuses[20]).toBe(429);
    expect(await loginFrom('127.0.0.3')).toBe(302);
  });

  /** GET /login from a given loopback address (the limit's key), its status only. */
  function loginFrom(localAddress: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = http.get(`${base}/login`, { localAddress }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
    });
  }

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
