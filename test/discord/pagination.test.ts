import { ButtonStyle, ComponentType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, buttonLabelled, componentsOf } from '../support/botHarness.js';
import { addExtraPages, extraTitle } from '../support/extraPages.js';

const EXTRA_PAGES = 30;
const addPages = (dataDir: string) => addExtraPages(dataDir, EXTRA_PAGES);

const nextButton = (customId: string) => ({
  type: ComponentType.ActionRow as const,
  components: [
    {
      type: ComponentType.Button as const,
      style: ButtonStyle.Secondary as const,
      label: 'Next ▶',
      custom_id: customId,
    },
  ],
});

describe('pagination and autocomplete over a larger corpus', () => {
  let bot: BotHarness;

  beforeAll(async () => {
    bot = await BotHarness.start({ prepareData: addPages });
  });

  afterAll(async () => {
    await bot.close();
  });

  it('pages through results five at a time with Previous and Next', async () => {
    const first = await bot.server.sendSlashCommand('search', { query: 'seminar mobility' });
    const footer = first.reply?.embeds[0]?.footer?.text ?? '';
    const [, pages = '0', total = '0'] = /^Page 1 of (\d+) · (\d+) results/.exec(footer) ?? [];
    expect(Number(total)).toBeGreaterThanOrEqual(EXTRA_PAGES);
    expect(Number(pages)).toBe(Math.ceil(Number(total) / 5));
    expect(first.reply?.embeds[0]?.fields).toHaveLength(5);
    const previous = componentsOf(first.reply).find((c) => c.label === '◀ Previous');
    expect(previous?.disabled).toBe(true);

    // Sessions are live views: keep what page 1 showed before the message is updated.
    const firstNames = first.reply?.embeds[0]?.fields?.map((f) => f.name) ?? [];
    const next = await bot.server.clickButton(buttonLabelled(first.reply, 'Next ▶'), first.reply!);
    // The same message is updated in place.
    expect(next.reply?.id).toBe(first.reply?.id);
    expect(next.reply?.embeds[0]?.footer?.text).toMatch(/^Page 2 of /);
    expect(next.reply?.embeds[0]?.fields?.[0]?.name).toMatch(/^6\. /);
    const seenOnFirst = new Set(firstNames.map((name) => name.replace(/^\d+\. /, '')));
    expect(next.reply?.embeds[0]?.fields?.some((f) => seenOnFirst.has(f.name.replace(/^\d+\. /, '')))).toBe(
      false,
    );

    const back = await bot.server.clickButton(buttonLabelled(next.reply, '◀ Previous'), next.reply!);
    expect(back.reply?.embeds[0]?.fields?.map((f) => f.name)).toEqual(firstNames);
  });

  it('keeps every custom_id within 100 characters and unique per message', async () => {
    const session = await bot.server.sendSlashCommand('search', { query: 'seminar '.repeat(12).trim() });
    const ids = componentsOf(session.reply).map((c) => c.custom_id);
    expect(ids.every((id) => id.length <= 100)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('still pages after a restart (a new client, the same custom_id)', async () => {
    const first = await bot.server.sendSlashCommand('search', { query: 'seminar mobility' });
    const nextId = buttonLabelled(first.reply, 'Next ▶');
    await bot.restart();
    const next = await bot.server.clickButton(nextId, first.reply!);
    expect(next.reply?.embeds[0]?.footer?.text).toMatch(/^Page 2 of /);
  });

  it('tells the user politely when a page no longer exists', async () => {
    // A message sent when there were more results than now.
    const far = 'v1:page:99:::seminar mobility';
    const message = bot.server.seedMessage(bot.server.channel('general').id, {
      components: [nextButton(far)],
    });
    const session = await bot.server.clickButton(far, message);
    expect(session.reply?.id).toBe(message.id);
    expect(session.reply?.content).toMatch(
      /^That page no longer exists \(the results changed\); here is page \d+\./,
    );
    expect(session.reply?.embeds[0]?.footer?.text).toMatch(/^Page (\d+) of \1 /);
    // Paging on from there clears the note.
    const back = await bot.server.clickButton(buttonLabelled(session.reply, '◀ Previous'), session.reply!);
    expect(back.reply?.content).toBe('');
    expect(back.reply?.embeds[0]?.footer?.text).toMatch(/^Page \d+ of /);
  });

  it('says there are no results any more when a paged search now finds nothing', async () => {
    const gone = 'v1:page:2:::zzqqxx';
    const message = bot.server.seedMessage(bot.server.channel('general').id, {
      components: [nextButton(gone)],
    });
    const session = await bot.server.clickButton(gone, message);
    expect(session.reply?.content).toMatch(/^No results for “zzqqxx”\./);
    expect(session.reply?.embeds).toEqual([]);
  });

  it('answers a button from an older version of the bot with a polite ephemeral message', async () => {
    const old = 'v0:page:2:::seminar mobility';
    const message = bot.server.seedMessage(bot.server.channel('general').id, {
      components: [nextButton(old)],
    });
    const session = await bot.server.clickButton(old, message);
    expect(session.isEphemeral).toBe(true);
    expect(session.reply?.content).toBe(
      'This button belongs to an older message and no longer works. Please run the command again.',
    );
  });

  it('autocompletes with at most 25 choices of at most 100 characters', async () => {
    for (const [command, option, typed] of [
      ['search', 'query', 'sem'],
      ['search', 'query', ''],
      ['article', 'id', 'seminar'],
      ['contact', 'name', ''],
    ] as const) {
      const choices = await bot.server.sendAutocomplete(command, { [option]: typed }, option);
      expect(choices.length, `${command} ${typed}`).toBeGreaterThan(0);
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const choice of choices) {
        expect(choice.name.length).toBeLessThanOrEqual(100);
        expect(String(choice.value).length).toBeLessThanOrEqual(100);
      }
    }
    const seminars = await bot.server.sendAutocomplete('search', { query: 'sem' }, 'query');
    expect(seminars).toHaveLength(25);
    expect(seminars[0]?.name).toBe(
      extraTitle(1)
        .slice(0, 100)
        .replace(/\s+\S*$/, ''),
    );
    expect(seminars[0]?.value).toBe(seminars[0]?.name);
  });
});
