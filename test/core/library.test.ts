import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { createLibrary, Library, type TextSource } from '../../src/core/library.js';
import type { DocumentRecord } from '../../src/core/record.js';
import { MAX_SNIPPET_LENGTH } from '../../src/core/search/snippet.js';
import { article, ids, marked, project, shippedDocuments, syntheticRecords } from './search/fixtures.js';
import { userError } from '../fixtures/userError.js';

let shipped: DocumentRecord[];
let library: Library;
beforeAll(async () => {
  shipped = await shippedDocuments();
  library = createLibrary(shipped);
});

const resultIds = (query: string, request = {}) => library.search(query, request).results.map((r) => r.id);

describe('Library', () => {
  describe('search on the shipped pages', () => {
    it('puts the agreement for an IOM presence in Beijing first for "beijing liaison office agreement"', () => {
      const page = library.search('beijing liaison office agreement');
      expect(page.results[0]?.id).toBe(ids.agreement);
      expect(page.matchedAll).toBe(true);
    });

    it.each(['Lijert', 'liljert', 'LILJERT', 'Pär Liljert', 'Par Liljert'])(
      'finds both Liljert pages for %s',
      (query) => {
        expect(resultIds(query).sort()).toEqual([ids.governance, ids.seminarImmigration]);
      },
    );

    it.each(['CN10P0002', 'cn10p0002', 'PO.0105'])('finds the project for its id %s', (query) => {
      expect(resultIds(query)).toEqual([ids.project]);
    });

    it('finds plural and singular alike ("migrants" matches "migrant")', () => {
      const page = library.search('migrants smuggling');
      expect(page.results.map((r) => r.id)).toEqual(
        expect.arrayContaining([ids.seminarEu, ids.seminarImmigration]),
      );
      const eu = page.results.find((r) => r.id === ids.seminarEu);
      expect(eu && marked(eu.snippet)).toContain('[migrant] [smuggling]');
    });

    it('treats the last word as a prefix, also when half typed past its stem', () => {
      expect(resultIds('agreement chin')).toContain(ids.agreement);
      expect(resultIds('beijin')).toHaveLength(4);
    });

    it('returns id, kind, title, country, score and a plain snippet of at most 200 characters with its highlights', () => {
      const [hit] = library.search('liaison office agreement').results;
      expect(hit).toEqual({
        id: ids.agreement,
        kind: 'article',
        title: 'Agreement with China Paves Way for IOM Presence in Beijing',
        country: null,
        language: 'en',
        score: expect.any(Number) as number,
        snippet: {
          text: 'IOM and China today signed an agreement on the establishment of a liaison office in the Chinese capital, Beijing.',
          highlights: [
            [30, 39],
            [66, 73],
            [74, 80],
          ],
        },
      });
      for (const r of library.search('migration').results) {
        expect(r.snippet.text.length).toBeLessThanOrEqual(MAX_SNIPPET_LENGTH);
      }
    });

    it('shows the press contact line as snippet when the match is only there', () => {
      const hit = library.search('liljert').results.find((r) => r.id === ids.governance);
      expect(hit && marked(hit.snippet)).toBe(
        'Press contact: Pär [Liljert], IOM Beijing, [pliljert]@iom.int',
      );
    });

    it('filters quoted phrases to documents containing them in order', () => {
      expect(resultIds('"liaison office"').sort()).toEqual([ids.seminarEu, ids.agreement].sort());
      expect(resultIds('"office liaison"')).toEqual([]);
    });

    it('falls back to any word, and says so, when no document has them all', () => {
      const page = library.search('liljert agreement');
      expect(page.matchedAll).toBe(false);
      expect(page.total).toBe(3);
      expect(page.note).toBe('No document has all the words; showing documents with some of them.');
    });

    it('suggests close words when nothing matches', () => {
      const page = library.search('chnia');
      expect(page.total).toBe(0);
      expect(page.suggestions[0]).toBe('china');
      expect(page.note).toContain('Did you mean "china"');
    });

    it.each([
      ['chnia <@123>', ['china <@123>']],
      ['<@123> <#456> @everyone chnia', ['<@123> <#456> @everyone china']],
      ['<@123>', []],
      ['chnia 123', ['china 123']],
      ['@chnia', []],
    ])(
      'corrects only words of letters outside markup in %j (never numbers or mentions)',
      (query, expected) => {
        expect(library.search(query).suggestions).toEqual(expected);
      },
    );

    it('gives an empty page without suggestions for a word far from everything', () => {
      const page = library.search('xylophone');
      expect(page).toMatchObject({
        total: 0,
        pages: 0,
        results: [],
        suggestions: [],
        note: 'Nothing found.',
      });
    });

    it.each([
      [{ kind: 'project' as const }, [ids.project]],
      [
        { kind: 'article' as const, country: 'china' },
        [ids.governance, ids.seminarEu, ids.seminarImmigration],
      ],
      [{ year: 2017 }, [ids.project]],
      [{ year: 2018 }, []],
      [{ status: 'completed' }, [ids.project]],
      [{ region: 'asia' }, [ids.project]],
      [{ region: 'africa' }, []],
    ])('filters with %j', (filters, expected) => {
      expect(resultIds('china', filters).sort()).toEqual(expected);
    });

    it('rejects bad queries with clear UserErrors, never other exceptions', () => {
      expect(userError(() => library.search('')).code).toBe('empty-query');
      expect(userError(() => library.search('?!. ,;')).code).toBe('empty-query');
      expect(userError(() => library.search('the of and')).code).toBe('empty-query');
      expect(userError(() => library.search('x'.repeat(1000))).message).toBe(
        'Query is 1000 characters; the limit is 500.',
      );
      expect(userError(() => library.search('china', { page: 0 })).message).toBe(
        'Page must be a whole number from 1; got 0.',
      );
    });

    it('never throws anything but UserError on odd input', () => {
      for (const query of [
        '"',
        '"""',
        '**',
        '\\',
        'a"b',
        '((((',
        '🙂 migration',
        'ÀÉÎ',
        'CN10P0002"',
        '0',
        '-',
      ]) {
        try {
          library.search(query);
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
        }
      }
    });
  });

  describe('matchIds', () => {
    it('lists every document with all the words, best first, without falling back', () => {
      expect(library.matchIds('beijing')).toHaveLength(4);
      expect(library.matchIds('liljert agreement')).toEqual([]);
      expect(library.matchIds('"liaison office"', { kind: 'article', country: 'China' })).toEqual([
        ids.seminarEu,
      ]);
      expect(userError(() => library.matchIds('')).code).toBe('empty-query');
    });
  });

  describe('search at scale (2,000 synthetic records)', () => {
    let big: Library;
    beforeAll(() => {
      big = createLibrary(syntheticRecords(2000));
    });

    it('paginates: totals, page counts, disjoint pages, last page shorter', () => {
      const first = big.search('flood', { pageSize: 25 });
      expect(first.total).toBe(250);
      expect(first.pages).toBe(10);
      expect(first.results).toHaveLength(25);
      const seen = new Set<string>();
      for (let page = 1; page <= first.pages; page++) {
        for (const hit of big.search('flood', { pageSize: 25, page }).results) seen.add(hit.id);
      }
      expect(seen.size).toBe(250);
      const last = big.search('flood', { pageSize: 30 - 7, page: 11 });
      expect(last.results).toHaveLength(250 - 23 * 10);
    });

    it('gives an empty page with a note past the last page', () => {
      const page = big.search('flood', { page: 99 });
      expect(page.results).toEqual([]);
      expect(page.total).toBe(250);
      expect(page.note).toBe('There are only 25 pages of results.');
    });

    it('scores in descending order across pages', () => {
      const one = big.search('migration flood', { page: 1 }).results;
      const two = big.search('migration flood', { page: 2 }).results;
      const scores = [...one, ...two].map((r) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('matches all 2,000 for a word every record has, without pages', () => {
      expect(big.matchIds('migration')).toHaveLength(2000);
    });

    it('filters by kind and country over many documents', () => {
      // Projects are every 10th record from the 10th, Niger every 8th from the 2nd: 1 in 40.
      const page = big.search('migration', { kind: 'project', country: 'Niger' });
      expect(page.total).toBe(50);
      expect(new Set(page.results.map((r) => r.kind))).toEqual(new Set(['project']));
    });

    it('caps autocomplete at 25 choices of at most 100 characters', () => {
      for (const field of ['title', 'contact', 'country', 'project'] as const) {
        for (const prefix of ['', 'm', 'migration', 's', 'sy', 'pr.0', 'chloe']) {
          const choices = big.suggest(field, prefix);
          expect(choices.length).toBeLessThanOrEqual(25);
          for (const c of choices) {
            expect(c.name.length).toBeLessThanOrEqual(100);
            expect(c.value.length).toBeLessThanOrEqual(100);
          }
        }
      }
      expect(big.suggest('title', 'migration flood')).toHaveLength(25);
      expect(big.suggest('project', 'SY19P0019')).toEqual([
        { name: 'SY19P0019 · PR.0019 — Migration shelter project number 19 in Peru', value: 'SY19P0019' },
      ]);
    });
  });

  describe('suggest', () => {
    it('completes titles from their start and from any word, ignoring case and accents', () => {
      expect(library.suggest('title', 'agree')).toEqual([
        { name: 'Agreement with China Paves Way for IOM Presence in Beijing', value: ids.agreement },
      ]);
      expect(library.suggest('title', 'presence in bei').map((s) => s.value)).toEqual([ids.agreement]);
      expect(
        library
          .suggest('title', 'SEMINAR')
          .map((s) => s.value)
          .sort(),
      ).toEqual([ids.seminarEu, ids.seminarImmigration]);
    });

    it('completes contacts by any name part, accents optional', () => {
      expect(library.suggest('contact', 'par')).toEqual([
        { name: 'Pär Liljert (IOM Beijing)', value: 'Pär Liljert' },
      ]);
      expect(library.suggest('contact', 'lilj')).toEqual([
        { name: 'Pär Liljert (IOM Beijing)', value: 'Pär Liljert' },
      ]);
    });

    it('completes countries and project ids', () => {
      expect(library.suggest('country', 'ch')).toEqual([{ name: 'China', value: 'China' }]);
      expect(library.suggest('project', 'po.01')).toEqual([
        {
          name: 'CN10P0002 · PO.0105 — Supporting China’s Engagement in the Global Migration Debate',
          value: 'CN10P0002',
        },
      ]);
      expect(library.suggest('project', 'cn10')[0]?.value).toBe('CN10P0002');
    });

    it('rejects an unknown field', () => {
      expect(userError(() => library.suggest('author' as 'title', 'x')).code).toBe('unknown-field');
    });
  });

  describe('getDocument', () => {
    it('returns the record', () => {
      expect(library.getDocument(ids.project).project?.primaId).toBe('CN10P0002');
    });

    it('names an unknown id and suggests ids starting like it', () => {
      const error = userError(() => library.getDocument('003'));
      expect(error.code).toBe('unknown-id');
      expect(error.message).toBe(
        'No document with id "003". Did you mean 003_bfb7b29f8f6badf6 ("International Seminar on Immigration Management in China")?',
      );
    });

    it('suggests titles when the id looks like words', () => {
      expect(userError(() => library.getDocument('liaison agreement')).message).toContain(ids.agreement);
    });

    it('says only that the id is unknown when nothing is close', () => {
      expect(userError(() => library.getDocument('???')).message).toBe('No document with id "???".');
    });
  });

  describe('related', () => {
    it('lists other documents, never the document itself, best first', () => {
      const related = library.related(ids.agreement);
      expect(related.map((r) => r.id)).not.toContain(ids.agreement);
      expect(related.length).toBeGreaterThan(0);
      const scores = related.map((r) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('links documents naming the same person', () => {
      // Pär Liljert: press contact of 000, quoted in 003; both dated China (0.2), the person 0.4.
      const related = library.related(ids.seminarImmigration);
      expect(related.find((r) => r.id === ids.governance)?.score).toBeGreaterThanOrEqual(0.6);
      expect(related.find((r) => r.id === ids.agreement)?.score).toBeLessThan(0.6);
    });

    it('throws unknown-id for an unknown document', () => {
      expect(userError(() => library.related('nope')).code).toBe('unknown-id');
    });
  });

  describe('stats', () => {
    it('counts documents, kinds and people', () => {
      expect(library.stats()).toEqual({ documents: 5, articles: 4, projects: 1, contacts: 10 });
    });
  });

  describe('warmSteps', () => {
    it('builds the lazy parts, one per step, without changing any answer', () => {
      const warmed = createLibrary(shipped);
      const steps = [...warmed.warmSteps()];
      expect(steps).toHaveLength(2); // three parts, two pauses between them
      expect(warmed.contacts.all()).toEqual(library.contacts.all());
      expect(warmed.projects.list()).toEqual(library.projects.list());
      expect(warmed.suggest('title', 'beij')).toEqual(library.suggest('title', 'beij'));
    });
  });

  describe('upsert and remove', () => {
    it('keep search, autocomplete, contacts and projects consistent', () => {
      const live = createLibrary(shipped);
      const added = article('100_live', {
        title: 'Flood Response in Dhaka',
        country: 'Bangladesh',
        paragraphs: ['IOM shelters flood survivors in Dhaka, said IOM Chief of Mission Pär Liljert.'],
        contacts: [{ name: 'Ana Souza', office: 'IOM Dhaka', phones: [], email: 'asouza@iom.int' }],
      });
      live.upsert(added);
      expect(live.search('dhaka flood').results.map((r) => r.id)).toEqual(['100_live']);
      expect(live.suggest('country', 'bang')).toEqual([{ name: 'Bangladesh', value: 'Bangladesh' }]);
      expect(live.suggest('title', 'flood')[0]?.value).toBe('100_live');
      expect(live.contacts.get('ana souza')?.documents).toEqual([
        { id: '100_live', title: 'Flood Response in Dhaka', as: 'contact' },
      ]);
      expect(live.contacts.get('par liljert')?.roles).toContain('Chief of Mission, IOM');
      expect(live.stats().documents).toBe(6);

      // Replace: the old title and country disappear everywhere.
      live.upsert({
        ...added,
        title: 'Cyclone Response in Chittagong',
        country: 'Myanmar',
        contentHash: 'b'.repeat(64),
      });
      expect(live.search('cyclone chittagong').results.map((r) => r.id)).toEqual(['100_live']);
      expect(live.search('Dhaka flood', { kind: 'article', country: 'Bangladesh' }).total).toBe(0);
      expect(live.suggest('country', 'bang')).toEqual([]);
      expect(live.suggest('title', 'flood')).toEqual([]);
      expect(live.stats().documents).toBe(6);

      // Projects follow too.
      live.upsert(
        project('101_proj', { primaId: 'BD20P0001', title: 'Cyclone Preparedness', country: 'Bangladesh' }),
      );
      expect(live.projects.find('bd20p0001').map((p) => p.id)).toEqual(['101_proj']);
      expect(live.suggest('project', 'BD20')[0]?.value).toBe('BD20P0001');

      expect(live.remove('100_live')).toBe(true);
      expect(live.remove('100_live')).toBe(false);
      live.remove('101_proj');
      expect(live.search('cyclone').total).toBe(0);
      expect(live.contacts.get('ana souza')).toBeUndefined();
      expect(live.contacts.get('par liljert')?.roles).toEqual(['Head of Office, IOM Beijing']);
      expect(live.projects.find('BD20P0001')).toEqual([]);
      expect(live.suggest('project', 'BD20')).toEqual([]);
      expect(userError(() => live.getDocument('100_live')).code).toBe('unknown-id');
      expect(live.stats()).toEqual(library.stats());
    });
  });

  describe('live updates against a fresh build', () => {
    it('give the same contacts, suggestions, search and projects as building from scratch', () => {
      // Seeded sequence of adds, replacements and removals that share people (names, e-mails,
      // accents, mentions) so merges and splits happen; after each step, compare with a new library.
      let seed = 42;
      const next = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      const people = [
        { name: 'Pär Liljert', email: 'pliljert@iom.int' },
        { name: 'Par Liljert', email: null },
        { name: 'Ana Souza', email: 'asouza@iom.int' },
        { name: 'Ana Sousa', email: 'asouza@iom.int' },
        { name: 'Ken Obi', email: 'kobi@iom.int' },
        { name: 'Ken Obi', email: 'kobi2@iom.int' },
      ];
      const makeRecord = (n: number) => {
        const contact = people[Math.floor(next() * people.length)]!;
        const quoted = people[Math.floor(next() * people.length)]!;
        return article(`r${n % 12}`, {
          title: `Update ${n} on returns`,
          country: next() < 0.5 ? 'Peru' : 'Chile',
          paragraphs: [
            `Returns continue, said IOM Chief of Mission ${quoted.name}. Later ${contact.name} agreed.`,
          ],
          contacts: [{ name: contact.name, office: `IOM Office ${n % 3}`, phones: [], email: contact.email }],
        });
      };
      const live = createLibrary(shipped);
      live.stats(); // build the directory now, so the steps below update it in place
      const current = new Map(shipped.map((r) => [r.id, r]));
      const normalize = (lib: Library) =>
        lib.contacts
          .all()
          .map((e) => JSON.stringify(e))
          .sort();
      for (let step = 0; step < 60; step++) {
        if (next() < 0.25 && current.size > 5) {
          const ids = [...current.keys()].filter((id) => id.startsWith('r'));
          const id = ids[Math.floor(next() * ids.length)];
          if (id) {
            live.remove(id);
            current.delete(id);
          }
        } else {
          const record = makeRecord(step);
          live.upsert(record);
          current.set(record.id, record);
        }
        const fresh = createLibrary([...current.values()]);
        expect(normalize(live)).toEqual(normalize(fresh));
        expect(live.suggest('contact', '')).toEqual(fresh.suggest('contact', ''));
        expect(live.suggest('contact', 'ana')).toEqual(fresh.suggest('contact', 'ana'));
        expect(live.stats()).toEqual(fresh.stats());
        expect(live.matchIds('returns liljert').sort()).toEqual(fresh.matchIds('returns liljert').sort());
      }
    });
  });

  describe('snapshots', () => {
    /** The library's saved parts, its texts served from memory as a file would serve them. */
    const saved = () => {
      const snapshot = library.toSnapshot();
      if (!snapshot) throw new Error('the library is not compacted');
      const textSource: TextSource = {
        paragraphs: (id) => [...(snapshot.texts.get(id) ?? [])],
        has: (id) => snapshot.texts.has(id),
      };
      return { ...snapshot, textSource };
    };

    it('round-trips: the loaded library answers like the built one, reading texts from the source', () => {
      const parts = saved();
      let reads = 0;
      const loaded = Library.fromSnapshot({
        ...parts,
        textSource: { ...parts.textSource, paragraphs: (id) => (reads++, parts.textSource.paragraphs(id)) },
      });
      if (!loaded.ok) throw new Error(loaded.error);
      const copy = loaded.value;
      for (const query of ['beijing liaison office agreement', 'Lijert', 'CN10P0002', 'migrants']) {
        expect(copy.search(query)).toEqual(library.search(query));
      }
      expect(copy.documents()).toEqual(library.documents());
      expect(copy.getDocument(ids.agreement)).toEqual(library.getDocument(ids.agreement));
      expect(copy.contacts.all()).toEqual(library.contacts.all());
      expect(copy.suggest('contact', 'li')).toEqual(library.suggest('contact', 'li'));
      expect(copy.related(ids.agreement)).toEqual(library.related(ids.agreement));
      // Texts are read for what is shown, not kept.
      expect(reads).toBeGreaterThan(0);
    });

    it('is not available while changes wait to be merged into the index', () => {
      const copy = createLibrary(shipped);
      copy.upsert({ ...shipped[0]!, title: 'Changed title' });
      expect(copy.pendingChanges).toBe(2);
      expect(copy.toSnapshot()).toBeNull();
      for (const _ of copy.compactSteps());
      expect(copy.pendingChanges).toBe(0);
      expect(copy.toSnapshot()?.metas.find((m) => m.id === shipped[0]!.id)?.title).toBe('Changed title');
    });

    it('refuses parts whose index does not hold the documents they list, with the reason', () => {
      const parts = saved();
      const extra = { ...parts.metas[0]!, id: 'not-in-the-index' };
      expect(Library.fromSnapshot({ ...parts, metas: [...parts.metas, extra] })).toEqual({
        ok: false,
        error: 'corrupt: the index does not hold the documents it claims',
      });
      const { segment } = parts;
      const result = Library.fromSnapshot({
        ...parts,
        stats: { ...parts.stats, documentCount: segment.ids.length + 1 },
      });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/^corrupt: /);
    });
  });
});
