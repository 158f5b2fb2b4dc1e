import { createHash } from 'node:crypto';
import type { DocumentRecord } from './record.js';
import { DISCORD_LIMITS } from './discordLimits.js';
import { escapeMarkdown } from './search/snippet.js';

/** One ingestion-log line as the digest needs it (a structural subset of the store's entry). */
export interface DigestLogEntry {
  readonly seq: number;
  readonly docId: string;
  readonly event: 'new' | 'updated' | 'removed';
  /** ISO time of ingestion. */
  readonly at: string;
}

/** A document chosen for a digest. */
export interface DigestItem {
  readonly seq: number;
  readonly at: string;
  readonly record: DocumentRecord;
  /** Included by the subscription's backfill, not because it is new in this window. */
  readonly isBackfill: boolean;
}

/** Discord's message limits the digest is packed into, named as the packer counts them. */
export const DIGEST_LIMITS = {
  embedsPerMessage: DISCORD_LIMITS.embedsPerMessage,
  charsPerMessage: DISCORD_LIMITS.embedTotal,
  fieldsPerEmbed: DISCORD_LIMITS.embedFields,
  embedTitle: DISCORD_LIMITS.embedTitle,
  embedDescription: DISCORD_LIMITS.embedDescription,
  fieldName: DISCORD_LIMITS.fieldName,
  fieldValue: DISCORD_LIMITS.fieldValue,
  content: DISCORD_LIMITS.content,
  buttonsPerMessage: DISCORD_LIMITS.actionRows * DISCORD_LIMITS.buttonsPerRow,
  buttonLabel: DISCORD_LIMITS.buttonLabel,
  nonce: DISCORD_LIMITS.nonce,
} as const;

export interface DigestField {
  readonly name: string;
  readonly value: string;
}
export interface DigestEmbed {
  readonly title: string;
  readonly description: string | null;
  readonly color: number;
  readonly fields: readonly DigestField[];
  readonly footer: string | null;
}
/** A "Read" button; the Discord adapter gives it a custom_id that opens the document ephemerally. */
export interface DigestButton {
  readonly label: string;
  readonly docId: string;
}
/** One Discord message of a digest, as plain data; the adapter turns it into an API payload. */
export interface DigestMessage {
  readonly content: string | null;
  readonly embeds: readonly DigestEmbed[];
  readonly buttons: readonly DigestButton[];
}

export interface Digest {
  readonly articleCount: number;
  readonly projectCount: number;
  /** In order; empty when there is nothing to post. */
  readonly messages: readonly DigestMessage[];
}

export interface DigestWindow {
  readonly fromSeq: number;
  readonly toSeq: number;
  /** When the previous digest ran (or the subscription began); null when unknown. */
  readonly since: string | null;
}

const HEADER_COLOR = 0x0033a0;
const ARTICLE_COLOR = 0x5b92e5;
const PROJECT_COLOR = 0x2e8540;
const NO_COUNTRY = 'Other news';
const SUMMARY_LENGTH = 200;

