import { z } from 'zod';

/** A press contact as printed in a page's contact block. */
export const ContactSchema = z.object({
  name: z.string().min(1),
  office: z.string().min(1).nullable(),
  phones: z.array(z.string().min(1)),
  email: z.email().nullable(),
});
export type Contact = z.infer<typeof ContactSchema>;

/** The `- / label / value` fields of a project page, typed. */
export const ProjectFieldsSchema = z.object({
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  status: z.string().nullable(),
  type: z.string().nullable(),
  budgetUsd: z.number().nonnegative().nullable(),
  coverage: z.string().nullable(),
  year: z.number().int().nullable(),
  region: z.string().nullable(),
  primaId: z.string().nullable(),
  projectId: z.string().nullable(),
  memberStates: z.array(z.string().min(1)),
  /** Labels we do not know yet, kept verbatim rather than lost. */
  extra: z.record(z.string(), z.string()),
});
export type ProjectFields = z.infer<typeof ProjectFieldsSchema>;

/** The same release published in another language, as the publisher links it. */
export const TranslationSchema = z.object({
  /** BCP 47 tag of that version. */
  language: z.string().min(2),
  /** Its canonical address (a document of the library when one has it among its `urls`). */
  url: z.string().min(1),
});
export type Translation = z.infer<typeof TranslationSchema>;

export const DocumentKindSchema = z.enum(['article', 'project']);
export type DocumentKind = z.infer<typeof DocumentKindSchema>;

/**
 * One parsed page. This is the contract of the CLI's JSON output: field names must not change,
 * new fields may be added.
 */
export const DocumentRecordSchema = z.object({
  /** File name without extension. */
  id: z.string().min(1),
  kind: DocumentKindSchema,
  title: z.string().min(1),
  /** Dateline country for articles, first benefiting member state for projects. */
  country: z.string().min(1).nullable(),
  paragraphs: z.array(z.string().min(1)),
  contacts: z.array(ContactSchema),
  project: ProjectFieldsSchema.nullable(),
  /** Path relative to the data folder, with forward slashes (`raw/000_x.txt`). */
  source: z.string().min(1),
  /** sha256 of the file's bytes, hex. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Fetched documents only: the canonical address of the original. */
  url: z.string().min(1).optional(),
  /** Fetched documents only: every canonical address the document was seen under, `url` first. */
  urls: z.array(z.string().min(1)).optional(),
  /** Fetched documents only: publication date, ISO 8601, or null when the source gave none. */
  publishedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** Fetched documents only: the id of the source in sources.json. */
  sourceId: z.string().min(1).optional(),
  /**
   * BCP 47 tag of the text's language (`fr`, `fa-AF`), `und` when it could not be told: declared by
   * the source or the publisher, else detected. Records stored before languages have none: they
   * were all English (see {@link languageOf}).
   */
  language: z.string().min(2).optional(),
  /**
   * Fetched documents only: the same release in other languages, where the publisher says so (an
   * IOM page's `<link rel="alternate" hreflang>`); absent when it names none.
   */
  translations: z.array(TranslationSchema).optional(),
});
export type DocumentRecord = z.infer<typeof DocumentRecordSchema>;

/**
 * A record's language. Records written before languages existed carry none; every source then
 * was English, so that is what they are.
 */
export function languageOf(record: { readonly language?: string | undefined }): string {
  return record.language ?? 'en';
}

/** A record without its text: what the library keeps in memory for every document. */
export type RecordMeta = Omit<DocumentRecord, 'paragraphs'>;

/** The record of `meta` with its `paragraphs`, fields in the schema's order (JSON output keeps it). */
export function withParagraphs(meta: RecordMeta, paragraphs: string[]): DocumentRecord {
  const { id, kind, title, country, ...rest } = meta;
  return { id, kind, title, country, paragraphs, ...rest };
}

/** The record's metadata (a new object, without `paragraphs`). */
export function metaOf(record: DocumentRecord): RecordMeta {
  const { paragraphs: _paragraphs, ...meta } = record;
  return meta;
}
