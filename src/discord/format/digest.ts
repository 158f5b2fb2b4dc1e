import { createHash } from 'node:crypto';
import {
  ButtonStyle,
  ComponentType,
  time,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import type { DigestContact, DigestPlan, DigestPlanItem, DigestSection } from '../../core/digest.js';
import {
  formatList,
  languageNameIn,
  translator,
  type Language,
  type Translate,
} from '../../i18n/translate.js';
import { truncate } from '../../core/truncate.js';
import { readButtonId } from '../components.js';
import { DISCORD_LIMITS } from '../limits.js';
import { fitEmbeds } from './embeds.js';
import { formatUsd, isLinkable } from './document.js';
import { escapeText } from './text.js';

/** Discord's message limits a digest is packed into, named as the packer counts them. */
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
/**
 * A "Read" button: {@link toMessageBody} gives it a custom_id that opens the document ephemerally;
 * with `url`, a link button to the item's original instead.
 */
export interface DigestButton {
  readonly label: string;
  readonly docId: string;
  readonly url?: string;
}
/**
 * One Discord message of a digest, as plain JSON: what a delivery stores for each part (so a
 * re-post after a crash sends exactly the same message) and {@link toMessageBody} turns into a body.
 */
export interface DigestMessage {
  readonly content: string | null;
  readonly embeds: readonly DigestEmbed[];
  readonly buttons: readonly DigestButton[];
  /** The role this part pings (its content starts with the mention); the first part only. */
  readonly mentionRoleId?: string;
}

/** How a subscription wants its digest posted. */
export interface DigestRenderOptions {
  /** A role to ping once per digest, in the first part. */
  readonly mentionRoleId?: string | null;
  /** The language it is written in (the subscription's or the server's); English by default. */
  readonly language?: Language;
}

const HEADER_COLOR = 0x0033a0;
const ARTICLE_COLOR = 0x5b92e5;
const PROJECT_COLOR = 0x2e8540;

interface Block {
  /** Embed title of the section this item belongs to. */
  readonly section: string;
  readonly color: number;
  readonly field: DigestField;
  readonly item: DigestPlanItem;
}

const fieldChars = (f: DigestField) => f.name.length + f.value.length;

/**
 * Lays a digest plan out in Discord messages: a header (counts, the period with Discord timestamps,
 * backfill, topic), then one embed per section, each item with its number and title, its lines
 * (summary and press contact, or project facts) and a numbered "Read" button. Sections continue
 * across messages in order ("(continued)"); every message stays within {@link DIGEST_LIMITS}; text
 * from documents and users is escaped. No messages for an empty plan.
 */
export function renderDigestMessages(plan: DigestPlan, options: DigestRenderOptions = {}): DigestMessage[] {
  if (plan.sections.length === 0) return [];
  const lang = options.language ?? 'en';
  const t = translator(lang);
  const blocks: Block[] = plan.sections.flatMap((section) =>
    section.items.map((item) => ({
      section: truncate(sectionTitle(section, t), DIGEST_LIMITS.embedTitle - 20),
      color: section.kind === 'projects' ? PROJECT_COLOR : ARTICLE_COLOR,
      item,
      field: {
        name: truncate(`${item.number}. ${escapeText(item.title)}`, DIGEST_LIMITS.fieldName),
        value: truncate(
          [
            ...(item.publishedAt
              ? [t('digest.published', { date: time(new Date(item.publishedAt), 'D') })]
              : []),
          ]
            .concat(itemLines(item, lang))
            .join('\n'),
          DIGEST_LIMITS.fieldValue,
        ),
      },
    })),
  );
  const messages = pack(headerEmbed(plan, lang), blocks, t);
  const role = options.mentionRoleId ?? null;
  return messages.map((m, k) => {
    const part = messages.length > 1 ? t('digest.part', { part: k + 1, parts: messages.length }) : null;
    if (k !== 0 || role === null) return { content: part, ...m };
    // The ping is part of the stored content, so a re-post and the history lookup see the same text.
    return { content: [roleMention(role), part].filter(Boolean).join(' '), ...m, mentionRoleId: role };
  });
}

/** A section's title: its country (escaped: it comes from documents), "Other news" or "Projects". */
function sectionTitle(section: DigestSection, t: Translate): string {
  if (section.kind === 'other') return t('digest.section.other');
  if (section.kind === 'projects') return t('digest.section.projects');
  return escapeText(section.title);
}

/** "Migration news digest: 4 articles and 1 project", in `lang`. */
export function digestHeadline(plan: DigestPlan, lang: Language): string {
  const t = translator(lang);
  const counts = [
    plan.articleCount > 0 ? t('digest.articles', { count: plan.articleCount }) : null,
    plan.projectCount > 0 ? t('digest.projects', { count: plan.projectCount }) : null,
  ].filter((c): c is string => c !== null);
  return t('digest.headline', { counts: formatList(lang, counts) });
}

/** Sentences about a digest's backfill and what follows in the next one (possibly none). */
function digestNotes(plan: DigestPlan, t: Translate): string[] {
  const notes: string[] = [];
  if (plan.backfillCount > 0) notes.push(t('digest.backfillNote', { count: plan.backfillCount }));
  if (plan.remaining > 0) notes.push(t('digest.remainingNote', { count: plan.remaining }));
  return notes;
}

/** "Press contact: Ana Lima, IOM Nairobi · alima@iom.int" (the phone when there is no e-mail), escaped. */
function contactLine(contact: DigestContact, t: Translate): string {
  const parts = [contact.office ? `${contact.name}, ${contact.office}` : contact.name];
  if (contact.email) parts.push(contact.email);
  else if (contact.phone) parts.push(contact.phone);
  return t('digest.pressContact', { contact: escapeText(parts.join(' · ')) });
}

/** An item's lines below its title, escaped: a project's facts, or an article's summary and press contact. */
function itemLines(item: DigestPlanItem, lang: Language): string[] {
  if (item.kind === 'project') {
    const p = item.project;
    const budget = p?.budgetUsd != null ? formatUsd(p.budgetUsd, lang) : null;
    const bits = [p?.status, budget, p?.region, p?.reference].filter(
      (b): b is string => typeof b === 'string' && b.length > 0,
    );
    return [escapeText(bits.length > 0 ? bits.join(' · ') : item.summary)];
  }
  const summary = escapeText(item.summary);
  const t = translator(lang);
  return [
    summary,
    ...(item.contact ? [contactLine(item.contact, t)] : []),
    ...(item.otherLanguages.length > 0
      ? [
          t('article.alsoIn', {
            languages: formatList(
              lang,
              item.otherLanguages.map((l) => languageNameIn(lang, l)),
            ),
          }),
        ]
      : []),
  ];
}

function headerEmbed(plan: DigestPlan, lang: Language): DigestEmbed {
  const t = translator(lang);
  const until = time(new Date(plan.window.until), 'f');
  const lines = [
    plan.window.since
      ? t('digest.ingestedBetween', { since: time(new Date(plan.window.since), 'f'), until })
      : t('digest.ingestedUpTo', { until }),
    ...digestNotes(plan, t),
  ];
  if (plan.query) lines.push(t('digest.topic', { topic: truncate(escapeText(plan.query), 200) }));
  return {
    title: truncate(digestHeadline(plan, lang), DIGEST_LIMITS.embedTitle),
    description: lines.join('\n'),
    color: HEADER_COLOR,
    fields: [],
    footer: null,
  };
}

/** `<@&id>`: only a snowflake, so nothing else can be smuggled into the content. */
function roleMention(id: string): string {
  if (!/^\d{1,20}$/.test(id)) throw new Error(`not a role id: ${id}`);
  return `<@&${id}>`;
}

const embedChars = (e: DigestEmbed) =>
  e.title.length +
  (e.description?.length ?? 0) +
  (e.footer?.length ?? 0) +
  e.fields.reduce((n, f) => n + fieldChars(f), 0);

/** Greedy packing in order; a section split across embeds or messages says "(continued)". */
function pack(
  header: DigestEmbed,
  blocks: readonly Block[],
  t: Translate,
): Array<Omit<DigestMessage, 'content'>> {
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
    // A Read button, plus a link button when the item has an original to open.
    const buttonCost = block.item.url ? 2 : 1;
    const buttonsFit = () => message.buttons.length + buttonCost <= L.buttonsPerMessage;
    const fitsInEmbed =
      current !== undefined &&
      current.section === block.section &&
      current.embed.fields.length < L.fieldsPerEmbed &&
      message.chars + cost <= L.charsPerMessage &&
      buttonsFit();
    if (!fitsInEmbed) {
      const title = started.has(block.section)
        ? t('digest.continued', { section: block.section })
        : block.section;
      const needed = title.length + cost;
      if (
        message.embeds.length >= L.embedsPerMessage ||
        message.chars + needed > L.charsPerMessage ||
        !buttonsFit()
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
      label: truncate(t('buttons.read', { number: block.item.number }), L.buttonLabel),
      docId: block.item.id,
    });
    if (block.item.url) {
      message.buttons.push({
        label: truncate(t('buttons.open', { number: block.item.number }), L.buttonLabel),
        docId: block.item.id,
        url: block.item.url,
      });
    }
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

/**
 * The REST body of one digest message: embeds (clamped by the shared formatter as a safety net; the
 * renderer already packs within limits), numbered Read buttons in rows of five, the nonce with
 * enforce_nonce so Discord deduplicates a re-post, and no mentions.
 */
export function toMessageBody(message: DigestMessage, nonce: string): RESTPostAPIChannelMessageJSONBody {
  const embeds: APIEmbed[] = message.embeds.map((e) => ({
    title: e.title,
    ...(e.description ? { description: e.description } : {}),
    color: e.color,
    ...(e.fields.length > 0 ? { fields: e.fields.map((f) => ({ name: f.name, value: f.value })) } : {}),
    ...(e.footer ? { footer: { text: e.footer } } : {}),
  }));
  const buttons: APIButtonComponent[] = [];
  for (const b of message.buttons) {
    if (b.url !== undefined) {
      if (isLinkable(b.url))
        buttons.push({ type: ComponentType.Button, style: ButtonStyle.Link, label: b.label, url: b.url });
      continue;
    }
    // The bot's shared `read` action: whoever clicks sees the document, ephemerally.
    const customId = readButtonId(b.docId);
    if (customId === undefined) continue; // An id too long for a button: the embed still lists it.
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: b.label,
      custom_id: customId,
    });
  }
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (
    let k = 0;
    k < buttons.length && rows.length < DISCORD_LIMITS.actionRows;
    k += DISCORD_LIMITS.buttonsPerRow
  ) {
    rows.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(k, k + DISCORD_LIMITS.buttonsPerRow),
    });
  }
  return {
    ...(message.content ? { content: message.content } : {}),
    embeds: fitEmbeds(embeds),
    components: rows,
    nonce,
    enforce_nonce: true,
    // Only the subscription's role, only in the part that names it; nothing else ever pings.
    allowed_mentions: message.mentionRoleId ? { parse: [], roles: [message.mentionRoleId] } : { parse: [] },
  };
}
