import { beforeAll, describe, expect, it } from 'vitest';
import { ProjectCatalog } from '../../src/core/projects.js';
import type { DocumentRecord, RecordMeta } from '../../src/core/record.js';
import { ids, project, shippedDocuments } from './search/fixtures.js';

let catalog: ProjectCatalog;
const extra = [
  project('p1', {
    title: 'Health Screening for Migrants',
    primaId: 'KE10P0001',
    projectId: 'PO.0001',
    year: 2015,
    budgetUsd: 250_000,
    status: 'Active',
    region: 'East and Horn of Africa',
    memberStates: ['Kenya', 'Somalia'],
  }),
  project('p2', {
    title: 'Border Management Training',
    primaId: 'PE10P0002',
    projectId: 'PO.0002',
    year: 2020,
    budgetUsd: null,
    status: 'Completed',
    region: 'South America',
    memberStates: ['Peru'],
  }),
  project('p3', {
    title: 'Migrant Health Data',
    primaId: null,
    projectId: 'PO.0003',
    year: null,
    budgetUsd: 10_000,
    status: 'Active',
    region: 'Asia and Oceania',
    memberStates: ['Fiji'],
  }),
];
beforeAll(async () => {
  const shipped: DocumentRecord[] = await shippedDocuments();
  catalog = new ProjectCatalog([...shipped, ...extra]);
});

const idsOf = (records: readonly RecordMeta[]) => records.map((r) => r.id);

describe('projects', () => {
  describe('ProjectCatalog.find', () => {
    it.each(['CN10P0002', 'cn10p0002', ' PO.0105 ', 'po.0105'])(
      'finds the shipped project by id %j',
      (id) => {
        expect(idsOf(catalog.find(id))).toEqual([ids.project]);
      },
    );

    it('finds projects by title words, stemmed, the last one as a prefix', () => {
      expect(idsOf(catalog.find('global migration debate'))).toEqual([ids.project]);
      expect(idsOf(catalog.find('migrant health'))).toEqual(['p1', 'p3']); // by title
      expect(idsOf(catalog.find('health scr'))).toEqual(['p1']);
    });

    it('finds nothing for unknown ids or words, or no words', () => {
      expect(catalog.find('XX00P0000')).toEqual([]);
      expect(catalog.find('the of')).toEqual([]);
    });
  });

  describe('ProjectCatalog.list', () => {
    it('lists every project, newest year first, missing years last', () => {
      expect(idsOf(catalog.list())).toEqual(['p2', ids.project, 'p1', 'p3']);
    });

    it.each([
      [{ status: 'active' }, ['p1', 'p3']],
      [{ status: 'COMPLETED' }, ['p2', ids.project]],
      [{ region: 'asia' }, [ids.project, 'p3']],
      [{ year: 2015 }, ['p1']],
      [{ memberState: 'somalia' }, ['p1']],
      [{ memberState: 'Nowhere' }, []],
    ])('filters with %j', (filters, expected) => {
      expect(idsOf(catalog.list(filters))).toEqual(expected);
    });

    it('sorts by budget (largest first, missing last), ascending on request, and by title', () => {
      expect(idsOf(catalog.list({ sort: 'budget' }))).toEqual(['p1', ids.project, 'p3', 'p2']);
      expect(idsOf(catalog.list({ sort: 'budget', order: 'asc' }))).toEqual(['p3', ids.project, 'p1', 'p2']);
      expect(idsOf(catalog.list({ sort: 'title' }))).toEqual(['p2', 'p1', 'p3', ids.project]);
    });

    it('counts only project pages', () => {
      expect(catalog.size).toBe(4);
    });
  });
});
