import { createHash } from 'node:crypto';
import type { DocumentRecord, ProjectFields } from '../../../src/core/record.js';
import type { Snippet } from '../../../src/core/search/snippet.js';
import { loadCorpus } from '../../../src/ingest/loadCorpus.js';
import { SHIPPED_RAW } from '../../fixtures/pages.js';
import path from 'node:path';
import { mulberry32 as rng } from '../../../src/util/random.js';

/** The five shipped pages, parsed by the real pipeline. */
export async function shippedDocuments(): Promise<DocumentRecord[]> {
  const { documents, errors } = await loadCorpus(path.dirname(SHIPPED_RAW));
  if (errors.length > 0) throw new Error(`shipped pages failed to parse: ${JSON.stringify(errors)}`);
  return documents;
}

/** A snippet with its highlights marked `[like this]`, for readable expectations; checks the ranges. */
export function marked(snippet: Snippet): string {
  let out = '';
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    if (start < at || end <= start || end > snippet.text.length)
      throw new Error(`bad range [${start}, ${end})`);
    out += `${snippet.text.slice(at, start)}[${snippet.text.slice(start, end)}]`;
    at = end;
  }
  return out + snippet.text.slice(at);
}

export const ids = {
  governance: '000_1e0d9a2d3cac57c3',
  seminarEu: '001_8879b2f42bfd0150',
  agreement: '002_6920415c55e1d6e5',
  seminarImmigration: '003_bfb7b29f8f6badf6',
  project: '004_b8327546129996ab',
} as const;

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

/** A hand-built article record; `contentHash` follows the content so edits change it. */
export function article(id: string, fields: Partial<DocumentRecord> = {}): DocumentRecord {
  const base: Omit<DocumentRecord, 'contentHash'> = {
    id,
    kind: 'article',
    title: fields.title ?? `Article ${id}`,
    country: fields.country === undefined ? 'Kenya' : fields.country,
    paragraphs: fields.paragraphs ?? ['IOM helps displaced families in Nairobi.'],
    contacts: fields.contacts ?? [],
    project: null,
    source: `raw/${id}.txt`,
  };
  return {
    ...base,
    ...fields,
    contentHash: fields.contentHash ?? hash(JSON.stringify({ ...base, ...fields })),
  };
}

/** A hand-built project record. */
export function project(
  id: string,
  fields: Partial<ProjectFields> & { title?: string; country?: string } = {},
): DocumentRecord {
  const { title, country, ...projectFields } = fields;
  const p: ProjectFields = {
    startDate: '2019',
    endDate: '2021',
    status: 'Active',
    type: 'Migration Health',
    budgetUsd: 50_000,
    coverage: 'National',
    year: 2019,
    region: 'East and Horn of Africa',
    primaId: null,
    projectId: null,
    memberStates: [country ?? 'Kenya'],
    extra: {},
    ...projectFields,
  };
  const base = {
    id,
    kind: 'project' as const,
    title: title ?? `Project ${id}`,
    country: country ?? 'Kenya',
    paragraphs: ['The project strengthens health screening at borders.'],
    contacts: [],
    project: p,
    source: `raw/${id}.txt`,
  };
  return { ...base, contentHash: hash(JSON.stringify(base)) };
}

const COUNTRIES = ['Kenya', 'Niger', 'Nigeria', 'Peru', 'Chile', 'Italy', 'Yemen', 'Fiji'];
const TOPICS = [
  'flood',
  'drought',
  'returnees',
  'shelter',
  'screening',
  'remittances',
  'hotline',
  'passport',
];
const NAMES = ['Amina', 'Bjørn', 'Chloé', 'Dmitri', 'Esra', 'Farah', 'Goran', 'Hana'];

/**
 * `count` deterministic in-memory records (every 10th a project), for pagination and autocomplete
 * limits at some scale. Every record mentions "migration"; topic k appears in records with
 * index % 8 === k.
 */
export function syntheticRecords(count: number, seed = 7): DocumentRecord[] {
  const next = rng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const records: DocumentRecord[] = [];
  for (let i = 0; i < count; i++) {
    const id = `s${String(i).padStart(5, '0')}_${hash(String(i)).slice(0, 8)}`;
    const topic = TOPICS[i % TOPICS.length]!;
    const country = COUNTRIES[i % COUNTRIES.length]!;
    const person = `${pick(NAMES)} Synth${i % 50}`;
    if (i % 10 === 9) {
      records.push(
        project(id, {
          title: `Migration ${topic} project number ${i} in ${country}`,
          country,
          primaId: `SY${String(i).padStart(2, '0')}P${String(i).padStart(4, '0')}`,
          projectId: `PR.${String(i).padStart(4, '0')}`,
          year: 2010 + (i % 10),
          budgetUsd: (i % 13) * 10_000,
          status: i % 20 === 19 ? 'Completed' : 'Active',
        }),
      );
    } else {
      records.push(
        article(id, {
          title: `Migration ${topic} update ${i} from ${country}`,
          country,
          paragraphs: [
            `IOM ${topic} work continues in ${country} with migration partners.`,
            `"We keep going," said IOM Chief of Mission ${person}.`,
          ],
          contacts: [{ name: person, office: `IOM ${country}`, phones: [], email: null }],
        }),
      );
    }
  }
  return records;
}
