import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MAX_SOURCE_ID_LENGTH } from '../core/sources/itemRecord.js';
import { canonicalLanguage } from '../core/text/language.js';

/** Sources are fetched at most this often, whatever sources.json says. */
export const MIN_EVERY_MINUTES = 5;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });
const count = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be ${min} or more`)
    .max(max, `must be ${max} or less`);

const common = {
  id: z
    .string({ error: 'is required (lowercase letters, digits and dashes)' })
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and dashes, e.g. "un-news"')
    .max(MAX_SOURCE_ID_LENGTH, `must be at most ${MAX_SOURCE_ID_LENGTH} characters`),
  url: httpUrl,
  name: z.string().trim().min(1, 'must not be empty').optional(),
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
  everyMinutes: count(MIN_EVERY_MINUTES, 7 * 24 * 60).default(30),
  maxItems: count(1, 500).default(50),
  maxAgeDays: count(1, 3650).default(7),
  fullText: z.boolean({ error: 'must be true or false' }).optional(),
  /** The language of every item (BCP 47, e.g. "fr", "fa-AF"): wins over what pages declare or detection. */
  language: z
    .string({ error: 'must be a language tag such as "fr", "ar" or "fa-AF"' })
    .refine((tag) => canonicalLanguage(tag) !== null, 'must be a language tag such as "fr", "ar" or "fa-AF"')
    .transform((tag) => canonicalLanguage(tag)!)
    .optional(),
};

const FeedSourceSchema = z.strictObject({
  ...common,
  type: z.literal('feed'),
  /** Fetch each item's page and extract its text. */
  fetchArticles: z.boolean({ error: 'must be true or false' }).default(true),
});
const IomSourceSchema = z.strictObject({
  ...common,
  type: z.literal('iom'),
  maxPages: count(1, 50).default(3),
});
const ReliefWebSourceSchema = z.strictObject({
  ...common,
  type: z.literal('reliefweb'),
  appname: z.string().trim().min(1, 'must not be empty').optional(),
  query: z.string().optional(),
  /** Field = value conditions, e.g. { "source.shortname": "IOM" }. */
  filter: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])).optional(),
  limit: count(1, 1000).default(20),
});

const SourceSchema = z.discriminatedUnion(
  'type',
  [FeedSourceSchema, IomSourceSchema, ReliefWebSourceSchema],
  {
    error: 'must be "feed", "iom" or "reliefweb"',
  },
);
const SourcesFileSchema = z.strictObject({ sources: z.array(z.unknown(), { error: 'must be a list' }) });

type Defaults<T extends { name?: string; fullText?: boolean }> = Omit<T, 'name' | 'fullText'> & {
  readonly name: string;
  readonly fullText: boolean;
};
export type FeedSource = Defaults<z.infer<typeof FeedSourceSchema>>;
export type IomSource = Defaults<z.infer<typeof IomSourceSchema>>;
export type ReliefWebSource = Defaults<z.infer<typeof ReliefWebSourceSchema>> & { readonly appname: string };
/** One validated source with every default applied. */
export type SourceConfig = FeedSource | IomSource | ReliefWebSource;

export interface SourcesFile {
  readonly sources: readonly SourceConfig[];
  /** Sources left out, each with why (a ReliefWeb source without an appname). Log each once. */
  readonly warnings: readonly string[];
}

/** Thrown with every problem in sources.json at once, each naming the source and the field. */
export class SourcesFileError extends Error {
  override readonly name = 'SourcesFileError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: invalid sources file:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface SourcesEnvironment {
  /** RELIEFWEB_APPNAME from the config, used by ReliefWeb sources without their own appname. */
  readonly reliefwebAppname?: string | undefined;
}

/**
 * Validates the parsed contents of sources.json. Pure. Every problem is reported at once, naming
 * the source (`sources[2] "un-news"`) and the field.
 */
export function parseSourcesFile(
  data: unknown,
  env: SourcesEnvironment = {},
  file = 'sources.json',
): SourcesFile {
  const top = SourcesFileSchema.safeParse(data);
  if (!top.success) {
    throw new SourcesFileError(
      file,
      top.error.issues.map((i) =>
        i.code === 'unrecognized_keys'
          ? `unknown top-level field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}: only "sources" is allowed`
          : i.path.length === 0
            ? 'must be an object { "sources": [ ... ] }'
            : `${i.path.join('.')}: ${i.message}`,
      ),
    );
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  const sources: SourceConfig[] = [];
  const seen = new Map<string, number>();
  top.data.sources.forEach((raw, index) => {
    const rawId = typeof raw === 'object' && raw !== null && 'id' in raw ? raw.id : undefined;
    const label =
      typeof rawId === 'string' && rawId !== '' ? `sources[${index}] "${rawId}"` : `sources[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`${label}: must be an object with "id", "type" and "url"`);
      return;
    }
    const parsed = SourceSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          problems.push(`${label}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`);
        } else {
          const field = issue.path.join('.');
          problems.push(field ? `${label}: ${field} ${issue.message}` : `${label}: ${issue.message}`);
        }
      }
      return;
    }
    const source = parsed.data;
    const previous = seen.get(source.id);
    if (previous !== undefined) {
      problems.push(`${label}: id "${source.id}" is already used by sources[${previous}]`);
      return;
    }
    seen.set(source.id, index);
    const withDefaults = {
      ...source,
      name: source.name ?? source.id,
      fullText: source.fullText ?? source.type !== 'feed',
    };
    if (withDefaults.type === 'reliefweb') {
      const appname = withDefaults.appname ?? env.reliefwebAppname;
      if (appname === undefined || appname.trim() === '') {
        warnings.push(
          `source "${source.id}" skipped: ReliefWeb needs an appname; set RELIEFWEB_APPNAME or "appname" in ${file}`,
        );
        return;
      }
      sources.push({ ...withDefaults, appname });
    } else {
      sources.push(withDefaults);
    }
  });
  if (problems.length > 0) throw new SourcesFileError(file, problems);
  return { sources, warnings };
}

/**
 * Reads `DATA_DIR/sources.json`. A missing file means no sources (not an error); invalid JSON is
 * reported with its position; invalid sources as in {@link parseSourcesFile}.
 */
export async function loadSourcesFile(dataDir: string, env: SourcesEnvironment = {}): Promise<SourcesFile> {
  const file = path.join(dataDir, 'sources.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sources: [], warnings: [] };
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SourcesFileError(file, [`not valid JSON: ${jsonPosition(text, error)}`]);
  }
  return parseSourcesFile(data, env, file);
}

/** "Expected ',' … at line 3, column 5", from V8's message and its character position. */
function jsonPosition(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /position (\d+)/.exec(message);
  if (!match) return message;
  const offset = Number(match[1]);
  const before = text.slice(0, offset).split('\n');
  const line = before.length;
  const column = (before[before.length - 1] ?? '').length + 1;
  return `${message.replace(/\s*\(line \d+ column \d+\)$/, '')} (line ${line}, column ${column})`;
}
