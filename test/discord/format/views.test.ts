import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { ContactEntry, SearchPage } from '../../../src/core/library.js';
import type { DocumentRecord } from '../../../src/core/record.js';
import { contactReply, vcardFileName } from '../../../src/discord/format/contact.js';
import { documentReply, formatUsd } from '../../../src/discord/format/document.js';
import { embedLength } from '../../../src/discord/format/embeds.js';
import { DISCORD_LIMITS as L } from '../../../src/discord/limits.js';
import { searchReply } from '../../../src/discord/format/search.js';
import { toMessageOptions } from '../../../src/discord/reply.js';
import type { BotReply } from '../../../src/discord/reply.js';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

const hugeArticle: DocumentRecord = {
  id: '123_abc',
  kind: 'article',
  title: `A *very* long _title_ ${words(100)}`,
  country: 'Côte d’Ivoire',
  paragraphs: Array.from({ length: 60 }, (_, i) => `Paragraph ${i} with **stars** and ${words(80)}.`),
  contacts: Array.from({ length: 30 }, (_, i) => ({
    name: `Person ${i} ${'Longname'.repeat(12)}`,
    office: `IOM Office ${words(40)}`,
    phones: ['+1 555 0100', '+1 555 0101'],
    email: `person${i}@iom.int`,
  })),
  project: null,
  source: 'raw/123_abc.txt',
  contentHash: '0'.repeat(64),
};

/** What Discord checks on a message, all of it. */
function expectSendable(reply: BotReply): void {
  const options = toMessageOptions(reply);
  expect(options.allowedMentions).toEqual({ parse: [] });
  expect(options.content?.length ?? 0).toBeLessThanOrEqual(L.content);
  const embeds: APIEmbed[] = options.embeds;
  expect(embeds.length).toBeLessThanOrEqual(L.embedsPerMessage);
  expect(embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(L.embedTotal);
  for (const e of embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(L.embedTitle);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(L.embedDescription);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(L.embedFields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(L.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(L.fieldValue);
    }
  }
  expect(options.components.length).toBeLessThanOrEqual(L.actionRows);
  const ids: string[] = [];
  for (const row of options.components) {
    expect(row.components.length).toBeLessThanOrEqual(L.buttonsPerRow);
    for (const c of row.components) {
      if ('custom_id' in c) ids.push(c.custom_id);
      if ('label' in c && c.label) expect(c.label.length).toBeLessThanOrEqual(L.buttonLabel);
      if ('options' in c) {
        expect(c.options.length).toBeLessThanOrEqual(L.selectOptions);
        for (const o of c.options) expect(o.label.length).toBeLessThanOrEqual(L.selectOptionLabel);
      }
    }
  }
  expect(ids.every((id) => id.length <= L.customId)).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
}

describe('format views with oversized content', () => {
  it('documentReply: a huge article fits, cut with an ellipsis, markdown escaped', () => {
    const related = Array.from({ length: 10 }, (_, i) => ({
      id: `r${i}`,
      title: `Related ${i} ${words(40)}`,
    }));
    const reply = documentReply(hugeArticle, related);
    expectSendable(reply);
    const [embed] = toMessageOptions(reply).embeds;
    expect(embed?.title).toMatch(/^A \\\*very\\\* long \\_title\\_ word0/);
    expect(embed?.title).toMatch(/…$/);
    expect(embed?.description).toMatch(/…$/);
    expect(embed?.description).toContain('\\*\\*stars\\*\\*');
    expect(embed?.author?.name).toBe('Dateline: Côte d’Ivoire');
  });

  it('documentReply: a project shows its budget in US dollars', () => {
    expect(formatUsd(100000)).toBe('$100,000');
    expect(formatUsd(1234567.89)).toBe('$1,234,568');
    const project: DocumentRecord = {
      ...hugeArticle,
      kind: 'project',
      contacts: [],
      project: {
        startDate: '2017',
        endDate: '2019',
        status: 'Completed',
        type: 'T'.repeat(2000),
        budgetUsd: 2500000,
        coverage: null,
        year: 2017,
        region: 'Asia and Oceania',
        primaId: 'CN10P0002',
        projectId: null,
        memberStates: Array.from({ length: 300 }, (_, i) => `State ${i}`),
        extra: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`Label ${i}`, `Value ${i}`])),
      },
    };
    const reply = documentReply(project, []);
    expectSendable(reply);
    const fields = toMessageOptions(reply).embeds[0]?.fields ?? [];
    expect(fields.find((f) => f.name === 'Budget')?.value).toBe('$2,500,000');
    expect(fields.some((f) => f.name === 'Coverage')).toBe(false);
  });

  it('searchReply: long titles and snippets fit, with pages and a menu', () => {
    const page: SearchPage = {
      query: 'q',
      total: 500,
      page: 3,
      pages: 100,
      pageSize: 5,
      results: Array.from({ length: 5 }, (_, i) => ({
        id: `id${i}`,
        kind: 'article' as const,
        title: `Title ${i} ${words(100)}`,
        country: 'China',
        language: 'en',
        score: 1,
        snippet: { text: `match ${words(400)}`, highlights: [[0, 5] as const] },
      })),
      matchedAll: true,
      suggestions: [],
      note: null,
    };
    const reply = searchReply({ query: 'q'.repeat(60), kind: 'article', country: 'China' }, page, 'en');
    expectSendable(reply);
    expect(toMessageOptions(reply).embeds[0]?.fields?.[0]?.name).toMatch(/^11\. Title 0/);
  });

  it('searchReply: nothing found offers the suggestions as buttons', () => {
    const reply = searchReply(
      { query: 'bejing', kind: undefined, country: undefined },
      {
        query: 'bejing',
        total: 0,
        page: 1,
        pages: 0,
        pageSize: 5,
        results: [],
        matchedAll: true,
        suggestions: ['beijing'],
        note: null,
      },
      'en',
    );
    expectSendable(reply);
    expect(reply.content).toBe('No results for “bejing”. Did you mean **beijing**?');
    expect(toMessageOptions(reply).components[0]?.components[0]).toMatchObject({
      label: 'Search “beijing”',
      custom_id: 'v1:page:1:::beijing',
    });
  });

  it('contactReply: a person in hundreds of documents fits', () => {
    const contact: ContactEntry = {
      name: 'Pär Liljert',
      aliases: Array.from({ length: 50 }, (_, i) => `Alias ${i}`),
      offices: ['IOM Beijing'],
      phones: Array.from({ length: 100 }, (_, i) => `+86 ${i}`),
      emails: ['pliljert@iom.int'],
      roles: Array.from({ length: 100 }, (_, i) => `Role ${i} ${words(10)}`),
      documents: Array.from({ length: 300 }, (_, i) => ({
        id: `d${i}`,
        title: `Doc ${i} ${words(20)}`,
        as: 'mention' as const,
      })),
    };
    expectSendable(contactReply(contact, ['A', 'B'], 'en'));
    expect(vcardFileName('Pär Liljert')).toBe('par-liljert.vcf');
    expect(vcardFileName('***')).toBe('contact.vcf');
  });
});
