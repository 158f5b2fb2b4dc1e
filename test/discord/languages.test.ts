import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../src/core/record.js';
import { decodeCustomId } from '../../src/discord/customId.js';
import { pageButtonId, parsePageArgs } from '../../src/discord/components.js';
import { itemToRecord } from '../../src/core/sources/itemRecord.js';
import { BotHarness, buttonLabelled } from '../support/botHarness.js';
import { fetchedRecord, nadorMelillaItem } from '../support/sourceItems.js';

const decode = (id: string) => {
  const decoded = decodeCustomId(id);
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.value.args;
};

/** The UDHR sentences of a language (test/fixtures/languages/README.md): real published text. */
function udhr(language: string): string[] {
  const file = readFileSync(path.join(import.meta.dirname, '../fixtures/languages/sentences.txt'), 'utf8');
  const official = file.split('# Wikipedia')[0]!;
  return official
    .split('\n')
    .filter((line) => line.startsWith(`${language}:`))
    .map((line) => line.slice(language.length + 1).trim());
}

/** A fetched document of the UN's UDHR page in `language` (declared, as the page would). */
function udhrRecord(language: string, tag = language): DocumentRecord {
  const [first, ...rest] = udhr(language);
  return fetchedRecord({
    sourceId: 'un-news',
    guid: `udhr-${tag}`,
    url: `https://www.un.org/${tag}/udhr-test`,
    title: first!,
    publishedAt: '2026-11-28T09:30:00Z',
    text: rest.join('\n'),
    language: tag,
  });
}

/**
 * Languages on Discord through the real dispatcher: the real discord.js client against the loopback
 * Discord, a real SQLite store, documents in French, Spanish and Arabic (UDHR texts) beside the
 * shipped English pages.
 */
