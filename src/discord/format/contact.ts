import type { APIEmbed, APIEmbedField } from 'discord.js';
import { buttonRows, readButton, vcardButton } from '../components.js';
import type { ContactEntry } from '../../core/library.js';
import type { BotReply } from '../reply.js';
import { BRAND_COLOR } from './about.js';
import { DISCORD_LIMITS as L } from '../limits.js';
import { truncate } from '../../core/truncate.js';
import { escapeText } from './text.js';
import { translator, type Language } from '../../i18n/translate.js';

const list = (items: readonly string[]) => truncate(items.map(escapeText).join('\n'), L.fieldValue);

/** The press-contact card in `lang`: name, office, phones, e-mail, roles, and where the person appears. */
export function contactEmbed(contact: ContactEntry, others: readonly string[], lang: Language): APIEmbed {
  const t = translator(lang);
  const fields: APIEmbedField[] = [];
  const add = (name: string, items: readonly string[], inline = true) => {
    if (items.length) fields.push({ name, value: list(items), inline });
  };
  add(t('contact.offices', { count: contact.offices.length }), contact.offices);
  add(t('contact.phones', { count: contact.phones.length }), contact.phones);
  add(t('contact.emails', { count: contact.emails.length }), contact.emails);
  add(t('contact.roles'), contact.roles, false);
  add(t('contact.alsoWritten'), contact.aliases, false);
  // Titles are escaped by `list` with the rest of the line.
  const appears = contact.documents.map((d) =>
    t(d.as === 'contact' ? 'contact.asContact' : 'contact.asMentioned', { title: d.title }),
  );
  add(t('contact.appearsIn'), appears, false);
  return {
    title: truncate(escapeText(contact.name), L.embedTitle),
    color: BRAND_COLOR,
    author: { name: t('contact.pressContact') },
    fields,
    ...(others.length
      ? { footer: { text: truncate(t('contact.alsoMatching', { list: others.join(', ') }), L.footerText) } }
      : {}),
  };
}

/** The card with a vCard button and buttons to read the documents the person appears in. */
export function contactReply(
  contact: ContactEntry,
  others: readonly string[],
  lang: Language,
  ephemeral = false,
): BotReply {
  const t = translator(lang);
  const vcard = vcardButton(contact.name, t);
  const buttons = [
    ...(vcard ? [vcard] : []),
    ...contact.documents.flatMap((d) => readButton(d.id, d.title) ?? []),
  ];
  return {
    embeds: [contactEmbed(contact, others, lang)],
    components: buttonRows(buttons.slice(0, 10)),
    ephemeral,
  };
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
export function vcardReply(contact: ContactEntry, vcard: string, lang: Language): BotReply {
  return {
    content: translator(lang)('contact.vcard', { name: escapeText(contact.name) }),
    files: [{ name: vcardFileName(contact.name), data: Buffer.from(vcard, 'utf8') }],
    ephemeral: true,
  };
}
