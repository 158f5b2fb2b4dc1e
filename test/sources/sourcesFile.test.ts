import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSourcesFile, parseSourcesFile, SourcesFileError } from '../../src/sources/sourcesFile.js';

const SHIPPED_DATA = path.resolve(import.meta.dirname, '../../data');
/** The shipped sources but ReliefWeb's (skipped without an appname), in file order. */
const SHIPPED_IDS = [
  'iom-press',
  'iom-press-fr',
  'iom-press-es',
  'un-news-migrants',
  'un-news-migrants-fr',
  'un-news-migrants-es',
  'un-news-migrants-ar',
  'infomigrants',
  'infomigrants-fr',
  'infomigrants-ar',
  'infomigrants-prs',
  'infomigrants-ps',
];

describe('sourcesFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sources-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('loadSourcesFile', () => {
    it('treats a missing file as no sources', async () => {
      expect(await loadSourcesFile(dir)).toEqual({ sources: [], warnings: [] });
    });

    it('reports invalid JSON with its line and column', async () => {
      await writeFile(path.join(dir, 'sources.json'), '{\n  "sources": [\n    { "id": "a", }\n  ]\n}');
      await expect(loadSourcesFile(dir)).rejects.toThrow(/not valid JSON: .*\(line 3, column \d+\)/);
    });

    it('loads the shipped defaults; ReliefWeb only with RELIEFWEB_APPNAME, else one warning', async () => {
      const without = await loadSourcesFile(SHIPPED_DATA);
      expect(without.sources.map((s) => s.id)).toEqual(SHIPPED_IDS);
      expect(without.warnings).toEqual([
        expect.stringMatching(
          /^source "reliefweb-iom" skipped: ReliefWeb needs an appname; set RELIEFWEB_APPNAME/,
        ),
      ]);
      const withApp = await loadSourcesFile(SHIPPED_DATA, { reliefwebAppname: 'newsroom' });
      expect(withApp.sources.find((s) => s.id === 'reliefweb-iom')).toMatchObject({
        appname: 'newsroom',
        fullText: true,
        filter: { 'source.shortname': 'IOM' },
      });
      expect(withApp.warnings).toEqual([]);
    });
  });

  describe('the shipped data/sources.json', () => {
    it('gives every single-language source its language, and the address its language section', async () => {
      const { sources } = await loadSourcesFile(SHIPPED_DATA, { reliefwebAppname: 'newsroom' });
      const languages = Object.fromEntries(sources.map((s) => [s.id, s.language ?? null]));
      expect(languages).toEqual({
        'iom-press': 'en',
        'iom-press-fr': 'fr',
        'iom-press-es': 'es',
        'un-news-migrants': 'en',
        'un-news-migrants-fr': 'fr',
        'un-news-migrants-es': 'es',
        'un-news-migrants-ar': 'ar',
        infomigrants: 'en',
        'infomigrants-fr': 'fr',
        'infomigrants-ar': 'ar',
        'infomigrants-prs': 'fa-AF',
        'infomigrants-ps': 'ps',
        // ReliefWeb reports carry their own language field; a source language would override it.
        'reliefweb-iom': null,
      });
      // Each publisher's language section in the path: /fr/ on iom.int (none for English),
      // /subscribe/fr/ on UN News, /prs/ (Dari) on InfoMigrants.
      const section: Record<string, string> = { 'fa-AF': 'prs' };
      for (const source of sources) {
        if (source.language === undefined || source.type === 'reliefweb') continue;
        const code = section[source.language] ?? source.language;
        const expected = source.type === 'iom' && code === 'en' ? '/search?' : `/${code}/`;
        expect(new URL(source.url).pathname + new URL(source.url).search, source.id).toContain(expected);
      }
    });

    it('gives every source its own name', async () => {
      const { sources } = await loadSourcesFile(SHIPPED_DATA, { reliefwebAppname: 'newsroom' });
      expect(new Set(sources.map((s) => s.name)).size).toBe(sources.length);
    });
  });

  describe('parseSourcesFile', () => {
    it('applies defaults by type', () => {
      const { sources } = parseSourcesFile({
        sources: [
          { id: 'a-feed', type: 'feed', url: 'https://x.org/rss' },
          { id: 'iom', type: 'iom', url: 'https://www.iom.int/search' },
        ],
      });
      expect(sources[0]).toEqual({
        id: 'a-feed',
        type: 'feed',
        url: 'https://x.org/rss',
        name: 'a-feed',
        enabled: true,
        everyMinutes: 30,
        maxItems: 50,
        maxAgeDays: 7,
        fetchArticles: true,
        fullText: false,
      });
      expect(sources[1]).toMatchObject({ maxPages: 3, fullText: true });
    });

    it('reports every problem at once, naming the source and the field', () => {
      let error: unknown;
      try {
        parseSourcesFile({
          sources: [
            { id: 'Bad_Id', type: 'feed', url: 'ftp://x.org' },
            { id: 'ok', type: 'rss', url: 'https://x.org' },
            { type: 'iom', url: 'https://x.org', everyMinutes: 1, colour: 'red' },
            { id: 'ok2', type: 'feed', url: 'https://x.org' },
            { id: 'ok2', type: 'feed', url: 'https://y.org' },
          ],
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SourcesFileError);
      expect((error as SourcesFileError).problems).toEqual([
        'sources[0] "Bad_Id": id must be lowercase letters, digits and dashes, e.g. "un-news"',
        'sources[0] "Bad_Id": url must be an http or https URL',
        'sources[1] "ok": type must be "feed", "iom" or "reliefweb"',
        'sources[2]: id is required (lowercase letters, digits and dashes)',
        'sources[2]: everyMinutes must be 5 or more',
        'sources[2]: unknown field(s) "colour"',
        'sources[4] "ok2": id "ok2" is already used by sources[3]',
      ]);
    });

    it('reads a source language as a canonical BCP 47 tag and refuses what is not one', () => {
      const { sources } = parseSourcesFile({
        sources: [{ id: 'infomigrants-prs', type: 'feed', url: 'https://x.org/rss', language: 'FA_af' }],
      });
      expect(sources[0]?.language).toBe('fa-AF');
      expect(() =>
        parseSourcesFile({
          sources: [{ id: 'x', type: 'feed', url: 'https://x.org/rss', language: 'French' }],
        }),
      ).toThrow('sources[0] "x": language must be a language tag such as "fr", "ar" or "fa-AF"');
    });

    it('refuses a file without a sources list', () => {
      expect(() => parseSourcesFile([])).toThrow(/must be an object \{ "sources": \[ \.\.\. \] \}/);
    });
  });
});