describe('languages on Discord (real discord.js client, loopback Discord)', () => {
  let bot: BotHarness;

  beforeAll(async () => {
    bot = await BotHarness.start();
    for (const record of [udhrRecord('fr'), udhrRecord('fr', 'fr-CA'), udhrRecord('es'), udhrRecord('ar')])
      bot.ctx.library.upsert(record);
  });
  afterAll(async () => {
    await bot.close();
  });

  describe('/search language:', () => {
    it('offers the languages the library holds, named in the reader’s language', async () => {
      const french = await bot.server.sendAutocomplete('search', { query: 'x', language: '' }, 'language', {
        locale: 'fr',
      });
      expect(french).toEqual([
        { name: 'Arabe (ar)', value: 'ar' },
        { name: 'Anglais (en)', value: 'en' },
        { name: 'Espagnol (es)', value: 'es' },
        { name: 'Français (fr)', value: 'fr' },
        { name: 'Français canadien (fr-CA)', value: 'fr-CA' },
      ]);
      const typed = await bot.server.sendAutocomplete('search', { query: 'x', language: 'ara' }, 'language', {
        locale: 'es-ES',
      });
      expect(typed).toEqual([{ name: 'Árabe (ar)', value: 'ar' }]);
    });

    it('drops a language whose last document leaves (a count per tag)', async () => {
      const extra = udhrRecord('it');
      bot.ctx.library.upsert(extra);
      const withItalian = await bot.server.sendAutocomplete(
        'search',
        { query: 'x', language: 'it' },
        'language',
      );
      expect(withItalian).toEqual([{ name: 'Italian (it)', value: 'it' }]);
      bot.ctx.library.remove(extra.id);
      expect(await bot.server.sendAutocomplete('search', { query: 'x', language: 'it' }, 'language')).toEqual(
        [],
      );
    });

    it('keeps only documents in that language, fr matching fr-CA too', async () => {
      const titles = (session: Awaited<ReturnType<typeof bot.server.sendSlashCommand>>) =>
        (session.reply?.embeds[0]?.fields ?? []).map((f) => f.name.replace(/^\d+\. /, ''));
      const [fr, es] = [udhr('fr')[0]!, udhr('es')[0]!];
      const all = await bot.server.sendSlashCommand('search', { query: 'libres' }, { locale: 'fr' });
      expect(titles(all).sort()).toEqual([es, fr, fr].sort());
      const french = await bot.server.sendSlashCommand(
        'search',
        { query: 'libres', language: 'fr' },
        { locale: 'fr' },
      );
      expect(french.reply?.embeds[0]?.title).toBe('Résultats pour “libres” (en Français)');
      expect(titles(french)).toEqual([fr, fr]);
      const canadian = await bot.server.sendSlashCommand('search', { query: 'libres', language: 'fr-CA' });
      expect(titles(canadian)).toEqual([fr]);
      const spanish = await bot.server.sendSlashCommand('search', { query: 'libres', language: 'es' });
      expect(titles(spanish)).toEqual([es]);
    });

    it('carries the language in the Previous/Next custom_id, and reads older ids without it', () => {
      const state = { query: 'libres', kind: undefined, country: undefined, language: 'fa-AF' };
      expect(parsePageArgs(decode(pageButtonId(state, 2)!))).toEqual({ page: 2, state });
      expect(parsePageArgs(['2', 'an', '', 'libres'])?.state.language).toBeUndefined();
    });

    it('refuses a value that is not a language, in the reader’s language', async () => {
      const session = await bot.server.sendSlashCommand(
        'search',
        { query: 'libres', language: 'pas une langue!' },
        { locale: 'fr' },
      );
      expect(session.reply?.content).toBe(
        '« pas une langue! » n’est pas une langue ; choisissez-en une dans la liste (un code comme fr, ar ou fa-AF).',
      );
      expect(session.isEphemeral).toBe(true);
    });
  });

  describe('/digest subscribe language:', () => {
    const moderator = (locale = 'en-US') => ({ user: bot.server.owner, locale });
    const general = () => bot.server.channel('general').id;

    it('offers the same languages, keeps the choice, lists it, and posts only that language, in it', async () => {
      const offered = await bot.server.sendAutocomplete(
        'digest subscribe',
        { channel: general(), schedule: '0 9 * * *', language: 'fr' },
        'language',
        moderator(),
      );
      expect(offered).toEqual([
        { name: 'French (fr)', value: 'fr' },
        { name: 'Canadian French (fr-CA)', value: 'fr-CA' },
      ]);
      const created = await bot.server.sendSlashCommand(
        'digest subscribe',
        { channel: general(), schedule: '0 9 * * *', language: 'fr' },
        moderator(),
      );
      const id = Number(/#(\d+)/.exec(created.reply?.content ?? '')?.[1]);
      expect((await bot.digests!.store.subscriptions.get(id))?.language).toBe('fr');
      const list = await bot.server.sendSlashCommand('digest list', {}, moderator('es-ES'));
      const line = list.reply?.embeds[0]?.fields?.find((f) => f.name === `#${id}`)?.value;
      expect(line).toContain('Tema: todo · Idioma: Francés (fr)');

      const store = bot.digests!.store;
      const records = [udhrRecord('fr'), udhrRecord('fr', 'fr-CA'), udhrRecord('es'), udhrRecord('ar')];
      await store.log.append(
        records.map((r) => ({
          docId: r.id,
          contentHash: r.contentHash,
          kind: r.kind,
          event: 'new' as const,
        })),
      );
      const before = bot.server.requestsTo('POST', `/channels/${general()}/messages`).length;
      const sent = await bot.server.sendSlashCommand('digest send', { id }, moderator());
      expect(sent.reply?.content).toMatch(/^Posted digest #\d+ to <#\d+>: 2 items in 1 message\.$/);
      const posts = bot.server.requestsTo('POST', `/channels/${general()}/messages`).slice(before);
      expect(posts).toHaveLength(1);
      const body = posts[0]?.body as { embeds: Array<{ title: string; fields?: Array<{ name: string }> }> };
      expect(body.embeds[0]?.title).toBe('Résumé de l’actualité des migrations : 2 articles');
      const titles = body.embeds.flatMap((e) => e.fields ?? []).map((f) => f.name.replace(/^\d+\. /, ''));
      expect(titles).toEqual([udhr('fr')[0], udhr('fr')[0]]);
    });

    it('refuses a language that is not one, and stores nothing', async () => {
      const count = (await bot.digests!.store.subscriptions.list()).length;
      const session = await bot.server.sendSlashCommand(
        'digest subscribe',
        { channel: general(), schedule: '0 9 * * *', language: 'klingon!' },
        moderator('fr'),
      );
      expect(session.reply?.content).toBe(
        '« klingon! » n’est pas une langue ; choisissez-en une dans la liste (un code comme fr, ar ou fa-AF).',
      );
      expect(await bot.digests!.store.subscriptions.list()).toHaveLength(count);
    });
  });

  describe('one release in several languages', () => {
    const moderator = (locale = 'en-US') => ({ user: bot.server.owner, locale });
    const general = () => bot.server.channel('general').id;
    const release = () =>
      (['en', 'fr', 'it'] as const).map((language) => {
        const record = itemToRecord(nadorMelillaItem(language));
        if (!record.ok) throw new Error(record.error);
        return record.value;
      });

    beforeAll(() => {
      for (const record of release()) bot.ctx.library.upsert(record);
    });

    it('/article says “Also in” with the names in the reader’s language, and its buttons open them', async () => {
      const [english, french, italian] = release();
      const shown = await bot.server.sendSlashCommand('article', { id: french!.id }, { locale: 'es-ES' });
      // Intl.ListFormat's Spanish: “e” before a word starting with an i sound.
      expect(shown.reply?.content).toBe('También en: Inglés e Italiano');
      const opened = await bot.server.clickButton(buttonLabelled(shown.reply, 'Italiano'), shown.reply!, {
        locale: 'es-ES',
      });
      expect(opened.isEphemeral).toBe(true);
      expect(opened.reply?.embeds[0]?.title).toBe(italian!.title);
      expect(opened.reply?.content).toBe('También en: Inglés y Francés');
      const back = await bot.server.clickButton(buttonLabelled(opened.reply, 'Inglés'), opened.reply!);
      expect(back.reply?.embeds[0]?.title).toBe(english!.title);
    });

    it('a digest lists the release once, in the digest’s language, with its other languages', async () => {
      const created = await bot.server.sendSlashCommand(
        'digest subscribe',
        { channel: general(), schedule: '0 9 * * *' },
        moderator(),
      );
      const id = Number(/#(\d+)/.exec(created.reply?.content ?? '')?.[1]);
      const records = release();
      await bot.digests!.store.log.append(
        records.map((r) => ({
          docId: r.id,
          contentHash: r.contentHash,
          kind: r.kind,
          event: 'new' as const,
        })),
      );
      const before = bot.server.requestsTo('POST', `/channels/${general()}/messages`).length;
      const sent = await bot.server.sendSlashCommand('digest send', { id }, moderator());
      expect(sent.reply?.content).toMatch(/^Posted digest #\d+ to <#\d+>: 1 item in 1 message\.$/);
      const [post] = bot.server.requestsTo('POST', `/channels/${general()}/messages`).slice(before);
      const body = post?.body as {
        embeds: Array<{ title: string; fields?: Array<{ name: string; value: string }> }>;
      };
      expect(body.embeds[0]?.title).toBe('Migration news digest: 1 article');
      const fields = body.embeds.flatMap((e) => e.fields ?? []);
      expect(fields.map((f) => f.name)).toEqual([`1. ${records[0]!.title}`]);
      expect(fields[0]?.value.split('\n').at(-1)).toBe('Also in: French and Italian');
    });
  });

  describe('errors raised in the core, in the reader’s language', () => {
    it.each([
      [
        'fr',
        '« since » doit être un jour (AAAA-MM-JJ) ou une durée comme 24h, 7d ou 2w ; reçu : « yesterday ».',
      ],
      ['es-ES', '«since» debe ser un día (AAAA-MM-DD) o un plazo como 24h, 7d o 2w; se recibió «yesterday».'],
    ])('a bad since (%s)', async (locale, message) => {
      const session = await bot.server.sendSlashCommand(
        'search',
        { query: 'libres', since: 'yesterday' },
        { locale },
      );
      expect(session.reply?.content).toBe(message);
    });

    it('a query of common words only', async () => {
      const session = await bot.server.sendSlashCommand('search', { query: 'the of' }, { locale: 'es-ES' });
      expect(session.reply?.content).toBe(
        'La consulta solo tiene palabras muy comunes ("the", "of"): añada una palabra más específica.',
      );
    });
  });
});
