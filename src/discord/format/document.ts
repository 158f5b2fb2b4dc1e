import {
  ButtonStyle,
  ComponentType,
  time,
  type APIButtonComponent,
  type APIButtonComponentWithURL,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import { leadSentences } from '../../core/digest.js';
import type { Contact, DocumentRecord, ProjectFields } from '../../core/record.js';
import { buttonRows, contactButton, readButton, type MessageRow } from '../components.js';
import type { BotReply } from '../reply.js';
import { BRAND_COLOR } from './about.js';
import { DISCORD_LIMITS as L } from '../limits.js';
import { truncate } from '../../core/truncate.js';
import { escapeText } from './text.js';
import {
  formatList,
  languageNameIn,
  translator,
  type Language,
  type Translate,
} from '../../i18n/translate.js';

const PROJECT_COLOR = 0x2e8540;

/** "Pär Liljert, IOM Beijing\n+86 …\npliljert@iom.int" */
export function contactLines(contact: Contact, t: Translate): string {
  return [
    escapeText([contact.name, contact.office].filter(Boolean).join(', ')),
    ...contact.phones.map((p) => t('article.phone', { phone: escapeText(p) })),
    ...(contact.email ? [escapeText(contact.email)] : []),
  ].join('\n');
}

/** Text paragraphs as an embed description, cut cleanly at the limit. */
function body(paragraphs: readonly string[], max: number = L.embedDescription): string {
  return truncate(paragraphs.map(escapeText).join('\n\n'), max);
}

/**
 * How much of a document Discord may show, and where it comes from. A fetched document shows its
 * full text only when its source is marked `fullText: true`; otherwise (a news outlet's article)
 * its title, at most two sentences, the date, the source and a link.
 */
export interface DocumentPresentation {
  readonly fullText: boolean;
  /** The source's name from sources.json, for fetched documents; null shows the record's source. */
  readonly sourceName: string | null;
}

/** Shipped pages are ours to show in full; fetched documents follow their source's rule. */
const FILE_PAGE: DocumentPresentation = { fullText: true, sourceName: null };

/** Sentences a third-party article shows in Discord. */
const SUMMARY_SENTENCES = 2;

/** Whether Discord accepts an address as an embed url or a link button: http(s), ≤ 512 characters. */
export function isLinkable(url: string): boolean {
  return url.length <= 512 && /^https?:\/\//i.test(url);
}

/** The document's address when Discord can link it. */
function linkOf(doc: DocumentRecord): string | null {
  return doc.url !== undefined && isLinkable(doc.url) ? doc.url : null;
}

/** "Source: UN News · published <t:…:D> · id …", or the file path for a shipped page. */
function footerText(doc: DocumentRecord, view: DocumentPresentation, t: Translate): string {
  const source = doc.sourceId !== undefined ? (view.sourceName ?? doc.sourceId) : doc.source;
  return truncate(t('article.footer', { source, id: doc.id }), L.footerText);
}

/** A fetched document's link and date, above its text. */
function originLines(doc: DocumentRecord, t: Translate): string[] {
  const lines: string[] = [];
  if (doc.publishedAt) lines.push(t('article.published', { date: time(new Date(doc.publishedAt), 'D') }));
  return lines;
}

/** The article card: title, dateline country, text (or a short summary), press contacts, source, link. */
export function articleEmbed(
  doc: DocumentRecord,
  view: DocumentPresentation = FILE_PAGE,
  lang: Language = 'en',
): APIEmbed {
  const t = translator(lang);
  const fields: APIEmbedField[] = doc.contacts.map((c, i) => ({
    name: i === 0 ? t('article.pressContact') : '\u200b',
    value: truncate(contactLines(c, t), L.fieldValue),
    inline: true,
  }));
  const link = linkOf(doc);
  const text = view.fullText
    ? body(doc.paragraphs, L.embedDescription - 100)
    : [escapeText(leadSentences(doc, SUMMARY_SENTENCES)), link ? t('article.readAtSource') : '']
        .filter(Boolean)
        .join('\n\n');
  return {
    title: truncate(escapeText(doc.title), L.embedTitle),
    ...(link ? { url: link } : {}),
    color: BRAND_COLOR,
    ...(doc.country ? { author: { name: t('article.dateline', { country: doc.country }) } } : {}),
    description: [...originLines(doc, t), text || t('article.noText')].join('\n'),
    fields,
    footer: { text: footerText(doc, view, t) },
  };
}

/** US dollars without cents: "$100,000". */
export function formatUsd(amount: number, lang: Language = 'en'): string {
  return new Intl.NumberFormat(lang === 'en' ? 'en-US' : lang, {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0,
  }).format(amount);
}

function projectFields(p: ProjectFields, lang: Language): APIEmbedField[] {
  const t = translator(lang);
  const rows: [string, string | null][] = [
    [t('article.field.status'), p.status],
    [t('article.field.start'), p.startDate],
    [t('article.field.end'), p.endDate],
    [t('article.field.budget'), p.budgetUsd === null ? null : formatUsd(p.budgetUsd, lang)],
    [t('article.field.type'), p.type],
    [t('article.field.coverage'), p.coverage],
    [t('article.field.region'), p.region],
    [t('article.field.year'), p.year === null ? null : String(p.year)],
    [t('article.field.primaId'), p.primaId],
    [t('article.field.projectsId'), p.projectId],
    [t('article.field.memberStates'), p.memberStates.length ? p.memberStates.join(', ') : null],
    ...Object.entries(p.extra),
  ];
  return rows
    .filter((row): row is [string, string] => row[1] !== null && row[1] !== '')
    .map(([name, value]) => ({
      name: truncate(escapeText(name), L.fieldName),
      value: truncate(escapeText(value), L.fieldValue),
      inline: true,
    }));
}

/** The project card: status, dates, budget in US dollars, type, coverage, region, IDs, member states, description. */
export function projectEmbed(
  doc: DocumentRecord,
  view: DocumentPresentation = FILE_PAGE,
  lang: Language = 'en',
): APIEmbed {
  const t = translator(lang);
  const link = linkOf(doc);
  const text = view.fullText ? body(doc.paragraphs, 2000) : escapeText(leadSentences(doc, SUMMARY_SENTENCES));
  return {
    title: truncate(escapeText(doc.title), L.embedTitle),
    ...(link ? { url: link } : {}),
    color: PROJECT_COLOR,
    author: { name: t('common.project') },
    description: [...originLines(doc, t), text || t('article.noDescription')].join('\n'),
    fields: doc.project ? projectFields(doc.project, lang).slice(0, L.embedFields) : [],
    footer: { text: footerText(doc, view, t) },
  };
}

/** A language version of a document: the library's document there (`id`), else its address. */
export interface TranslationLink {
  readonly language: string;
  readonly url: string;
  readonly id?: string;
}

/**
 * "Also in: French, Italian" (names in the reader's language) and a button per version: one that
 * opens the library's document (the stateless `read` action), else a link to the publisher's page.
 */
function translationsPart(
  translations: readonly TranslationLink[],
  lang: Language,
): { line: string | null; row: MessageRow[] } {
  if (translations.length === 0) return { line: null, row: [] };
  const named = translations.map((tr) => ({ ...tr, name: languageNameIn(lang, tr.language) }));
  const line = translator(lang)('article.alsoIn', {
    languages: formatList(
      lang,
      named.map((n) => n.name),
    ),
  });
  const buttons = named.flatMap((n): APIButtonComponent[] => {
    const read = n.id !== undefined ? readButton(n.id, n.name) : undefined;
    if (read) return [read];
    return isLinkable(n.url)
      ? [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Link,
            label: truncate(n.name, L.buttonLabel),
            url: n.url,
          },
        ]
      : [];
  });
  const row: MessageRow[] =
    buttons.length > 0
      ? [{ type: ComponentType.ActionRow, components: buttons.slice(0, L.buttonsPerRow) }]
      : [];
  return { line, row };
}

