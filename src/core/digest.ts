import { languageOf, type DocumentKind, type DocumentRecord } from './record.js';
import { matchesLanguage } from './text/language.js';
import { truncate } from './truncate.js';

/** One ingestion-log line as the digest needs it (a structural subset of the store's entry). */
export interface DigestLogEntry {
  readonly seq: number;
  readonly docId: string;
  readonly event: 'new' | 'updated' | 'removed';
  /** ISO time of ingestion. */
  readonly at: string;
  /** False for a document indexed without being news (a live source's first fetch, too old). */
  readonly news?: boolean;
}

/** A document chosen for a digest. */
export interface DigestItem {
  readonly seq: number;
  readonly at: string;
  readonly record: DocumentRecord;
  /** Included by the subscription's backfill, not because it is new in this window. */
  readonly isBackfill: boolean;
}

/**
 * Picks what a digest contains: each `new` document of the window that is news, once (first entry wins), that
 * still exists and matches the topic, after the backfill entries (which are never repeated). Pure,
 * but for `seen`: a window read a page at a time passes one set to every page's call, so a
 * document taken on an earlier page is not taken again.
 */
export function selectDigestItems(input: {
  readonly entries: readonly DigestLogEntry[];
  readonly backfill?: readonly DigestLogEntry[];
  readonly lookup: (id: string) => DocumentRecord | undefined;
  readonly matches?: (record: DocumentRecord) => boolean;
  /** Documents already considered by earlier calls over the same window; this call adds its own. */
  readonly seen?: Set<string>;
}): DigestItem[] {
  const seen = input.seen ?? new Set<string>();
  const items: DigestItem[] = [];
  const take = (entry: DigestLogEntry, isBackfill: boolean) => {
    if (entry.event !== 'new' || entry.news === false || seen.has(entry.docId)) return;
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

/** The period a digest covers, as ISO times; renderers show it in their readers' terms. */
export interface DigestWindow {
  /** When the previous digest ran (or the subscription began); null when unknown or none (a stand-alone preview). */
  readonly since: string | null;
  /** When the digest was planned. */
  readonly until: string;
}

/** The press contact shown with an article: the first of its contact block. */
export interface DigestContact {
  readonly name: string;
  readonly office: string | null;
  readonly email: string | null;
  /** The first phone, shown when there is no e-mail. */
  readonly phone: string | null;
}

/** The facts a digest shows for a project instead of a summary. */
export interface DigestProjectFacts {
  readonly status: string | null;
  readonly budgetUsd: number | null;
  readonly region: string | null;
  /** Projects ID, else Prima ID. */
  readonly reference: string | null;
}

/** One document of a digest, with what any renderer needs to show it. */
export interface DigestPlanItem {
  /** 1-based position across the whole digest: the number readers see and the Read button carries. */
  readonly number: number;
  readonly id: string;
  readonly kind: DocumentKind;
  readonly title: string;
  readonly country: string | null;
  /** One line of plain text (see {@link summarize}). */
  readonly summary: string;
  readonly contact: DigestContact | null;
  readonly project: DigestProjectFacts | null;
  /** Link to the original page; null for sources that give none (the shipped pages). */
  readonly url: string | null;
  /** When the source published it (ISO); null for sources that give none (the shipped pages). */
  readonly publishedAt: string | null;
  /** When it was ingested (ISO). */
  readonly ingestedAt: string;
  /** Included by the subscription's backfill, not because it is new in this window. */
  readonly isBackfill: boolean;
  /**
   * The language tags of the same release's other versions in this digest, listed on this item
   * instead of as items of their own (see {@link mergeTranslations}); empty for most items.
   */
  readonly otherLanguages: readonly string[];
}

/** A group of a digest: the articles of one dateline country, the articles without one, or projects. */
export interface DigestSection {
  readonly kind: 'country' | 'other' | 'projects';
  /** The country, "Other news" or "Projects". */
  readonly title: string;
  readonly items: readonly DigestPlanItem[];
}

/** What a digest says, before any layout: renderers (Discord, CLI) turn it into messages or text. */
export interface DigestPlan {
  readonly window: DigestWindow;
  /** The subscription's topic filter, as typed; null for everything. */
  readonly query: string | null;
  readonly articleCount: number;
  readonly projectCount: number;
  /** Items included as the subscription's backfill. */
  readonly backfillCount: number;
  /** Matching items left for the next digest (see {@link capDigestItems}). */
  readonly remaining: number;
  /** Articles by dateline country (alphabetical, "Other news" last), then projects; empty: nothing to post. */
  readonly sections: readonly DigestSection[];
}

const NO_COUNTRY = 'Other news';
const SUMMARY_LENGTH = 200;

/** At most this many characters of lead sentences (a third-party article's short summary). */
const LEAD_LENGTH = 600;

/**
 * The first `count` sentences of a document's text, its dateline removed, as one line of plain
 * text (at most 600 characters): what Discord shows of an article it may not reproduce in full.
 */
export function leadSentences(record: DocumentRecord, count: number): string {
  const [first = '', ...rest] = record.paragraphs;
  const withoutDateline =
    record.country && first.startsWith(`${record.country} - `)
      ? first.slice(record.country.length + 3)
      : first;
  const text = [withoutDateline, ...rest].join(' ').replace(/\s+/g, ' ').trim();
  // A sentence ends at . ! or ? before white space ("evil.example" and "3.5" are not ends).
  const sentences = text.split(/(?<=[.!?])\s+/);
  return truncate(sentences.slice(0, count).join(' '), LEAD_LENGTH);
}

/** The first sentence of the text, without its dateline, cut to one line. */
export function summarize(record: DocumentRecord): string {
  return truncate(leadSentences(record, 1), SUMMARY_LENGTH) || 'No summary available.';
}

/**
 * One item per release: items linked as language versions of each other (a record's
 * `translations` naming another's address, either way) become one, the version in `language` when
 * there is one (`fr` also takes `fr-*`), else the first; it keeps the place of the group's first
 * item and lists the others' languages. Pure.
 */
export function mergeTranslations(
  items: readonly DigestItem[],
  language: string | null = null,
): Array<{ item: DigestItem; otherLanguages: string[] }> {
  const parent = items.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  // A group's root is its first item: groups come out in the order of their first items.
  const union = (a: number, b: number) => {
    const [x, y] = [root(a), root(b)];
    if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
  };
  const at = new Map<string, number>();
  items.forEach((item, i) => {
    for (const url of item.record.urls ?? []) if (!at.has(url)) at.set(url, i);
  });
  items.forEach((item, i) => {
    for (const t of item.record.translations ?? []) {
      const j = at.get(t.url);
      if (j !== undefined) union(i, j);
    }
  });
  const groups = new Map<number, DigestItem[]>();
  items.forEach((item, i) => {
    const r = root(i);
    groups.set(r, [...(groups.get(r) ?? []), item]);
  });
  return [...groups.values()].map((group) => {
    const chosen =
      (language !== null && group.find((g) => matchesLanguage(languageOf(g.record), language))) || group[0]!;
    const others = group.filter((g) => g !== chosen).map((g) => languageOf(g.record));
    return { item: chosen, otherLanguages: [...new Set(others)] };
  });
}

function planItem(item: DigestItem, number: number, otherLanguages: readonly string[] = []): DigestPlanItem {
  const { record } = item;
  const contact = record.contacts[0];
  const p = record.project;
  return {
    number,
    id: record.id,
    kind: record.kind,
    title: record.title,
    country: record.country,
    summary: summarize(record),
    contact: contact
      ? {
          name: contact.name,
          office: contact.office,
          email: contact.email,
          phone: contact.phones[0] ?? null,
        }
      : null,
    project: p
      ? { status: p.status, budgetUsd: p.budgetUsd, region: p.region, reference: p.projectId ?? p.primaId }
      : null,
    url: record.url ?? null,
    publishedAt: record.publishedAt ?? null,
    ingestedAt: item.at,
    isBackfill: item.isBackfill,
    otherLanguages,
  };
}

/**
 * Plans a digest: articles grouped by dateline country (alphabetical, "Other news" last), then
 * projects, numbered in that order, with the window as times. Pure: `now` is the digest's time.
 */
export function planDigest(input: {
  readonly items: readonly DigestItem[];
  /** When the previous digest ran (or the subscription began); null when unknown. */
  readonly since: string | null;
  readonly now: Date;
  readonly query?: string | null;
  /** Matching items left for the next digest (see capDigestItems). */
  readonly remaining?: number;
  /** The language the digest is written in: of a release's versions, the one kept (see mergeTranslations). */
  readonly language?: string | null;
}): DigestPlan {
  const merged = mergeTranslations(input.items, input.language ?? null);
  const others = new Map(merged.map((m) => [m.item, m.otherLanguages]));
  const kept = merged.map((m) => m.item);
  const articles = kept.filter((i) => i.record.kind === 'article');
  const projects = kept.filter((i) => i.record.kind === 'project');
  const byCountry = new Map<string, DigestItem[]>();
  for (const item of articles) {
    const key = item.record.country ?? NO_COUNTRY;
    byCountry.set(key, [...(byCountry.get(key) ?? []), item]);
  }
  const countries = [...byCountry.keys()].sort((a, b) =>
    a === NO_COUNTRY ? 1 : b === NO_COUNTRY ? -1 : a.localeCompare(b, 'en'),
  );
  let number = 0;
  const sections: DigestSection[] = countries.map((country) => ({
    kind: country === NO_COUNTRY ? 'other' : 'country',
    title: country,
    items: (byCountry.get(country) ?? []).map((item) => planItem(item, ++number, others.get(item))),
  }));
  if (projects.length > 0) {
    sections.push({
      kind: 'projects',
      title: 'Projects',
      items: projects.map((item) => planItem(item, ++number, others.get(item))),
    });
  }
  return {
    window: { since: input.since, until: input.now.toISOString() },
    query: input.query ?? null,
    articleCount: articles.length,
    projectCount: projects.length,
    backfillCount: kept.filter((i) => i.isBackfill).length,
    remaining: input.remaining ?? 0,
    sections,
  };
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "Migration news digest: 4 articles and 1 project": a digest's title, in plain text. */
export function digestHeadline(plan: DigestPlan): string {
  const counts = [
    plan.articleCount > 0 ? plural(plan.articleCount, 'article') : null,
    plan.projectCount > 0 ? plural(plan.projectCount, 'project') : null,
  ]
    .filter(Boolean)
    .join(' and ');
  return `Migration news digest: ${counts}`;
}

/** Plain sentences about a digest's backfill and what follows in the next one (possibly none). */
export function digestNotes(plan: DigestPlan): string[] {
  const notes: string[] = [];
  if (plan.backfillCount > 0)
    notes.push(`Includes ${plural(plan.backfillCount, 'earlier article')} as a backfill.`);
  if (plan.remaining > 0)
    notes.push(`${plural(plan.remaining, 'more item')} will follow in the next digest.`);
  return notes;
}

/** "Press contact: Ana Lima, IOM Nairobi · alima@iom.int" (the phone when there is no e-mail). */
export function contactLine(contact: DigestContact): string {
  const parts = [contact.office ? `${contact.name}, ${contact.office}` : contact.name];
  if (contact.email) parts.push(contact.email);
  else if (contact.phone) parts.push(contact.phone);
  return `Press contact: ${parts.join(' · ')}`;
}

/** An item's lines below its title: a project's facts, or an article's summary and press contact. */
export function itemLines(item: DigestPlanItem): string[] {
  if (item.kind === 'project') {
    const p = item.project;
    const bits = [
      p?.status,
      p?.budgetUsd != null ? `US$${Math.round(p.budgetUsd).toLocaleString('en-US')}` : null,
      p?.region,
      p?.reference,
    ].filter((b): b is string => typeof b === 'string' && b.length > 0);
    return [bits.length > 0 ? bits.join(' · ') : item.summary];
  }
  return item.contact ? [item.summary, contactLine(item.contact)] : [item.summary];
}
