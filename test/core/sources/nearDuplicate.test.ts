import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/parse/parseDocument.js';
import { canonicalUrl } from '../../../src/core/sources/canonicalUrl.js';
import {
  distinctBy,
  sameSiteOtherUrl,
  titleConflict,
  titleMarkers,
  type DocumentIdentity,
} from '../../../src/core/sources/distinctDocuments.js';
import {
  NEAR_DUPLICATE_THRESHOLD,
  fingerprintText,
  findNearDuplicate,
  isNearDuplicate,
  similarity,
} from '../../../src/core/sources/nearDuplicate.js';
import { sanitizeLine, sanitizeText } from '../../../src/core/sources/sanitizeText.js';
import { itemToRecord } from '../../../src/core/sources/itemRecord.js';
import { parseFeedItems } from '../../../src/sources/connectors/feed.js';
import { parseIomPage } from '../../../src/sources/connectors/iom.js';
import { parseReliefWebAnswer } from '../../../src/sources/connectors/reliefweb.js';
import { FAKE_HASH, SHIPPED_RAW } from '../../fixtures/pages.js';
import { webFixture } from '../../sources/webFixtures.js';

/** The shipped pages' bodies (paragraphs joined), the base of the same-story variations. */
const shipped = readdirSync(SHIPPED_RAW)
  .sort()
  .map((file) => {
    const r = parseDocument({
      id: file,
      source: file,
      text: readFileSync(path.join(SHIPPED_RAW, file), 'utf8'),
      contentHash: FAKE_HASH,
    });
    if (!r.ok) throw new Error(r.error);
    return { title: r.value.title, body: r.value.paragraphs.join('\n') };
  });

const BOILERPLATE =
  'IOM, the UN Migration Agency, works with governments and partners to ensure humane and orderly migration for the benefit of all.';
/** Invented releases on the same themes, with shared boilerplate, to tempt false merges. */
const INVENTED = [
  'Geneva – IOM today launched an appeal for USD 50 million to assist displaced families in the Sahel, where conflict and drought have forced more than two million people from their homes. The funds will provide shelter, water and health care over twelve months.',
  'Geneva – IOM today launched an appeal for USD 30 million to assist displaced families in Mozambique after Cyclone Freddy destroyed thousands of homes in Zambezia province. The appeal covers shelter kits, clean water and protection services for six months.',
  'Rome – Some 300 migrants reached the island of Lampedusa on Tuesday after crossing from Libya, the coast guard said. Volunteers distributed water and blankets while the reception centre exceeded its capacity for the third time this month.',
  'Athens – More than 120 people were rescued off the island of Lesvos on Sunday after their dinghy began taking on water. The Hellenic Coast Guard said all passengers were brought safely ashore and received first aid.',
  'Dhaka – Heavy monsoon rains have damaged shelters in the Rohingya camps of Cox’s Bazar, IOM said on Friday. Teams are repairing roofs and drainage and relocating families from landslide-prone slopes.',
  'Kabul – IOM assisted 4,500 returnees from Iran at the Islam Qala border crossing last week, providing food, cash and onward transport. Returns have increased sharply since the start of the year.',
  'Panama City – Record numbers of migrants crossed the Darién jungle in the first half of the year, IOM said, warning of the dangers of the route, including river crossings, criminal groups and lack of medical care.',
  'Tripoli – IOM’s Voluntary Humanitarian Return programme helped 160 stranded migrants return home to Nigeria on a charter flight on Thursday. Each returnee received a reintegration package on arrival in Lagos.',
];

/** Same story: the same words with another outlet's edits. */
const SAME_STORY_VARIANTS: Array<[string, (text: string) => string]> = [
  ['identical', (t) => t],
  ['boilerplate added', (t) => `${t}\n${BOILERPLATE}\nPhoto: IOM 2025. All rights reserved.`],
  ['last paragraph dropped', (t) => t.split('\n').slice(0, -1).join('\n') || t],
  [
    'typography changed',
    (t) => t.replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/ – /g, ' - ').toUpperCase(),
  ],
  [
    'one sentence reworded',
    (t) => t.replace(/\.\s/, '. In a statement on Monday, officials confirmed the figures. '),
  ],
];

interface Pair {
  readonly name: string;
  readonly a: string;
  readonly b: string;
  readonly same: boolean;
}

