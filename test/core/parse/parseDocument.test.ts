import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/parse/parseDocument.js';
import type { DocumentRecord } from '../../../src/core/record.js';
import { FAKE_HASH, NAVIGATION, SHIPPED_RAW, fields, page } from '../../fixtures/pages.js';

function parse(text: string, id = 'x'): DocumentRecord {
  const result = parseDocument({ id, source: `raw/${id}.txt`, text, contentHash: FAKE_HASH });
  if (!result.ok) throw new Error(`expected a record, got: ${result.error}`);
  return result.value;
}

function parseShipped(id: string): DocumentRecord {
  return parse(readFileSync(path.join(SHIPPED_RAW, `${id}.txt`), 'utf8'), id);
}

describe('parseDocument', () => {
  describe('on the shipped pages', () => {
    it.each([
      {
        id: '000_1e0d9a2d3cac57c3',
        title: 'Director General Discusses Migration Governance in China',
        country: 'China',
        paragraphs: 10,
        first: 'IOM Director General William Lacy Swing, on a visit to the People’s Republic of China,',
        last: 'broaden areas of cooperation.',
        contacts: [
          {
            name: 'Pär Liljert',
            office: 'IOM Beijing',
            phones: ['+86 10 597 996 95'],
            email: 'pliljert@iom.int',
          },
        ],
      },
      {
        id: '001_8879b2f42bfd0150',
        title: 'Director General launches EU-China migration and mobility seminar in Beijing',
        country: 'China',
        paragraphs: 7,
        first: 'Migration flows between China and the European Union (EU)',
        last: 'funded by the European Commission since 2007.',
        contacts: [
          { name: 'Ellen Wong', office: 'IOM Beijing', phones: ['+86 18501187152'], email: 'ewong@iom.int' },
        ],
      },
      {
        id: '002_6920415c55e1d6e5',
        title: 'Agreement with China Paves Way for IOM Presence in Beijing',
        country: null,
        paragraphs: 6,
        first:
          'IOM and China today signed an agreement on the establishment of a liaison office in the Chinese capital, Beijing.',
        last: 'through its presence in Beijing.',
        contacts: [
          { name: 'Jian Zhao', office: 'IOM Geneva', phones: ['022 717 93 94'], email: 'jzhao@iom.int' },
        ],
      },
      {
        id: '003_bfb7b29f8f6badf6',
        title: 'International Seminar on Immigration Management in China',
        country: 'China',
        paragraphs: 7,
        first: 'IOM will this week organize an international seminar',
        last: 'said IOM Beijing Head of Office Par Liljert.',
        contacts: [
          {
            name: 'Kieran Best',
            office: 'IOM Beijing',
            phones: ['+86 10 5979 9695 Ext. 203'],
            email: 'kgormanbest@iom.int',
          },
        ],
      },
    ])('reads article $id', ({ id, title, country, paragraphs, first, last, contacts }) => {
      const record = parseShipped(id);
      expect(record).toMatchObject({ id, kind: 'article', title, country, contacts, project: null });
      expect(record.source).toBe(`raw/${id}.txt`);
      expect(record.paragraphs).toHaveLength(paragraphs);
      expect(record.paragraphs[0]?.startsWith(first)).toBe(true);
      expect(record.paragraphs.at(-1)?.endsWith(last)).toBe(true);
    });

    it('reads the project page and its fields', () => {
      const record = parseShipped('004_b8327546129996ab');
      expect(record).toMatchObject({
        kind: 'project',
        title: 'Supporting China’s Engagement in the Global Migration Debate',
        country: 'China',
        contacts: [],
      });
      expect(record.project).toEqual({
        startDate: '2017',
        endDate: '2019',
        status: 'Completed',
        type: 'Migration Policy Activities',
        budgetUsd: 100000,
        coverage: 'National',
        year: 2017,
        region: 'Asia and Oceania',
        primaId: 'CN10P0002',
        projectId: 'PO.0105',
        memberStates: ['China'],
        extra: {},
      });
      expect(record.paragraphs).toHaveLength(4);
      expect(record.paragraphs[0]).toMatch(/^The People’s Republic of China became an IOM Member State/);
    });

    it('keeps navigation, contact lines and field labels out of every record', () => {
      for (const file of readdirSync(SHIPPED_RAW)) {
        const record = parseShipped(file.replace(/\.txt$/, ''));
        const text = [record.title, ...record.paragraphs].join('\n');
        expect(text).not.toMatch(/Who we are|Take Action|Get involved|WHO WE ARE|2030 Agenda/);
        expect(text).not.toMatch(/please contact|@iom\.int|Tel[.:]|Budget Amount|Prima ID/);
      }
    });

    it('re-flows the hard-wrapped page into sentences that were split across lines', () => {
      const record = parseShipped('002_6920415c55e1d6e5');
      expect(record.paragraphs[1]).toBe(
        '“We are confident that the agreement signed today will add depth to the relationship and practical programmes to the already excellent cooperation we enjoy with the Chinese government in dealing with migration issues,” said the IOM Director General Brunson McKinley. “With the development of China’s economy and its links with the outside world, we shall see increased migratory movements in the region and new challenges for IOM and China to address together, globally and in East Asia.”',
      );
      expect(record.paragraphs.every((p) => !p.includes('\n'))).toBe(true);
    });
  });

  describe('datelines', () => {
    it.each([
      [
        'Yemen – Fighting displaced thousands of families.',
        'Yemen',
        'Fighting displaced thousands of families.',
      ],
      ['South Sudan - Heavy rains flooded camps.', 'South Sudan', 'Heavy rains flooded camps.'],
      ['Timor-Leste - A new census began.', 'Timor-Leste', 'A new census began.'],
      [
        'Democratic Republic of the Congo — Returns grew.',
        'Democratic Republic of the Congo',
        'Returns grew.',
      ],
      ['Côte d’Ivoire - Returns grew.', 'Côte d’Ivoire', 'Returns grew.'],
      ['IOM and partners met in Geneva today.', null, 'IOM and partners met in Geneva today.'],
      [
        'The well-being of migrants - a priority - was discussed.',
        null,
        'The well-being of migrants - a priority - was discussed.',
      ],
    ])('reads %j as country %j', (paragraph, country, rest) => {
      const record = parse(page('A Title', paragraph, 'Second paragraph.'));
      expect(record.country).toBe(country);
      expect(record.paragraphs[0]).toBe(rest);
    });
  });

  describe('titles', () => {
    it('joins a title hard-wrapped onto a lower-case second line', () => {
      const record = parse(
        page(
          'IOM Opens New Migrant Resource Centre',
          'in the Capital of Ghana',
          'Ghana - The centre opened.',
        ),
      );
      expect(record.title).toBe('IOM Opens New Migrant Resource Centre in the Capital of Ghana');
      expect(record.country).toBe('Ghana');
    });

    it('does not join a title with a dateline paragraph or a capitalised line', () => {
      expect(parse(page('Title Here', 'Nepal - Text of the page.')).title).toBe('Title Here');
      expect(parse(page('Title Here', 'The first paragraph.')).title).toBe('Title Here');
    });
  });

  describe('contacts', () => {
    it('splits a block holding several people, with honorifics, extensions and Mobile numbers', () => {
      const record = parse(
        page(
          'Title',
          'Kenya - Text.',
          'For further information please contact:',
          'Ms. Amina Otieno',
          'IOM Nairobi',
          'Tel: +254 20 4221 000 Ext. 1234',
          'Mobile: +254 722 000 111',
          'Email: aotieno@iom.int',
          'or',
          'Dr. José Müller',
          'IOM Geneva',
          'Tel. +41 22 717 9111',
          'E-mail: jmuller@iom.int',
        ),
      );
      expect(record.contacts).toEqual([
        {
          name: 'Amina Otieno',
          office: 'IOM Nairobi',
          phones: ['+254 20 4221 000 Ext. 1234', '+254 722 000 111'],
          email: 'aotieno@iom.int',
        },
        { name: 'José Müller', office: 'IOM Geneva', phones: ['+41 22 717 9111'], email: 'jmuller@iom.int' },
      ]);
      expect(record.paragraphs).toEqual(['Text.']);
    });

    it('repairs a mangled mailto link on the line after "E-mail:"', () => {
      const record = parse(
        page(
          'Title',
          'Text.',
          'For more information, please contact',
          'Mr. Jian Zhao',
          'IOM Geneva',
          'E-mail:',
          '"mailto:Genevajzhao@iom.int">jzhao@iom.int',
        ),
      );
      expect(record.contacts).toEqual([
        { name: 'Jian Zhao', office: 'IOM Geneva', phones: [], email: 'jzhao@iom.int' },
      ]);
    });

    it('reads "Name, Office" and two phones on one line, and a contact without e-mail', () => {
      const record = parse(
        page(
          'Title',
          'Text.',
          'For more information, please contact',
          'Leonard Doyle, IOM Geneva, Tel: +41 22 717 9589, Mobile: +41 79 285 7123',
        ),
      );
      expect(record.contacts).toEqual([
        {
          name: 'Leonard Doyle',
          office: 'IOM Geneva',
          phones: ['+41 22 717 9589', '+41 79 285 7123'],
          email: null,
        },
      ]);
    });

    it('gives null e-mail when the address cannot be repaired', () => {
      const record = parse(
        page('Title', 'Text.', 'For more information, please contact', 'Ana Lima', 'Email: not-an-address'),
      );
      expect(record.contacts).toEqual([{ name: 'Ana Lima', office: null, phones: [], email: null }]);
    });

    it('gives no contacts and keeps every paragraph when there is no contact block', () => {
      const record = parse(page('Title', 'One.', 'Two.'));
      expect(record.contacts).toEqual([]);
      expect(record.paragraphs).toEqual(['One.', 'Two.']);
    });
  });

  describe('project fields', () => {
    it('reads several member states, a budget with commas, a missing End Date and unknown labels', () => {
      const record = parse(
        page(
          'Strengthening Border Management in West Africa',
          ...fields({
            'Start Date': '2019-03-01',
            'Project Status': 'Active',
            'Project Type': 'Immigration and Border Management',
            'Budget Amount (USD)': '1,250,000.00',
            Coverage: 'Regional',
            Year: '2019',
            'IDF Region': 'West and Central Africa',
            'Prima ID': 'SN10P0123',
            'Projects ID': 'PO.0200',
            'Benefiting Member States': 'Senegal, Mali, Niger',
            Donor: 'European Union',
          }),
          'The project supports border agencies.',
        ),
      );
      expect(record.kind).toBe('project');
      expect(record.country).toBe('Senegal');
      expect(record.project).toMatchObject({
        startDate: '2019-03-01',
        endDate: null,
        budgetUsd: 1250000,
        year: 2019,
        memberStates: ['Senegal', 'Mali', 'Niger'],
        extra: { Donor: 'European Union' },
      });
      expect(record.paragraphs).toEqual(['The project supports border agencies.']);
    });

    it.each([
      ['100000.00', 100000],
      ['1,250,000.00', 1250000],
      ['2500000', 2500000],
      ['USD 75,000', 75000],
    ])('parses the budget %j as %d', (value, expected) => {
      const record = parse(page('P', ...fields({ 'Budget Amount (USD)': value }), 'Text.'));
      expect(record.project?.budgetUsd).toBe(expected);
    });

    it('keeps a budget that is not a number in extra instead of losing it', () => {
      const record = parse(
        page('P', ...fields({ 'Budget Amount (USD)': 'to be confirmed', Year: '2020' }), 'Text.'),
      );
      expect(record.project?.budgetUsd).toBeNull();
      expect(record.project?.extra).toEqual({ 'Budget Amount (USD)': 'to be confirmed' });
    });
  });

  describe('bad input', () => {
    it.each([
      ['only navigation', NAVIGATION, 'only site navigation, no content'],
      ['navigation and blank lines', `${NAVIGATION}\n\n  \n`, 'only site navigation, no content'],
      [
        'a paragraph where the title should be',
        page('Nepal - The floods displaced thousands.', 'More text.'),
        'no title: the first line after the site navigation is a paragraph',
      ],
      [
        'project fields where the title should be',
        page(...fields({ 'Start Date': '2017' })),
        'no title: the page starts with project fields',
      ],
      [
        'a contact block where the title should be',
        page('For more information, please contact', 'Ana Lima'),
        'no title: the page starts with its contact block',
      ],
    ])('refuses %s', (_what, text, reason) => {
      expect(parseDocument({ id: 'bad', source: 'raw/bad.txt', text, contentHash: FAKE_HASH })).toEqual({
        ok: false,
        error: reason,
      });
    });
  });
});
