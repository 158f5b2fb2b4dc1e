import { DocumentKindSchema } from '../core/record.js';
import { parseSince, type SearchPage } from '../core/library.js';
import { canonicalLanguage } from '../core/text/language.js';
import { parseCliArgs, UsageError, type CliCommand } from './command.js';
import { libraryFor } from './openLibrary.js';
import { json } from './output.js';

const help = `Usage: npm run --silent cli -- search <query ...> [options]

Searches articles and projects. All words must match (the last one may be a prefix, longer words
forgive a typo); when no document has them all, documents with some of them are shown and said so.
"Quoted phrases" must appear as written.

Options:
  --kind article|project   only this kind of document
  --country C              only this dateline country / member state
  --lang L                 only documents in this language (BCP 47: fr also matches fr-CA, fa-AF
                           only fa-AF), the query analysed in it alone
  --year N                 only projects of this year
  --status S               only projects with this status (e.g. Completed)
  --region R               only projects whose region contains R (e.g. asia)
  --since WHEN             only documents published since a day (YYYY-MM-DD) or a time back
                           (24h, 7d, 2w); documents without a publication date drop out
  --sort relevance|newest  best match first (default), or newest publication first (undated last)
  --page N                 page of results (10 per page, default 1)
  --json                   print {"query", "total", "page", "pages", "results": [{"id", "kind",
                           "title", "country", "language", "score", "snippet", "snippetText", "highlights",
                           and for fetched documents "url", "publishedAt", "sourceId"}],
                           "matchedAll", "suggestions", "note"}; "snippet" is Discord markdown
                           (matched words in **bold**), "snippetText" the same sentence as plain
                           text and "highlights" the [start, end) ranges of the matched words in it
  --help                   show this help

Exit code: 0 with results, 1 when nothing matched or the query cannot be searched, 2 for wrong usage.`;

/** Parses a positive whole number option, or throws a UsageError naming it. */
export function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(`--${name} must be a whole number from 1; got "${value}".`);
  }
  return Number(value);
}

/** The `--json` output: the page, with each snippet in its documented markdown form plus its plain parts. */
async function toJson(page: SearchPage) {
  // Loaded only here: discord.js takes most of a second to import, and text output needs none of it.
  const { snippetMarkdown } = await import('../discord/format/text.js');
  return {
    ...page,
    results: page.results.map(({ snippet, ...hit }) => ({
      ...hit,
      snippet: snippetMarkdown(snippet),
      snippetText: snippet.text,
      highlights: snippet.highlights,
    })),
  };
}

/** The page as plain text for a terminal (no markdown: a snippet is its sentence as written). */
function render(page: SearchPage): string {
  const lines: string[] = [];
  if (page.total === 0) lines.push(page.note ?? 'Nothing found.');
  else {
    lines.push(
      `${page.total} result${page.total === 1 ? '' : 's'} for "${page.query}" (page ${page.page} of ${page.pages})`,
    );
    if (page.note) lines.push(page.note);
    page.results.forEach((hit, i) => {
      const n = (page.page - 1) * page.pageSize + i + 1;
      lines.push(
        '',
        `${n}. ${hit.title}`,
        `   ${hit.id} · ${hit.kind}${hit.country ? ` · ${hit.country}` : ''} · ${hit.language} · score ${hit.score}`,
      );
      if (hit.snippet.text) lines.push(`   ${hit.snippet.text}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

/** `search`: the search box, as text or JSON. */
export const searchCommand: CliCommand = {
  name: 'search',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, {
      kind: { type: 'string' },
      country: { type: 'string' },
      lang: { type: 'string' },
      year: { type: 'string' },
      status: { type: 'string' },
      region: { type: 'string' },
      page: { type: 'string' },
      since: { type: 'string' },
      sort: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length === 0) throw new UsageError('missing the query.');
    let kind: 'article' | 'project' | undefined;
    if (values.kind !== undefined) {
      const parsed = DocumentKindSchema.safeParse(values.kind);
      if (!parsed.success) throw new UsageError(`--kind must be article or project; got "${values.kind}".`);
      kind = parsed.data;
    }
    if (values.sort !== undefined && values.sort !== 'relevance' && values.sort !== 'newest') {
      throw new UsageError(`--sort must be relevance or newest; got "${values.sort}".`);
    }
    let since: string | undefined;
    if (values.since !== undefined) {
      const parsed = parseSince(values.since, new Date());
      if (!parsed.ok) throw new UsageError(`--since: ${parsed.error}`);
      since = parsed.value;
    }
    let language: string | undefined;
    if (values.lang !== undefined) {
      language = canonicalLanguage(values.lang) ?? undefined;
      if (language === undefined) {
        throw new UsageError(`--lang must be a language tag such as fr, ar or fa-AF; got "${values.lang}".`);
      }
    }
    const page = positiveInt('page', values.page) ?? 1;
    const year = positiveInt('year', values.year);
    const library = await libraryFor(io);
    const result = library.search(positionals.join(' '), {
      kind,
      country: values.country,
      language,
      year,
      status: values.status,
      region: values.region,
      since,
      sort: values.sort,
      page,
    });
    io.stdout(values.json ? json(await toJson(result)) : render(result));
    return result.total > 0 ? 0 : 1;
  },
};