function buildPairs(): Pair[] {
  const pairs: Pair[] = [];
  const bases = [...shipped.map((s) => s.body), ...INVENTED.map((t) => t.replace(/\. /g, '.\n'))];
  bases.forEach((base, i) => {
    for (const [variant, edit] of SAME_STORY_VARIANTS)
      pairs.push({ name: `base ${i} / ${variant}`, a: base, b: edit(base), same: true });
  });
  for (let i = 0; i < bases.length; i++) {
    for (let j = i + 1; j < bases.length; j++) {
      pairs.push({
        name: `base ${i} vs base ${j} + boilerplate`,
        a: `${bases[i] ?? ''}\n${BOILERPLATE}`,
        b: `${bases[j] ?? ''}\n${BOILERPLATE}`,
        same: false,
      });
    }
  }
  return pairs;
}

describe('nearDuplicate', () => {
  it('measures false merges and missed merges on the fixture pairs at the shipped threshold', () => {
    const pairs = buildPairs();
    let falseMerges = 0;
    let missedMerges = 0;
    let lowestSame = 1;
    let highestDifferent = 0;
    for (const pair of pairs) {
      const a = fingerprintText(pair.a);
      const b = fingerprintText(pair.b);
      const merged = isNearDuplicate(a, b);
      const s = similarity(a, b);
      if (pair.same) lowestSame = Math.min(lowestSame, s);
      else highestDifferent = Math.max(highestDifferent, s);
      if (merged && !pair.same) falseMerges++;
      if (!merged && pair.same) missedMerges++;
    }
    const same = pairs.filter((p) => p.same).length;
    // The figures the issue asks for, printed with every run.
    console.log(
      `near-duplicate @ ${NEAR_DUPLICATE_THRESHOLD}: ${same} same-story pairs, ${pairs.length - same} different-story pairs; ` +
        `false merges ${falseMerges}, missed merges ${missedMerges}; lowest same ${lowestSame.toFixed(2)}, highest different ${highestDifferent.toFixed(2)}`,
    );
    expect(same).toBeGreaterThanOrEqual(20);
    expect(pairs.length - same).toBeGreaterThanOrEqual(20);
    expect(falseMerges).toBe(0);
    expect(missedMerges).toBe(0);
  });

  it('never merges texts too short to judge, even identical ones', () => {
    const title = fingerprintText('IOM Supports Returnees in Yemen');
    expect(similarity(title, title)).toBe(1);
    expect(isNearDuplicate(title, title)).toBe(false);
  });

  it('is deterministic: the same text gives the same signature', () => {
    expect(fingerprintText(INVENTED[0] ?? '')).toEqual(fingerprintText(INVENTED[0] ?? ''));
  });
});

describe('the same release through two ways in', () => {
  it('matches the IOM page and its ReliefWeb copy as one document (near-identical text)', () => {
    const iomUrl = 'https://www.iom.int/news/director-general-discusses-migration-governance-china';
    const page = parseIomPage(webFixture('iom-press-release.html'), iomUrl);
    const answer = parseReliefWebAnswer(webFixture('reliefweb-page1.json'), 'reliefweb-iom');
    if (!page || !answer.ok) throw new Error('fixtures did not parse');
    const copy = answer.value.items[0];
    if (!copy) throw new Error('no ReliefWeb item');
    const iomRecord = itemToRecord({
      sourceId: 'iom-press',
      guid: null,
      url: iomUrl,
      alternateUrls: [],
      title: page.title,
      publishedAt: null,
      updatedAt: null,
      summary: null,
      text: page.text,
      tag: null,
      country: null,
    });
    const rwRecord = itemToRecord(copy);
    if (!iomRecord.ok || !rwRecord.ok) throw new Error('records did not build');
    expect(canonicalUrl(iomRecord.value.url ?? '')).not.toBe(rwRecord.value.url);
    const identity = (r: typeof iomRecord.value): DocumentIdentity => ({
      urls: r.urls ?? [],
      title: r.title,
    });
    const known = [
      {
        id: iomRecord.value.id,
        fingerprint: fingerprintText(iomRecord.value.paragraphs.join('\n')),
        identity: identity(iomRecord.value),
      },
    ];
    const match = findNearDuplicate(fingerprintText(rwRecord.value.paragraphs.join('\n')), known, {
      identity: identity(rwRecord.value),
    });
    expect(match?.id).toBe(iomRecord.value.id);
    // Two publishers, one title: nothing tells them apart.
    expect(distinctBy(identity(rwRecord.value), identity(iomRecord.value))).toBeNull();
    expect(rwRecord.value.contacts).toEqual(iomRecord.value.contacts);
  });

  it.each([
    'http://www.iom.int/news/director-general-discusses-migration-governance-china',
    'https://www.iom.int/news/director-general-discusses-migration-governance-china/',
    'https://WWW.IOM.INT:443/news/director-general-discusses-migration-governance-china?utm_source=x&fbclid=1#top',
    'https://www.iom.int/news/director-general-discusses-migration-governance-china?gclid=9&mc_cid=2&utm_medium=email',
  ])('gives %s the same canonical URL and document id', (url) => {
    const canonical = 'https://www.iom.int/news/director-general-discusses-migration-governance-china';
    expect(canonicalUrl(url)).toBe(canonical);
    const item = {
      sourceId: 'iom-press',
      guid: null,
      alternateUrls: [],
      title: 'T',
      publishedAt: null,
      updatedAt: null,
      summary: null,
      text: 'x',
      tag: null,
      country: null,
    };
    const a = itemToRecord({ ...item, url });
    const b = itemToRecord({ ...item, url: canonical });
    expect(a.ok && b.ok && a.value.id === b.value.id).toBe(true);
  });
});

