import { ComponentType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, componentsOf } from '../support/botHarness.js';
import { fetchedRecord } from '../support/sourceItems.js';

const FSI = '\u2068';
const PDI = '\u2069';
const NONSENSE = 'zqxjvw';

/**
 * Replies in the reader's language through the real dispatcher: the real discord.js client against
 * the loopback Discord, interactions carrying a `locale` and a `guild_locale`, a real SQLite store.
 */
describe('replies in the reader’s language (real discord.js client, loopback Discord)', () => {
  let bot: BotHarness;
  const asModerator = (context: { locale?: string; guildLocale?: string } = {}) => ({
    user: bot.server.owner,
    ...context,
  });
  const general = () => bot.server.channel('general').id;

  beforeAll(async () => {
    bot = await BotHarness.start();
  });
  afterAll(async () => {
    await bot.close();
  });

  describe.each([
    {
      locale: 'fr',
      none: `Aucun résultat pour “${NONSENSE}”. Essayez avec moins de mots ou d’autres mots.`,
      title: 'Résultats pour “beijing liaison office agreement”',
      footer: /^Page 1 sur 1 · \d+ résultats?$/,
      menu: 'Ouvrir un résultat',
      error: `Aucun article ne correspond à « ${NONSENSE} ». Choisissez-en un dans la liste, ou essayez /search.`,
      about: ['Documents', 'Articles', 'Projets', 'Contacts', 'Version', 'En ligne depuis'],
    },
    {
      locale: 'es-ES',
      none: `No hay resultados para “${NONSENSE}”. Pruebe con menos palabras o con otras.`,
      title: 'Resultados para “beijing liaison office agreement”',
      footer: /^Página 1 de 1 · \d+ resultados?$/,
      menu: 'Abrir un resultado',
      error: `Ningún artículo coincide con «${NONSENSE}». Elija uno de la lista o pruebe /search.`,
      about: ['Documentos', 'Artículos', 'Proyectos', 'Contactos', 'Versión', 'En línea desde hace'],
    },
    {
      locale: 'es-419',
      none: `No hay resultados para “${NONSENSE}”. Pruebe con menos palabras o con otras.`,
      title: 'Resultados para “beijing liaison office agreement”',
      footer: /^Página 1 de 1 · \d+ resultados?$/,
      menu: 'Abrir un resultado',
      error: `Ningún artículo coincide con «${NONSENSE}». Elija uno de la lista o pruebe /search.`,
      about: ['Documentos', 'Artículos', 'Proyectos', 'Contactos', 'Versión', 'En línea desde hace'],
    },
  ])('a member whose Discord language is $locale', (lang) => {
    const as = { locale: lang.locale };

    it('/search with no results says so in that language', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: NONSENSE }, as);
      expect(session.reply?.content).toBe(lang.none);
      expect(session.isEphemeral).toBe(true);
    });

    it('/search with results: title, footer with its plural, and the menu', async () => {
      const session = await bot.server.sendSlashCommand(
        'search',
        { query: 'beijing liaison office agreement' },
        as,
      );
      const embed = session.reply?.embeds[0];
      expect(embed?.title).toBe(lang.title);
      expect(embed?.footer?.text).toMatch(lang.footer);
      const menu = componentsOf(session.reply).find((c) => c.type === ComponentType.StringSelect);
      expect(menu).toMatchObject({ placeholder: lang.menu });
    });

    it('an error (an unknown article) comes in that language', async () => {
      const session = await bot.server.sendSlashCommand('article', { id: NONSENSE }, as);
      expect(session.reply?.content).toBe(lang.error);
      expect(session.isEphemeral).toBe(true);
    });

    it('/about names its fields in that language', async () => {
      const session = await bot.server.sendSlashCommand('about', {}, as);
      expect(session.reply?.embeds[0]?.fields?.map((f) => f.name)).toEqual(lang.about);
    });
  });

  it('uses the guild_locale when the member’s locale has no catalog', async () => {
    const session = await bot.server.sendSlashCommand(
      'search',
      { query: NONSENSE },
      { locale: 'ko', guildLocale: 'es-419' },
    );
    expect(session.reply?.content).toBe(
      `No hay resultados para “${NONSENSE}”. Pruebe con menos palabras o con otras.`,
    );
  });

  it('answers in English when neither the member, the server nor its locale has a catalog', async () => {
    const session = await bot.server.sendSlashCommand('about', {}, { locale: 'ko', guildLocale: 'ko' });
    expect(session.reply?.embeds[0]?.fields?.[0]?.name).toBe('Documents');
    expect(session.reply?.embeds[0]?.fields?.[5]?.name).toBe('Uptime');
  });

  describe('/settings language (Manage Server)', () => {
    it('is refused to a member without Manage Server, in the member’s language', async () => {
      const session = await bot.server.sendSlashCommand(
        'settings language',
        { language: 'ar' },
        { locale: 'fr', permissions: 0n },
      );
      expect(session.reply?.content).toBe(
        'Il vous faut l’autorisation Gérer le serveur pour modifier les réglages de ce serveur.',
      );
      expect(await bot.digests!.store.guildSettings.language(bot.server.guild.id)).toBeNull();
    });

    it('switches the replies of members whose locale has no catalog (ko) to Arabic', async () => {
      const before = await bot.server.sendSlashCommand('search', { query: NONSENSE }, { locale: 'ko' });
      expect(before.reply?.content).toMatch(/^No results for/);

      const set = await bot.server.sendSlashCommand(
        'settings language',
        { language: 'ar' },
        asModerator({ locale: 'ko' }),
      );
      expect(set.reply?.content).toBe(
        'لغة هذا الخادم الآن: العربية. تُكتب بها الردود على الأعضاء الذين لا يتوفر فهرس للغة ديسكورد الخاصة بهم، وكذلك الملخصات.',
      );
      expect(await bot.digests!.store.guildSettings.language(bot.server.guild.id)).toBe('ar');

      const none = await bot.server.sendSlashCommand('search', { query: NONSENSE }, { locale: 'ko' });
      expect(none.reply?.content).toBe(
        `لا توجد نتائج لـ ${FSI}“${NONSENSE}”${PDI}. جرّب كلمات أقل أو كلمات أخرى.`,
      );
      const found = await bot.server.sendSlashCommand(
        'search',
        { query: 'beijing liaison office agreement' },
        { locale: 'ko' },
      );
      expect(found.reply?.embeds[0]?.title).toBe(
        `نتائج البحث عن ${FSI}“beijing liaison office agreement”${PDI}`,
      );
      expect(found.reply?.embeds[0]?.footer?.text).toMatch(/^الصفحة 1 من 1 · /);
      const error = await bot.server.sendSlashCommand('article', { id: NONSENSE }, { locale: 'ko' });
      expect(error.reply?.content).toBe(
        `لا يوجد مقال يطابق «${FSI}${NONSENSE}${PDI}». اختر مقالًا من القائمة، أو جرّب ${FSI}/search${PDI}.`,
      );
      const about = await bot.server.sendSlashCommand('about', {}, { locale: 'ko' });
      expect(about.reply?.embeds[0]?.fields?.map((f) => f.name)).toEqual([
        'الوثائق',
        'المقالات',
        'المشاريع',
        'جهات الاتصال',
        'الإصدار',
        'مدة التشغيل',
      ]);
      // The server's language wins over its guild_locale, but not over a member's own catalog.
      const guildLocale = await bot.server.sendSlashCommand(
        'search',
        { query: NONSENSE },
        { locale: 'ko', guildLocale: 'es-ES' },
      );
      expect(guildLocale.reply?.content).toMatch(/^لا توجد نتائج/);
      const french = await bot.server.sendSlashCommand('search', { query: NONSENSE }, { locale: 'fr' });
      expect(french.reply?.content).toMatch(/^Aucun résultat pour/);
    });

    it('writes the server’s digests in its language: Arabic header, sections and buttons', async () => {
      await bot.server.sendSlashCommand('settings language', { language: 'ar' }, asModerator());
      const created = await bot.server.sendSlashCommand(
        'digest subscribe',
        { channel: general(), schedule: '0 9 * * *' },
        asModerator({ locale: 'fr' }),
      );
      expect(created.reply?.content).toMatch(
        /^Abonnement créé : le résumé \*\*#\d+\*\* sera publié dans <#\d+>/,
      );
      const id = Number(/#(\d+)/.exec(created.reply?.content ?? '')?.[1]);
      const record = fetchedRecord({
        sourceId: 'un-news',
        guid: 'i18n-digest-1',
        url: 'https://news.example.org/i18n-digest-1',
        title: 'Flood response in Sudan',
        publishedAt: '2026-11-28T09:30:00Z',
        text: 'Khartoum - Aid reaches families. It goes on.',
      });
      bot.ctx.library.upsert(record);
      await bot.digests!.store.log.append([
        { docId: record.id, contentHash: record.contentHash, kind: record.kind, event: 'new' },
      ]);
      const before = bot.server.requestsTo('POST', `/channels/${general()}/messages`).length;
      const sent = await bot.server.sendSlashCommand('digest send', { id }, asModerator({ locale: 'es-ES' }));
      expect(sent.reply?.content).toMatch(/^Resumen #\d+ publicado en <#\d+>: 1 elemento en 1 mensaje\.$/);
      const [post] = bot.server.requestsTo('POST', `/channels/${general()}/messages`).slice(before);
      const body = post?.body as {
        embeds: Array<{ title: string; description?: string; fields?: Array<{ value: string }> }>;
        components: Array<{ components: Array<{ label: string }> }>;
      };
      expect(body.embeds[0]?.title).toBe('ملخص أخبار الهجرة: مقال واحد');
      expect(body.embeds[0]?.description).toMatch(/^ما ورد (بين|حتى) /);
      expect(body.embeds[1]?.fields?.[0]?.value).toMatch(/^نُشر في /);
      expect(body.components[0]?.components.map((b) => b.label)).toEqual(['اقرأ 1', 'افتح 1']);
    });

    it('goes back to each member’s language with “auto”', async () => {
      const cleared = await bot.server.sendSlashCommand(
        'settings language',
        { language: 'auto' },
        asModerator({ locale: 'es-419' }),
      );
      expect(cleared.reply?.content).toMatch(/^Este servidor ya no tiene idioma propio/);
      expect(await bot.digests!.store.guildSettings.language(bot.server.guild.id)).toBeNull();
      const session = await bot.server.sendSlashCommand('search', { query: NONSENSE }, { locale: 'ko' });
      expect(session.reply?.content).toMatch(/^No results for/);
    });
  });
});