/** Cuts to `max` characters with an ellipsis, on a code-point boundary. */
function fit(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * Picks what a digest contains: each `new` document of the window once (first entry wins), that
 * still exists and matches the topic, after the backfill entries (which are never repeated). Pure.
 */
export function selectDigestItems(input: {
  readonly entries: readonly DigestLogEntry[];
  readonly backfill?: readonly DigestLogEntry[];
  readonly lookup: (id: string) => DocumentRecord | undefined;
  readonly matches?: (record: DocumentRecord) => boolean;
}): DigestItem[] {
  const seen = new Set<string>();
  const items: DigestItem[] = [];
  const take = (entry: DigestLogEntry, isBackfill: boolean) => {
    if (entry.event !== 'new' || seen.has(entry.docId)) return;
    seen.add(entry.docId);
    const record = input.lookup(entry.docId);
    if (!record || (input.matches && !input.matches(record))) return;
    items.push({ seq: entry.seq, at: entry.at, record, isBackfill });
  };
  for (const entry of input.backfill ?? []) take(entry, true);
  for (const entry of input.entries) take(entry, false);
  return items;
}

/** The most items one digest carries; a bigger backlog (say, after a long downtime) follows in later digests. */
export const MAX_DIGEST_ITEMS = 100;

/**
 * Caps a digest at `max` items so a backlog never floods a channel. When items are left out, the
 * window ends at the last item taken (never before `cursor`), so the rest come in the next digest,
 * each exactly once. Pure.
 */
export function capDigestItems(
  items: readonly DigestItem[],
  window: { readonly cursor: number; readonly end: number },
  max = MAX_DIGEST_ITEMS,
): { items: DigestItem[]; toSeq: number; remaining: number } {
  if (items.length <= max) return { items: [...items], toSeq: window.end, remaining: 0 };
  const kept = items.slice(0, max);
  const last = kept.at(-1) as DigestItem;
  return { items: kept, toSeq: Math.max(window.cursor, last.seq), remaining: items.length - max };
}

/** The first sentence of the first paragraph, without its dateline, cut to one line. */
export function summarize(record: DocumentRecord): string {
  const first = record.paragraphs[0] ?? '';
  const withoutDateline =
    record.country && first.startsWith(`${record.country} - `)
      ? first.slice(record.country.length + 3)
      : first;
  const sentence = /^.*?[.!?](?=\s|$)/.exec(withoutDateline)?.[0] ?? withoutDateline;
  return fit(sentence.replace(/\s+/g, ' ').trim(), SUMMARY_LENGTH) || 'No summary available.';
}

function contactLine(record: DocumentRecord): string | null {
  const contact = record.contacts[0];
  if (!contact) return null;
  const parts = [contact.office ? `${contact.name}, ${contact.office}` : contact.name];
  if (contact.email) parts.push(contact.email);
  else if (contact.phones[0]) parts.push(contact.phones[0]);
  return `Press contact: ${parts.join(' · ')}`;
}

function projectLine(record: DocumentRecord): string {
  const p = record.project;
  const bits = [
    p?.status,
    p?.budgetUsd != null ? `US$${Math.round(p.budgetUsd).toLocaleString('en-US')}` : null,
    p?.region,
    p?.projectId ?? p?.primaId,
  ].filter((b): b is string => typeof b === 'string' && b.length > 0);
  return bits.length > 0 ? bits.join(' · ') : summarize(record);
}

interface Block {
  /** Embed title of the section this item belongs to. */
  readonly section: string;
  readonly color: number;
  readonly field: DigestField;
  readonly docId: string;
  readonly number: number;
}

const fieldChars = (f: DigestField) => f.name.length + f.value.length;

/**
 * Lays a digest out in Discord messages: a header (window and counts), then one embed section per
 * dateline country (alphabetical, "Other news" last), then projects; each item with its title, a
 * one-line summary, its press contact and a numbered "Read" button. Sections continue across messages
 * in order; every message stays within DIGEST_LIMITS. Pure: `now` is the digest's time.
 */
export function composeDigest(input: {
  readonly items: readonly DigestItem[];
  readonly window: DigestWindow;
  readonly now: Date;
  readonly query?: string | null;
  /** Matching items left for the next digest (see capDigestItems). */
  readonly remaining?: number;
}): Digest {
  const articles = input.items.filter((i) => i.record.kind === 'article');
  const projects = input.items.filter((i) => i.record.kind === 'project');
  if (input.items.length === 0) return { articleCount: 0, projectCount: 0, messages: [] };

  const byCountry = new Map<string, DigestItem[]>();
  for (const item of articles) {
    const key = item.record.country ?? NO_COUNTRY;
    byCountry.set(key, [...(byCountry.get(key) ?? []), item]);
  }
  const countries = [...byCountry.keys()].sort((a, b) =>
    a === NO_COUNTRY ? 1 : b === NO_COUNTRY ? -1 : a.localeCompare(b, 'en'),
  );

  let number = 0;
  const blocks: Block[] = [];
  for (const country of countries) {
    for (const item of byCountry.get(country) ?? []) {
      number++;
      const lines = [summarize(item.record), contactLine(item.record)].filter((l): l is string => l !== null);
      blocks.push({
        section: fit(country, DIGEST_LIMITS.embedTitle - 20),
        color: ARTICLE_COLOR,
        docId: item.record.id,
        number,
        field: {
          name: fit(`${number}. ${escapeMarkdown(item.record.title)}`, DIGEST_LIMITS.fieldName),
          value: fit(lines.join('\n'), DIGEST_LIMITS.fieldValue),
        },
      });
    }
  }
  for (const item of projects) {
    number++;
    blocks.push({
      section: 'Projects',
      color: PROJECT_COLOR,
      docId: item.record.id,
      number,
      field: {
        name: fit(`${number}. ${escapeMarkdown(item.record.title)}`, DIGEST_LIMITS.fieldName),
        value: fit(projectLine(item.record), DIGEST_LIMITS.fieldValue),
      },
    });
  }

  const header = headerEmbed(input, articles.length, projects.length);
  const messages = pack(header, blocks);
  const total = messages.length;
  return {
    articleCount: articles.length,
    projectCount: projects.length,
    messages: messages.map((m, k) => ({
      ...m,
      content: total > 1 ? `Migration news digest, part ${k + 1} of ${total}` : null,
    })),
  };
}

function headerEmbed(
  input: {
    readonly window: DigestWindow;
    readonly now: Date;
    readonly query?: string | null;
    readonly items: readonly DigestItem[];
    readonly remaining?: number;
  },
  articleCount: number,
  projectCount: number,
): DigestEmbed {
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  const counts = [
    articleCount > 0 ? plural(articleCount, 'article') : null,
    projectCount > 0 ? plural(projectCount, 'project') : null,
  ]
    .filter(Boolean)
    .join(' and ');
  const backfilled = input.items.filter((i) => i.isBackfill).length;
  const nowUnix = Math.floor(input.now.getTime() / 1000);
  const lines = [
    input.window.since
      ? `Ingested between <t:${unix(input.window.since)}:f> and <t:${nowUnix}:f>.`
      : `Ingested up to <t:${nowUnix}:f>.`,
  ];
  if (backfilled > 0) lines.push(`Includes ${plural(backfilled, 'earlier article')} as a backfill.`);
  if (input.query) lines.push(`Topic: ${fit(escapeMarkdown(input.query), 200)}`);
  if (input.remaining) lines.push(`${plural(input.remaining, 'more item')} will follow in the next digest.`);
  return {
    title: fit(`Migration news digest: ${counts}`, DIGEST_LIMITS.embedTitle),
    description: lines.join('\n'),
    color: HEADER_COLOR,
    fields: [],
    footer: `Log entries ${input.window.fromSeq + 1}–${input.window.toSeq}`,
  };
}

const embedChars = (e: DigestEmbed) =>
  e.title.length +
  (e.description?.length ?? 0) +
  (e.footer?.length ?? 0) +
  e.fields.reduce((n, f) => n + fieldChars(f), 0);

/** Greedy packing in order; a section split across embeds or messages says "(continued)". */
function pack(header: DigestEmbed, blocks: readonly Block[]): Array<Omit<DigestMessage, 'content'>> {
  // Room for the "part i of n" content is not counted: content has its own 2000 limit.
  const L = DIGEST_LIMITS;
  const messages: Array<{ embeds: DigestEmbed[]; buttons: DigestButton[]; chars: number }> = [];
  let message = {
    embeds: [header] as DigestEmbed[],
    buttons: [] as DigestButton[],
    chars: embedChars(header),
  };
  messages.push(message);
  const started = new Set<string>();
  let current: { section: string; embed: DigestEmbed; index: number } | undefined;

  for (const block of blocks) {
    const cost = fieldChars(block.field);
    const fitsInEmbed =
      current !== undefined &&
      current.section === block.section &&
      current.embed.fields.length < L.fieldsPerEmbed &&
      message.chars + cost <= L.charsPerMessage &&
      message.buttons.length < L.buttonsPerMessage;
    if (!fitsInEmbed) {
      const title = started.has(block.section) ? `${block.section} (continued)` : block.section;
      const needed = title.length + cost;
      if (
        message.embeds.length >= L.embedsPerMessage ||
        message.chars + needed > L.charsPerMessage ||
        message.buttons.length >= L.buttonsPerMessage
      ) {
        message = { embeds: [], buttons: [], chars: 0 };
        messages.push(message);
      }
      started.add(block.section);
      const embed: DigestEmbed = { title, description: null, color: block.color, fields: [], footer: null };
      message.embeds.push(embed);
      message.chars += title.length;
      current = { section: block.section, embed, index: message.embeds.length - 1 };
    }
    const target = current as { section: string; embed: DigestEmbed; index: number };
    target.embed = { ...target.embed, fields: [...target.embed.fields, block.field] };
    message.embeds[target.index] = target.embed;
    message.chars += cost;
    message.buttons.push({
      label: fit(`Read ${block.number}`, L.buttonLabel),
      docId: block.docId,
    });
  }
  return messages.map(({ embeds, buttons }) => ({ embeds, buttons }));
}

/**
 * The nonce of one message of one delivery: deterministic, so a re-post after a crash carries the
 * same nonce and Discord (with enforce_nonce) returns the first message instead of a duplicate; salted
 * with the store's instance id so a fresh store never reuses a remembered nonce. 24 characters.
 */
export function digestNonce(
  instanceId: string,
  subscriptionId: number,
  deliveryId: number,
  part: number,
): string {
  const digest = createHash('sha256')
    .update(`${instanceId}:${subscriptionId}:${deliveryId}:${part}`)
    .digest('hex');
  return `d${digest.slice(0, DIGEST_LIMITS.nonce - 2)}`;
}
