import { z } from 'zod';
import { err, ok, type Result } from '../../core/errors.js';
import { sanitizeLine } from '../../core/sources/sanitizeText.js';
import type { SourceItem } from '../../core/sources/sourceItem.js';
import type { ReliefWebSource } from '../sourcesFile.js';
import { WebError, type WebClient, type WebRequest } from '../webClient.js';
import { toIsoDate, type SourceFetchOutcome, type Validators } from './fetchOutcome.js';
import { htmlToText } from './html.js';

export const RELIEFWEB_FIELDS = [
  'title',
  'body-html',
  'date.original',
  'url_alias',
  'source.shortname',
  'primary_country.name',
  'country.name',
  'language.code',
] as const;
const APPNAME_DOCS = 'https://apidoc.reliefweb.int/parameters#appname';

/** The line a PDF-only report gets instead of a body, so it is never dropped silently. */
export const PDF_ONLY_LINE =
  'This report has no text on ReliefWeb: it is published as an attached document (PDF).';

/** The POST for one page of reports, newest first, optionally only those dated `since` or later. */
export function reliefwebRequest(
  source: ReliefWebSource,
  offset = 0,
  since: string | null = null,
): WebRequest {
  const conditions: unknown[] = Object.entries(source.filter ?? {}).map(([field, value]) => ({
    field,
    value,
  }));
  if (since !== null) conditions.push({ field: 'date.original', value: { from: since } });
  const body = {
    ...(source.query ? { query: { value: source.query } } : {}),
    ...(conditions.length > 0 ? { filter: { operator: 'AND', conditions } } : {}),
    fields: { include: RELIEFWEB_FIELDS },
    sort: ['date.original:desc'],
    limit: Math.min(source.limit, source.maxItems),
    offset,
  };
  const url = new URL(source.url);
  url.searchParams.set('appname', source.appname);
  return {
    url: url.toString(),
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  };
}

const named = z.object({ name: z.string().optional() }).passthrough();
const ReportSchema = z.object({
  id: z.union([z.string(), z.number()]),
  fields: z
    .object({
      title: z.string().optional(),
      'body-html': z.string().optional(),
      body: z.string().optional(),
      date: z.object({ original: z.string().optional() }).passthrough().optional(),
      url_alias: z.string().optional(),
      url: z.string().optional(),
      primary_country: named.optional(),
      country: z.array(named).optional(),
      language: z.array(z.object({ code: z.string().optional() }).passthrough()).optional(),
    })
    .passthrough(),
});
const AnswerSchema = z.object({
  totalCount: z.number().optional(),
  count: z.number().optional(),
  data: z.array(ReportSchema),
});
const ErrorSchema = z.object({ error: z.object({ message: z.string() }).passthrough() });

/**
 * Reads one answer of the reports API into items. An `{ error: { message } }` body or anything
 * else that is not an answer gives an error with the API's message. A report with an empty body
 * (a PDF-only report) keeps its title and a line saying so. Pure.
 */
export function parseReliefWebAnswer(
  text: string,
  sourceId: string,
): Result<{ totalCount: number; items: SourceItem[] }> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return err('ReliefWeb answered something that is not JSON');
  }
  const error = ErrorSchema.safeParse(data);
  if (error.success) return err(`ReliefWeb: ${sanitizeLine(error.data.error.message)}`);
  const answer = AnswerSchema.safeParse(data);
  if (!answer.success) return err('ReliefWeb answered JSON without a "data" list of reports');
  const items: SourceItem[] = [];
  for (const report of answer.data.data) {
    const f = report.fields;
    const title = sanitizeLine(f.title ?? '');
    if (title === '') continue;
    const link = f.url_alias ?? f.url ?? `https://reliefweb.int/node/${report.id}`;
    const url = new URL(link, 'https://reliefweb.int/').toString();
    const body = htmlToText(f['body-html'] ?? f.body ?? '');
    items.push({
      sourceId,
      guid: `reliefweb:${report.id}`,
      url,
      alternateUrls: [],
      title,
      publishedAt: toIsoDate(f.date?.original),
      updatedAt: null,
      summary: null,
      text: body || PDF_ONLY_LINE,
      tag: null,
      country: f.primary_country?.name ?? f.country?.[0]?.name ?? null,
      // A report in several languages lists each; the first is the one its text is in.
      language: f.language?.[0]?.code ?? null,
    });
  }
  return ok({ totalCount: answer.data.totalCount ?? items.length, items });
}

/** The message for a failed call, in the user's terms (403: appname not approved; 410: v1). */
export function reliefwebFailure(error: WebError, source: ReliefWebSource): string {
  if (error.status === 403) {
    return `ReliefWeb refused appname "${source.appname}": since 1 November 2025 an appname must be pre-approved, see ${APPNAME_DOCS}`;
  }
  if (error.status === 410) {
    return `ReliefWeb answered 410 Gone for ${source.url}: API v1 is retired, use https://api.reliefweb.int/v2/reports`;
  }
  return error.message;
}

/**
 * Fetches the newest reports (one page of `limit`, at most `maxItems`), optionally since a date.
 * The API is a POST, so validators are not used: the store's ids tell new from known. Throws an
 * Error with a plain message when ReliefWeb refuses or answers an error.
 */
export async function fetchReliefWebSource(
  client: WebClient,
  source: ReliefWebSource,
  options: { readonly since?: string | null } = {},
): Promise<SourceFetchOutcome> {
  let response;
  try {
    response = await client.fetch(reliefwebRequest(source, 0, options.since ?? null));
  } catch (error) {
    if (error instanceof WebError)
      throw new Error(`${source.id}: ${reliefwebFailure(error, source)}`, { cause: error });
    throw error;
  }
  if (response.kind === 'not-modified') return { kind: 'not-modified' };
  const parsed = parseReliefWebAnswer(response.body, source.id);
  if (!parsed.ok) throw new Error(`${source.id}: ${parsed.error}`);
  const none: Validators = { etag: null, lastModified: null };
  return { kind: 'ok', items: parsed.value.items.slice(0, source.maxItems), validators: none, problems: [] };
}
