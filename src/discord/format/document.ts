import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Contact, DocumentRecord, ProjectFields } from '../../core/record.js';
import { buttonRows, contactButton, readButton } from '../components.js';
import type { BotReply } from '../reply.js';
import { BRAND_COLOR } from './about.js';
import { DISCORD_LIMITS as L } from '../limits.js';
import { truncate } from '../../core/truncate.js';
import { escapeText } from './text.js';

const PROJECT_COLOR = 0x2e8540;

/** "Pär Liljert, IOM Beijing\n+86 …\npliljert@iom.int" */
export function contactLines(contact: Contact): string {
  return [
    [contact.name, contact.office].filter(Boolean).join(', '),
    ...contact.phones.map((p) => `Tel. ${p}`),
    ...(contact.email ? [contact.email] : []),
  ]
    .map(escapeText)
    .join('\n');
}

/** Text paragraphs as an embed description, cut cleanly at the limit. */
function body(paragraphs: readonly string[], max: number = L.embedDescription): string {
  return truncate(paragraphs.map(escapeText).join('\n\n'), max);
}

/** The article card: title, dateline country, text, press contacts, source. */
export function articleEmbed(doc: DocumentRecord): APIEmbed {
  const fields: APIEmbedField[] = doc.contacts.map((c, i) => ({
    name: i === 0 ? 'Press contact' : '\u200b',
    value: truncate(contactLines(c), L.fieldValue),
    inline: true,
  }));
  return {
    title: truncate(escapeText(doc.title), L.embedTitle),
    color: BRAND_COLOR,
    ...(doc.country ? { author: { name: `Dateline: ${doc.country}` } } : {}),
    description: body(doc.paragraphs) || '(no text)',
    fields,
    footer: { text: truncate(`Source: ${doc.source} · id ${doc.id}`, L.footerText) },
  };
}

/** US dollars without cents: "$100,000". */
export function formatUsd(amount: number): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0,
  }).format(amount);
}

function projectFields(p: ProjectFields): APIEmbedField[] {
  const rows: [string, string | null][] = [
    ['Status', p.status],
    ['Start', p.startDate],
    ['End', p.endDate],
    ['Budget', p.budgetUsd === null ? null : formatUsd(p.budgetUsd)],
    ['Type', p.type],
    ['Coverage', p.coverage],
    ['Region', p.region],
    ['Year', p.year === null ? null : String(p.year)],
    ['Prima ID', p.primaId],
    ['Projects ID', p.projectId],
    ['Member states', p.memberStates.length ? p.memberStates.join(', ') : null],
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
export function projectEmbed(doc: DocumentRecord): APIEmbed {
  return {
    title: truncate(escapeText(doc.title), L.embedTitle),
    color: PROJECT_COLOR,
    author: { name: 'Project' },
    description: body(doc.paragraphs, 2000) || '(no description)',
    fields: doc.project ? projectFields(doc.project).slice(0, L.embedFields) : [],
    footer: { text: truncate(`Source: ${doc.source} · id ${doc.id}`, L.footerText) },
  };
}

/**
 * A document as a reply: the article or project card, with buttons for its press contacts and
 * related articles.
 */
export function documentReply(
  doc: DocumentRecord,
  related: readonly { readonly id: string; readonly title: string }[],
  options: { ephemeral?: boolean; note?: string } = {},
): BotReply {
  const contactRow = buttonRows(doc.contacts.flatMap((c) => contactButton(c.name) ?? []).slice(0, 5));
  const relatedRow = buttonRows(related.flatMap((r) => readButton(r.id, r.title) ?? []).slice(0, 5));
  return {
    ...(options.note ? { content: options.note } : {}),
    embeds: [doc.kind === 'project' ? projectEmbed(doc) : articleEmbed(doc)],
    components: [...contactRow, ...relatedRow],
    ephemeral: options.ephemeral ?? false,
  };
}

/** A project card, naming up to five other projects that also match the query. */
export function projectReply(project: DocumentRecord, others: readonly DocumentRecord[]): BotReply {
  const also = others.slice(0, 5).map((p) => escapeText(p.title));
  return documentReply(project, [], also.length ? { note: `Also matching: ${also.join('; ')}` } : {});
}
