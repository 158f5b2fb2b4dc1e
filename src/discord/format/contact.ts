import type { APIEmbed, APIEmbedField } from 'discord.js';
import { buttonRows, readButton, vcardButton } from '../components.js';
import type { ContactEntry } from '../../core/library.js';
import type { BotReply } from '../reply.js';
import { BRAND_COLOR } from './about.js';
import { DISCORD_LIMITS as L } from '../limits.js';
import { truncate } from '../../core/truncate.js';
import { escapeText } from './text.js';

const list = (items: readonly string[]) => truncate(items.map(escapeText).join('\n'), L.fieldValue);

/** The press-contact card: name, office, phones, e-mail, roles, and where the person appears. */
export function contactEmbed(contact: ContactEntry, others: readonly string[] = []): APIEmbed {
  const fields: APIEmbedField[] = [];
  const add = (name: string, items: readonly string[], inline = true) => {
    if (items.length) fields.push({ name, value: list(items), inline });
  };
  add(contact.offices.length > 1 ? 'Offices' : 'Office', contact.offices);
  add(contact.phones.length > 1 ? 'Phones' : 'Phone', contact.phones);
  add(contact.emails.length > 1 ? 'E-mails' : 'E-mail', contact.emails);
  add('Roles', contact.roles, false);
  add('Also written', contact.aliases, false);
  add(
    'Appears in',
    contact.documents.map((d) => `${d.title} (${d.as === 'contact' ? 'press contact' : 'mentioned'})`),
    false,
  );
  return {
    title: truncate(escapeText(contact.name), L.embedTitle),
    color: BRAND_COLOR,
    author: { name: 'Press contact' },
    fields,
    ...(others.length
      ? { footer: { text: truncate(`Also matching: ${others.join(', ')}`, L.footerText) } }
      : {}),
  };
}

/** The card with a vCard button and buttons to read the documents the person appears in. */
export function contactReply(contact: ContactEntry, others: readonly string[], ephemeral = false): BotReply {
  const buttons = [
    ...(vcardButton(contact.name) ? [vcardButton(contact.name)!] : []),
    ...contact.documents.flatMap((d) => readButton(d.id, d.title) ?? []),
  ];
  return { embeds: [contactEmbed(contact, others)], components: buttonRows(buttons.slice(0, 10)), ephemeral };
}

/** A file name for a person's vCard: `par-liljert.vcf`. */
export function vcardFileName(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'contact'}.vcf`;
}

/** The vCard as an ephemeral .vcf attachment. */
export function vcardReply(contact: ContactEntry, vcard: string): BotReply {
  return {
    content: `vCard for ${escapeText(contact.name)}: open it to add the contact to your address book.`,
    files: [{ name: vcardFileName(contact.name), data: Buffer.from(vcard, 'utf8') }],
    ephemeral: true,
  };
}
