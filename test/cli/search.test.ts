import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliOverShippedPages } from './harness.js';

const { data, cli } = cliOverShippedPages();

interface SearchJson {
  query: string;
  total: number;
  page: number;
  pages: number;
  results: Array<Record<string, unknown>>;
  matchedAll: boolean;
  suggestions: string[];
}

describe('cli search', () => {
  it('prints the JSON contract: query, total, page, pages, results with id, kind, title, country, score, snippet', async () => {
    const { code, stdout, stderr } = await cli(
      'search',
      'beijing',
      'liaison',
      'office',
      'agreement',
      '--json',
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const output = JSON.parse(stdout) as SearchJson;
    expect(output).toMatchObject({ query: 'beijing liaison office agreement', total: 1, page: 1, pages: 1 });
    expect(Object.keys(output.results[0]!)).toEqual([
      'id',
      'kind',
      'title',
      'country',
      'language',
      'score',
      'snippet',
      'snippetText',
      'highlights',
    ]);
    const sentence =
      'IOM and China today signed an agreement on the establishment of a liaison office in the Chinese capital, Beijing.';
    expect(output.results[0]).toMatchObject({
      id: '002_6920415c55e1d6e5',
      kind: 'article',
      country: null,
      language: 'en',
      // As documented: matched words in **bold**; plus the plain sentence and the ranges.
      snippet:
        'IOM and China today signed an **agreement** on the establishment of a **liaison** **office** in the Chinese capital, **Beijing**.',
      snippetText: sentence,
      highlights: [
        [30, 39],
        [66, 73],
        [74, 80],
        [105, 112],
      ],
    });
  });

  it('finds both Liljert pages for the typo "Lijert"', async () => {
    const output = JSON.parse((await cli('search', 'Lijert', '--json')).stdout) as SearchJson;
    expect(output.results.map((r) => r.id).sort()).toEqual(['000_1e0d9a2d3cac57c3', '003_bfb7b29f8f6badf6']);
  });

  it('filters by --kind and --country and pages with --page', async () => {
    const projects = JSON.parse(
      (await cli('search', 'china', '--kind', 'project', '--json')).stdout,
    ) as SearchJson;
    expect(projects.results.map((r) => r.id)).toEqual(['004_b8327546129996ab']);
    const china = JSON.parse(
      (await cli('search', 'china', '--country', 'China', '--json')).stdout,
    ) as SearchJson;
    expect(china.total).toBe(4);
    const page2 = JSON.parse((await cli('search', 'china', '--page', '2', '--json')).stdout) as SearchJson;
    expect(page2).toMatchObject({ total: 5, page: 2, pages: 1, results: [] });
  });

  it('prints numbered results with snippets for people', async () => {
    const { code, stdout } = await cli('search', 'CN10P0002');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '1 result for "CN10P0002" (page 1 of 1)',
      '',
      '1. Supporting China’s Engagement in the Global Migration Debate',
    ]);
    expect(lines[3]).toMatch(/^ {3}004_b8327546129996ab · project · China · en · score [\d.]+$/);
    expect(lines[4]).toBe(
      '   Prima ID CN10P0002 · Projects ID PO.0105 · Completed · Asia and Oceania · China',
    );
  });

  it('prints plain text to a terminal: no markdown markers or escapes', async () => {
    for (const query of ['liljert', 'migrant smuggling', 'CN10P0002', 'beijing']) {
      const { stdout } = await cli('search', query);
      expect(stdout).not.toMatch(/\*\*|\\[*_~`|>[\]<@#-]/);
    }
    // pliljert@iom.int and other document text come out as written.
    expect((await cli('search', 'liljert')).stdout).toContain('pliljert@iom.int');
  });

  it('says nothing was found, with "did you mean", and exits 1', async () => {
    const { code, stdout } = await cli('search', 'chnia');
    expect(code).toBe(1);
    expect(stdout).toBe('Nothing found. Did you mean "china"?\n');
  });

  it.each([
    [
      ['search', 'the', 'of'],
      1,
      'search: The query only has very common words ("the", "of"): add a more specific word.\n',
    ],
    [['search', '!!!'], 1, 'search: The query is empty: type at least one word to search for.\n'],
    [['search', 'x'.repeat(1000)], 1, 'search: Query is 1000 characters; the limit is 500.\n'],
    [['search'], 2, 'search: missing the query.\nRun with --help for usage.\n'],
    [
      ['search', 'china', '--kind', 'blog'],
      2,
      'search: --kind must be article or project; got "blog".\nRun with --help for usage.\n',
    ],
    [
      ['search', 'china', '--sort', 'oldest'],
      2,
      'search: --sort must be relevance or newest; got "oldest".\nRun with --help for usage.\n',
    ],
    [
      ['search', 'china', '--lang', 'French'],
      2,
      'search: --lang must be a language tag such as fr, ar or fa-AF; got "French".\nRun with --help for usage.\n',
    ],
    [
      ['search', 'china', '--since', 'last week'],
      2,
      'search: --since: "since" must be a day (YYYY-MM-DD) or a time back such as 24h, 7d or 2w; got "last week".\nRun with --help for usage.\n',
    ],
    [
      ['search', 'china', '--page', '0'],
      2,
      'search: --page must be a whole number from 1; got "0".\nRun with --help for usage.\n',
    ],
  ])('reports bad input %j with exit %i and a clear message', async (argv, exit, message) => {
    const { code, stderr } = await cli(...argv);
    expect(code).toBe(exit);
    expect(stderr).toBe(message);
  });

  it('keeps only documents in the language asked for with --lang (the shipped pages are English)', async () => {
    const english = JSON.parse((await cli('search', 'china', '--lang', 'en', '--json')).stdout) as SearchJson;
    expect(english.total).toBeGreaterThan(0);
    expect(english.results.every((r) => (r as { language?: string }).language === 'en')).toBe(true);
    const french = await cli('search', 'china', '--lang', 'fr', '--json');
    expect(french.code).toBe(1);
    expect(JSON.parse(french.stdout)).toMatchObject({ total: 0, results: [] });
  });

  it('keeps only dated documents with --since (the shipped pages have no publication date)', async () => {
    const { code, stdout } = await cli(
      'search',
      'china',
      '--since',
      '2000-01-01',
      '--sort',
      'newest',
      '--json',
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ total: 0, results: [] });
    const relevance = await cli('search', 'china', '--sort', 'relevance', '--json');
    expect(relevance.code).toBe(0);
  });

  it('has --help', async () => {
    const { code, stdout } = await cli('search', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run --silent cli -- search <query \.\.\.>/);
  });

  it('runs as a real process through npx tsx src/cli/main.ts', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'src/cli/main.ts', 'search', 'liljert', '--json'],
      {
        cwd: root,
        env: { ...process.env, DATA_DIR: data.dir },
      },
    );
    const output = JSON.parse(stdout) as SearchJson;
    expect(output.total).toBe(2);
    expect(output.results.map((r) => r.id).sort()).toEqual(['000_1e0d9a2d3cac57c3', '003_bfb7b29f8f6badf6']);
  }, 60_000);
});