describe('canonicalUrl', () => {
  it.each([
    ['https://x.org/a?b=2&a=1', 'https://x.org/a?a=1&b=2'],
    ['https://x.org/', 'https://x.org/'],
    ['http://x.org:8080/a/', 'https://x.org:8080/a'],
    ['javascript:alert(1)', null],
    ['not a url', null],
  ])('%s -> %s', (raw, canonical) => expect(canonicalUrl(raw)).toBe(canonical));

  it('resolves relative links against a base', () => {
    expect(canonicalUrl('/news/a', 'https://www.iom.int/search?page=1')).toBe('https://www.iom.int/news/a');
  });
});

describe('sanitizeText', () => {
  it('removes zero-width and bidi controls and normalizes white space, without un-escaping', () => {
    expect(sanitizeLine('@every\u200Bone  <@123>\u202E \\*x\\* [a](http://e)\uFEFF\n')).toBe(
      '@everyone <@123> \\*x\\* [a](http://e)',
    );
    expect(sanitizeText('a\u00A0 b\r\n\r\n\r\n\u2066c\u2069 ')).toBe('a b\n\nc');
  });
});

/** An item of a real GDACS feed (test/fixtures/web/gdacs, see its README), as the fetcher stores it. */
interface GdacsDocument {
  readonly feed: string;
  readonly link: string;
  readonly title: string;
  readonly fingerprint: ReturnType<typeof fingerprintText>;
  readonly identity: DocumentIdentity;
}
function gdacsDocuments(file: string, feed: string): GdacsDocument[] {
  const parsed = parseFeedItems(webFixture(`gdacs/${file}`), feed, 'http://www.gdacs.org/rss.aspx');
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value.map((item) => {
    const record = itemToRecord(item);
    if (!record.ok) throw new Error(record.error);
    const urls = record.value.urls ?? [];
    return {
      feed,
      link: urls[0] ?? '',
      title: record.value.title,
      fingerprint: fingerprintText(record.value.paragraphs.join('\n')),
      identity: { urls, title: record.value.title },
    };
  });
}

