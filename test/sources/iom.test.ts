import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/parse/parseDocument.js';
import { itemToRecord } from '../../src/core/sources/itemRecord.js';
import {
  iomListingUrl,
  parseIomDate,
  parseIomListing,
  parseIomPage,
} from '../../src/sources/connectors/iom.js';
import { FAKE_HASH, SHIPPED_RAW } from '../fixtures/pages.js';
import { webFixture } from './webFixtures.js';

const LISTING = 'https://www.iom.int/search?type[2]=press_release&created=All&sort_bef_combine=created_DESC';
const RELEASE_URL = 'https://www.iom.int/news/director-general-discusses-migration-governance-china';

describe('iom connector', () => {
  describe('iomListingUrl', () => {
    it('adds &page=N after the first page', () => {
      expect(iomListingUrl(LISTING, 0)).toBe(LISTING);
      expect(iomListingUrl(LISTING, 2)).toBe(`${LISTING}&page=2`);
    });
  });

  describe('parseIomListing', () => {
    it('reads each card: link resolved and canonical, title, tag, date', () => {
      const cards = parseIomListing(webFixture('iom-listing-page0.html'), `${LISTING}&page=0`);
      expect(cards).toEqual([
        {
          url: RELEASE_URL,
          title: 'Director General Discusses Migration Governance in China',
          tag: 'Press Release',
          publishedAt: '2014-05-23T00:00:00.000Z',
        },
        {
          url: 'https://www.iom.int/news/iom-supports-returnees-yemen',
          title: 'IOM Supports Returnees in Yemen',
          tag: 'Press Release',
          publishedAt: '2014-05-20T00:00:00.000Z',
        },
        {
          url: 'https://www.iom.int/project/capacity-building-migration-management-china',
          title: 'Capacity Building for Migration Management in China',
          tag: 'Project',
          publishedAt: '2014-05-15T00:00:00.000Z',
        },
      ]);
    });

    it('keeps a card without a date (null) and reads month-first dates; an empty page has no cards', () => {
      const cards = parseIomListing(webFixture('iom-listing-page1.html'), `${LISTING}&page=1`);
      expect(cards.map((c) => c.publishedAt)).toEqual(['2013-06-11T00:00:00.000Z', null]);
      expect(parseIomListing(webFixture('iom-listing-page2.html'), LISTING)).toEqual([]);
    });
  });

  describe('parseIomDate', () => {
    it.each([
      ['23 May 2014', '2014-05-23T00:00:00.000Z'],
      ['June 11, 2013', '2013-06-11T00:00:00.000Z'],
      ['31 Feb 2014', null],
      ['soon', null],
    ])('%s -> %s', (text, iso) => expect(parseIomDate(text)).toBe(iso));
  });

  describe('parseIomPage', () => {
    it('gives a fetched press release the same record as the scraped file of the same release', () => {
      const page = parseIomPage(webFixture('iom-press-release.html'), RELEASE_URL);
      expect(page?.kind).toBe('press-release');
      const fetched = itemToRecord({
        sourceId: 'iom-press',
        guid: null,
        url: RELEASE_URL,
        alternateUrls: [],
        title: page?.title ?? '',
        publishedAt: '2014-05-23T00:00:00.000Z',
        updatedAt: null,
        summary: null,
        text: page?.text ?? '',
        tag: 'Press Release',
        country: null,
      });
      const file = '000_1e0d9a2d3cac57c3.txt';
      const scraped = parseDocument({
        id: '000_1e0d9a2d3cac57c3',
        source: `raw/${file}`,
        text: readFileSync(path.join(SHIPPED_RAW, file), 'utf8'),
        contentHash: FAKE_HASH,
      });
      expect(fetched.ok && scraped.ok).toBe(true);
      if (!fetched.ok || !scraped.ok) return;
      const pick = ({ kind, title, country, paragraphs, contacts, project }: typeof scraped.value) => ({
        kind,
        title,
        country,
        paragraphs,
        contacts,
        project,
      });
      expect(pick(fetched.value)).toEqual(pick(scraped.value));
      expect(scraped.value.contacts).toHaveLength(1);
      expect(fetched.value).toMatchObject({
        url: RELEASE_URL,
        sourceId: 'iom-press',
        publishedAt: '2014-05-23T00:00:00.000Z',
      });
    });

    it('never lets script, style, noscript, iframe or template content into the text', () => {
      const text = parseIomPage(webFixture('iom-press-release.html'), RELEASE_URL)?.text ?? '';
      for (const marker of [
        'SCRIPT-IN-HEAD',
        'SCRIPT-IN-BODY',
        'STYLE',
        'NOSCRIPT-TEXT',
        'IFRAME-TEXT',
        'TEMPLATE-TEXT',
      ]) {
        expect(text).not.toContain(marker);
      }
    });

    it('reads a project page into the label/value fields the parser knows', () => {
      const url = 'https://www.iom.int/project/capacity-building-migration-management-china';
      const page = parseIomPage(webFixture('iom-project.html'), url);
      expect(page?.kind).toBe('project');
      const record = itemToRecord({
        sourceId: 'iom-press',
        guid: null,
        url,
        alternateUrls: [],
        title: page?.title ?? '',
        publishedAt: null,
        updatedAt: null,
        summary: null,
        text: page?.text ?? '',
        tag: 'Project',
        country: null,
      });
      expect(record.ok).toBe(true);
      if (!record.ok) return;
      expect(record.value.kind).toBe('project');
      expect(record.value.title).toBe('Capacity Building for Migration Management in China');
      expect(record.value.project).toMatchObject({
        status: 'Completed',
        budgetUsd: 2500000,
        primaId: 'CN10P0002',
        memberStates: ['China'],
      });
      expect(record.value.country).toBe('China');
    });
  });
});
