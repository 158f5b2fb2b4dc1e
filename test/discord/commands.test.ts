import { ComponentType, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { BotHarness, buttonLabelled, componentsOf } from '../support/botHarness.js';

const LILJERT_PAGE = '000_1e0d9a2d3cac57c3';
const AGREEMENT_PAGE = '002_6920415c55e1d6e5';

describe('the bot on the shipped pages (real discord.js client, loopback Discord)', () => {
  let bot: BotHarness;

  beforeAll(async () => {
    bot = await BotHarness.start();
  });

  afterAll(async () => {
    await bot.close();
  });

  describe('deploy-commands', () => {
    it('registers every command in the guild with one bulk overwrite', () => {
      const puts = bot.server.requestsTo('PUT', `/applications/${bot.server.applicationId}/guilds/`);
      expect(puts).toHaveLength(1);
      expect(bot.server.commands(bot.server.guild.id).map((c) => c.name)).toEqual(
        commands.map((c) => c.data.name),
      );
      expect(bot.server.globalCommands).toEqual([]);
    });

    it('never registers commands again when the bot logs in', async () => {
      await bot.restart();
      expect(bot.server.requests.filter((r) => r.path.includes('/commands'))).toHaveLength(1);
    });
  });

  describe('/about', () => {
    it('shows what the bot holds, its version and uptime, publicly', async () => {
      const session = await bot.server.sendSlashCommand('about');
      const embed = session.reply?.embeds[0];
      expect(embed?.title).toBe('Migration News Bot');
      const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
      expect(fields).toMatchObject({ Documents: '5', Articles: '4', Projects: '1', Version: '0.0.0-test' });
      expect(Number(fields.Contacts)).toBeGreaterThanOrEqual(4);
      expect(fields.Uptime).toMatch(/\d+ (s|min|h|d)/);
      expect(session.isEphemeral).toBe(false);
    });
  });

  describe('/search', () => {
    it('lists ranked results with country and bold matched words, and a menu to open them', async () => {
      const session = await bot.server.sendSlashCommand('search', {
        query: 'beijing liaison office agreement',
      });
      const embed = session.reply?.embeds[0];
      expect(session.isEphemeral).toBe(true);
      expect(embed?.title).toBe('Results for “beijing liaison office agreement”');
      expect(embed?.fields?.[0]?.name).toBe('1. Agreement with China Paves Way for IOM Presence in Beijing');
      expect(embed?.fields?.[0]?.value).toContain('**Beijing**');
      expect(embed?.footer?.text).toMatch(/^Page 1 of 1 · \d+ results?/);
      const menu = componentsOf(session.reply).find((c) => c.type === ComponentType.StringSelect);
      expect(menu?.options?.[0]).toMatchObject({ value: AGREEMENT_PAGE });
      // One page: no Previous/Next.
      expect(componentsOf(session.reply).filter((c) => c.type === ComponentType.Button)).toEqual([]);
    });

    it('opens a result from the menu as an ephemeral article', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'liaison office' });
      const menu = componentsOf(session.reply).find((c) => c.type === ComponentType.StringSelect)!;
      const opened = await bot.server.selectMenu(menu.custom_id, [AGREEMENT_PAGE], session.reply!);
      expect(opened.isEphemeral).toBe(true);
      expect(opened.reply?.embeds[0]?.title).toBe(
        'Agreement with China Paves Way for IOM Presence in Beijing',
      );
    });

    it('finds both Liljert pages despite a typo', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'Lijert' });
      const titles = session.reply?.embeds[0]?.fields?.map((f) => f.name) ?? [];
      expect(titles).toHaveLength(2);
      expect(titles.join('\n')).toContain('Director General Discusses Migration Governance in China');
      expect(titles.join('\n')).toContain('International Seminar on Immigration Management in China');
    });

    it('filters by kind', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'china', kind: 'project' });
      expect(session.reply?.embeds[0]?.fields?.map((f) => f.name)).toEqual([
        '1. Supporting China’s Engagement in the Global Migration Debate',
      ]);
    });

    it('filters by dateline country', async () => {
      const session = await bot.server.sendSlashCommand('search', {
        query: 'migration',
        country: 'China',
        kind: 'article',
      });
      const embed = session.reply?.embeds[0];
      expect(embed?.title).toBe('Results for “migration” (articles, in China)');
      expect(embed?.fields?.length).toBeGreaterThan(0);
      // The agreement page has no dateline.
      expect(embed?.fields?.map((f) => f.name).join('\n')).not.toContain('Agreement with China');
      expect(embed?.fields?.every((f) => f.value.startsWith('*Article · China*'))).toBe(true);
    });

    it('accepts a typed country instead of the chosen one', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'seminar', country: 'chin' });
      expect(session.reply?.embeds[0]?.title).toBe('Results for “seminar” (in China)');
    });

    it('explains when no document has every word and shows those with some', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'qqqq beijing' });
      expect(session.reply?.content).toBe(
        'No document has all the words; showing documents with some of them.',
      );
      expect(session.reply?.embeds[0]?.fields?.length).toBe(4);
    });

    it('says when nothing matches', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'zzzqqq' });
      expect(session.isEphemeral).toBe(true);
      expect(session.reply?.content).toMatch(/^No results for “zzzqqq”\./);
    });

    it('echoes the query with markdown, mentions and @everyone shown literally', async () => {
      const none = await bot.server.sendSlashCommand('search', { query: '**zzzqqq** @everyone <@123>' });
      expect(none.reply?.content).toMatch(/^No results for “\\\*\\\*zzzqqq\\\*\\\* \\@everyone \\<@123>”\./);
      const some = await bot.server.sendSlashCommand('search', { query: '**beijing** <@123>' });
      expect(some.reply?.embeds[0]?.title).toBe('Results for “\\*\\*beijing\\*\\* \\<@123>”');
    });

    it('offers "did you mean" for words only, keeping mention syntax and numbers as typed', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'chnia <@123>' });
      expect(session.reply?.content).toBe(
        'No results for “chnia \\<@123>”. Did you mean **china \\<@123>**?',
      );
      const buttons = componentsOf(session.reply).filter((c) => c.type === ComponentType.Button);
      expect(buttons.map((b) => b.label)).toEqual(['Search “china <@123>”']);
      const mentionOnly = await bot.server.sendSlashCommand('search', { query: '<@123>' });
      expect(mentionOnly.reply?.content).toBe('No results for “\\<@123>”. Try fewer or different words.');
    });

    it('autocompletes the query with titles and the country with datelines', async () => {
      const titles = await bot.server.sendAutocomplete('search', { query: 'direc' }, 'query');
      expect(titles.map((c) => c.name)).toEqual([
        'Director General Discusses Migration Governance in China',
        'Director General launches EU-China migration and mobility seminar in Beijing',
      ]);
      expect(titles.every((c) => c.value === c.name)).toBe(true);
      const countries = await bot.server.sendAutocomplete(
        'search',
        { query: 'x', country: 'chi' },
        'country',
      );
      expect(countries).toEqual([{ name: 'China', value: 'China' }]);
    });
  });

  describe('/article', () => {
    it('shows the article with its dateline, text, press contact, source and buttons', async () => {
      const session = await bot.server.sendSlashCommand('article', { id: LILJERT_PAGE });
      const embed = session.reply?.embeds[0];
      // Related articles take a pass over the corpus: acknowledged first, then edited in.
      expect(session.isDeferred).toBe(true);
      expect(session.isEphemeral).toBe(false);
      expect(embed?.title).toBe('Director General Discusses Migration Governance in China');
      expect(embed?.author?.name).toBe('Dateline: China');
      expect(embed?.description).toMatch(/^IOM Director General William Lacy Swing/);
      expect(embed?.fields?.[0]).toMatchObject({ name: 'Press contact' });
      expect(embed?.fields?.[0]?.value).toContain('Pär Liljert, IOM Beijing');
      expect(embed?.fields?.[0]?.value).toContain('pliljert@iom.int');
      expect(embed?.footer?.text).toBe(`Source: raw/${LILJERT_PAGE}.txt · id ${LILJERT_PAGE}`);
      expect(buttonLabelled(session.reply, 'Contact: Pär Liljert')).toBe('v1:contact:Pär Liljert');
      expect(
        componentsOf(session.reply).filter((c) => c.custom_id.startsWith('v1:read:')).length,
      ).toBeGreaterThan(0);
    });

    it('accepts the typed title instead of a chosen id', async () => {
      const session = await bot.server.sendSlashCommand('article', { id: 'Agreement with China' });
      expect(session.reply?.embeds[0]?.title).toBe(
        'Agreement with China Paves Way for IOM Presence in Beijing',
      );
    });

    it('opens a related article and a contact card from its buttons, for the clicker only', async () => {
      const article = await bot.server.sendSlashCommand('article', { id: LILJERT_PAGE });
      const related = componentsOf(article.reply).find((c) => c.custom_id.startsWith('v1:read:'))!;
      const opened = await bot.server.clickButton(related.custom_id, article.reply!);
      expect(opened.isEphemeral).toBe(true);
      expect(opened.reply?.embeds[0]?.title).toBe(related.label);
      const card = await bot.server.clickButton('v1:contact:Pär Liljert', article.reply!);
      expect(card.isEphemeral).toBe(true);
      expect(card.reply?.embeds[0]?.title).toBe('Pär Liljert');
    });

    it('autocompletes by title, with document ids as values', async () => {
      const choices = await bot.server.sendAutocomplete('article', { id: 'agree' }, 'id');
      expect(choices).toEqual([
        { name: 'Agreement with China Paves Way for IOM Presence in Beijing', value: AGREEMENT_PAGE },
      ]);
    });
  });

  describe('/contact', () => {
    it('shows the press-contact card with roles and the pages the person appears in', async () => {
      const session = await bot.server.sendSlashCommand('contact', { name: 'liljert' });
      const embed = session.reply?.embeds[0];
      expect(embed?.title).toBe('Pär Liljert');
      const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
      expect(fields).toMatchObject({
        Office: 'IOM Beijing',
        Phone: '+86 10 597 996 95',
        'E-mail': 'pliljert@iom.int',
      });
      expect(fields.Roles).toContain('Head of Office');
      expect(fields['Appears in']).toContain(
        'Director General Discusses Migration Governance in China (press contact)',
      );
      expect(fields['Appears in']).toContain(
        'International Seminar on Immigration Management in China (mentioned)',
      );
      expect(buttonLabelled(session.reply, 'vCard (.vcf)')).toBe('v1:vcard:Pär Liljert');
    });

    it('sends the vCard as an ephemeral .vcf attachment', async () => {
      const card = await bot.server.sendSlashCommand('contact', { name: 'liljert' });
      const vcard = await bot.server.clickButton('v1:vcard:Pär Liljert', card.reply!);
      expect(vcard.isEphemeral).toBe(true);
      const attachment = vcard.reply?.attachments[0];
      expect(attachment?.filename).toBe('par-liljert.vcf');
      const text = bot.server.attachmentData(vcard.reply!.id, 'par-liljert.vcf')!.toString('utf8');
      expect(text).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
      expect(text).toContain('FN:Pär Liljert');
      expect(text).toContain('pliljert@iom.int');
      const body = await (await fetch(attachment!.url)).text();
      expect(body).toBe(text);
    });

    it('echoes an unknown name literally', async () => {
      const session = await bot.server.sendSlashCommand('contact', { name: '**zz** <@123> @here' });
      expect(session.reply?.content).toBe('No press contact matches “\\*\\*zz\\*\\* \\<@123> \\@here”.');
    });

    it('autocompletes names', async () => {
      const choices = await bot.server.sendAutocomplete('contact', { name: 'par' }, 'name');
      expect(choices.map((c) => c.value)).toContain('Pär Liljert');
    });
  });

  describe('/project', () => {
    it('shows the project card by Prima ID, budget in US dollars', async () => {
      const session = await bot.server.sendSlashCommand('project', { query: 'cn10p0002' });
      const embed = session.reply?.embeds[0];
      expect(embed?.title).toBe('Supporting China’s Engagement in the Global Migration Debate');
      const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
      expect(fields).toMatchObject({
        Status: 'Completed',
        Start: '2017',
        End: '2019',
        Budget: '$100,000',
        Type: 'Migration Policy Activities',
        Coverage: 'National',
        Region: 'Asia and Oceania',
        'Prima ID': 'CN10P0002',
        'Projects ID': 'PO.0105',
        'Member states': 'China',
      });
      expect(embed?.description).toMatch(/^The People’s Republic of China became an IOM Member State/);
    });

    it('finds it by Projects ID and by title words, and autocompletes ids', async () => {
      for (const query of ['PO.0105', 'global migration debate']) {
        const session = await bot.server.sendSlashCommand('project', { query });
        expect(session.reply?.embeds[0]?.title).toBe(
          'Supporting China’s Engagement in the Global Migration Debate',
        );
      }
      const choices = await bot.server.sendAutocomplete('project', { query: 'CN10' }, 'query');
      expect(choices[0]?.value).toBe('CN10P0002');
    });
  });

  describe('every reply', () => {
    it('disables mentions and stays within Discord limits', async () => {
      await bot.server.sendSlashCommand('search', { query: 'migration' });
      const sent = bot.server.requests.filter(
        (r) => r.method !== 'GET' && /^\/(interactions|webhooks)\//.test(r.path) && r.body !== undefined,
      );
      expect(sent.length).toBeGreaterThan(10);
      for (const request of sent) {
        const body = request.body as { type?: number; data?: Record<string, unknown> } & Record<
          string,
          unknown
        >;
        const message = request.path.startsWith('/interactions/') ? body.data : body;
        // Autocomplete results and deferrals carry no message.
        if (body.type === 8 || body.type === 5 || body.type === 6 || message === undefined) continue;
        expect(message.allowed_mentions, request.path).toEqual({ parse: [] });
      }
      expect(bot.server.requests.filter((r) => r.status === 400)).toEqual([]);
    });

    it('logs what it handled with how long it took', () => {
      const handled = bot.logs.filter((l) => l.msg === 'interaction handled');
      expect(handled.length).toBeGreaterThan(10);
      expect(handled.every((l) => typeof l.ms === 'number')).toBe(true);
    });
  });

  it('answers in a DM too (no guild)', async () => {
    const session = await bot.server.sendSlashCommand('contact', { name: 'liljert' }, { guildId: null });
    expect(session.reply?.embeds[0]?.title).toBe('Pär Liljert');
  });

  it('replies to a French user with the same commands (names are localized on registration)', async () => {
    const search = bot.server.commands(bot.server.guild.id).find((c) => c.name === 'search');
    expect(search?.name_localizations).toMatchObject({ fr: 'rechercher', 'es-ES': 'buscar' });
    const session = await bot.server.sendSlashCommand('about', {}, { locale: 'fr' });
    expect(session.reply?.embeds[0]?.title).toBe('Migration News Bot');
    expect(session.reply?.flags ?? 0).not.toBe(MessageFlags.Ephemeral);
  });
});