/**
 * A document as a reply: the article or project card, with buttons for its other language
 * versions ("Also in"), its press contacts and related articles.
 */
export function documentReply(
  doc: DocumentRecord,
  related: readonly { readonly id: string; readonly title: string }[],
  options: {
    ephemeral?: boolean;
    note?: string;
    view?: DocumentPresentation;
    lang?: Language;
    translations?: readonly TranslationLink[];
  } = {},
): BotReply {
  const view = options.view ?? FILE_PAGE;
  const lang = options.lang ?? 'en';
  const t = translator(lang);
  const versions = translationsPart(options.translations ?? [], lang);
  const content = [options.note, versions.line].filter(Boolean).join('\n');
  const contactRow = buttonRows(doc.contacts.flatMap((c) => contactButton(c.name, t) ?? []).slice(0, 5));
  const relatedRow = buttonRows(related.flatMap((r) => readButton(r.id, r.title) ?? []).slice(0, 5));
  const link = linkOf(doc);
  const linkButton: APIButtonComponentWithURL | null = link
    ? { type: ComponentType.Button, style: ButtonStyle.Link, label: t('buttons.openOriginal'), url: link }
    : null;
  return {
    ...(content ? { content } : {}),
    embeds: [doc.kind === 'project' ? projectEmbed(doc, view, lang) : articleEmbed(doc, view, lang)],
    components: [
      ...(linkButton ? [{ type: ComponentType.ActionRow as const, components: [linkButton] }] : []),
      ...versions.row,
      ...contactRow,
      ...relatedRow,
    ].slice(0, L.actionRows),
    ephemeral: options.ephemeral ?? false,
  };
}

/** A project card, naming up to five other projects that also match the query. */
export function projectReply(
  project: DocumentRecord,
  others: readonly DocumentRecord[],
  lang: Language,
): BotReply {
  const also = others.slice(0, 5).map((p) => escapeText(p.title));
  const note = also.length
    ? { note: translator(lang)('article.alsoMatching', { list: also.join('; ') }) }
    : {};
  return documentReply(project, [], { ...note, lang });
}