describe('distinctDocuments', () => {
  describe('titleMarkers', () => {
    it.each([
      [
        'Orange alert for tropical cyclone PHAILIN-13. Population affected by Category 1 (120 km/h) wind speeds or higher is 5.1 million.',
        // "Population" starts a sentence: a capital there names nothing.
        ['phailin-13', 'category', '1', '120', '5.1'],
      ],
      ['Orange flood alert in India', ['india']],
      ['IOM Supports Returnees in Yemen', ['iom']],
      ['Yemen: IOM helps 4,500 returnees in May', ['iom', '4500', 'may']],
      ['Flooding may worsen, officials say', []],
    ])('%s -> %j', (title, markers) => expect([...titleMarkers(title)]).toEqual(markers));
  });

  describe('titleConflict', () => {
    it.each([
      ['Orange alert for tropical cyclone PHAILIN-13', 'Orange alert for tropical cyclone LEHAR-13', true],
      ['Orange flood alert in India', 'Orange flood alert in Pakistan', true],
      [
        'Red earthquake alert (Magnitude 6.7M) in India',
        'Red earthquake alert (Magnitude 5.9M) in India',
        true,
      ],
      // A copy that adds a date or drops a name names nothing else.
      ['IOM Supports Returnees in Yemen', 'Yemen: IOM supports returnees (12 May 2025)', false],
      [
        'Director General Discusses Migration Governance in China',
        'IOM chief discusses migration governance in China',
        false,
      ],
      ['IOM helps 4,500 returnees', 'IOM helps 4500 returnees', false],
    ])('%s / %s -> %s', (a, b, conflict) => expect(titleConflict(a, b) !== null).toBe(conflict));
  });

  describe('sameSiteOtherUrl', () => {
    const at = (...urls: string[]): DocumentIdentity => ({ urls, title: 'T' });
    it.each([
      [
        at('https://www.gdacs.org/report.aspx?eventid=1'),
        at('https://gdacs.org/report.aspx?eventid=2'),
        'gdacs.org',
      ],
      [at('https://www.iom.int/news/a'), at('https://reliefweb.int/report/a'), null],
      [
        at('https://www.iom.int/news/a', 'https://reliefweb.int/r/a'),
        at('https://reliefweb.int/r/b'),
        'reliefweb.int',
      ],
      [at('https://www.iom.int/news/a', 'https://reliefweb.int/r/a'), at('https://reliefweb.int/r/a'), null],
      [at(), at('https://reliefweb.int/r/b'), null],
    ])('%j / %j -> %s', (a, b, site) => expect(sameSiteOtherUrl(a, b)).toBe(site));
  });
});

describe('near-duplicates in templated feeds (real GDACS feeds, 2016)', () => {
  const orange = gdacsDocuments('orange-alerts-2012-2016.xml', 'gdacs-orange');
  const india = gdacsDocuments('india-orange-alerts-2012-2016.xml', 'gdacs-india');

  /** Every pair across the two feeds, labelled by the publisher's link: one event or two. */
  function measure(decide: (a: GdacsDocument, b: GdacsDocument) => boolean) {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    for (const a of india) {
      for (const b of orange) {
        const same = a.link === b.link;
        const merged = decide(a, b);
        if (merged && same) truePositives++;
        else if (merged) falsePositives++;
        else if (same) falseNegatives++;
      }
    }
    return {
      truePositives,
      falsePositives,
      falseNegatives,
      precision: truePositives / (truePositives + falsePositives),
      recall: truePositives / (truePositives + falseNegatives),
    };
  }
  const textOnly = (a: GdacsDocument, b: GdacsDocument) => isNearDuplicate(a.fingerprint, b.fingerprint);

  it('reads the feeds whole: 123 items, 11 India items with a link in the orange feed too', () => {
    expect(orange).toHaveLength(100);
    expect(india).toHaveLength(23);
    expect(india.filter((a) => orange.some((b) => b.link === a.link))).toHaveLength(11);
  });

  it('merges templated alerts of other cyclones on text alone (the defect this guards against)', () => {
    const phailin = india.find((d) => d.title.includes('PHAILIN-13'));
    if (!phailin) throw new Error('no PHAILIN-13 alert');
    const lookalikes = orange.filter((d) => textOnly(phailin, d) && d.link !== phailin.link);
    expect(lookalikes.map((d) => d.title).join(' | ')).toMatch(/cyclone [A-Z]+-13/);
  });

  it('keeps every distinct alert apart and every shared one merged, with the titles alone and with the sites', () => {
    const withTitles = (a: GdacsDocument, b: GdacsDocument) =>
      textOnly(a, b) && titleConflict(a.title, b.title) === null;
    const withIdentity = (a: GdacsDocument, b: GdacsDocument) =>
      findNearDuplicate(a.fingerprint, [{ id: b.link, ...b }], { identity: a.identity }) !== null;
    const figures = {
      textOnly: measure(textOnly),
      withTitles: measure(withTitles),
      withIdentity: measure(withIdentity),
    };
    for (const [name, f] of Object.entries(figures))
      console.log(
        `GDACS pairs (${india.length} x ${orange.length}), ${name}: precision ${f.precision.toFixed(3)}, recall ${f.recall.toFixed(3)} ` +
          `(${f.truePositives} merged right, ${f.falsePositives} false merges, ${f.falseNegatives} missed)`,
      );
    expect(figures.textOnly.falsePositives).toBeGreaterThan(0);
    expect(figures.withTitles.falsePositives).toBe(0);
    expect(figures.withIdentity).toMatchObject({ falsePositives: 0, precision: 1 });
    expect(figures.withIdentity.recall).toBe(figures.textOnly.recall);
  });
});
