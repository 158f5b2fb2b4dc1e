import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSourcesFile, parseSourcesFile, SourcesFileError } from '../../src/sources/sourcesFile.js';

const SHIPPED_DATA = path.resolve(import.meta.dirname, '../../data');

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
      expect(without.sources.map((s) => s.id)).toEqual(['iom-press', 'un-news-migrants', 'infomigrants']);
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
