import type { APIEmbed } from 'discord.js';
import { translator, type Translate } from '../i18n/translate.js';
import { ButtonStyle, ComponentType, MessageFlags } from 'discord.js';

/** Something a console user can trigger by number: a button, or one option of a select menu. */
export type ConsoleAction =
  | { readonly kind: 'button'; readonly customId: string; readonly label: string; readonly url?: undefined }
  | { readonly kind: 'select'; readonly customId: string; readonly value: string; readonly label: string };

/** The message options discord.js would receive (plain JSON or builders with toJSON). */
export interface RenderableMessage {
  readonly content?: string | null | undefined;
  readonly embeds?: readonly unknown[] | undefined;
  readonly components?: readonly unknown[] | undefined;
  readonly files?:
    readonly { readonly attachment: unknown; readonly name?: string | null | undefined }[] | undefined;
  readonly flags?: unknown;
}

const json = (value: unknown): Record<string, unknown> =>
  (value && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function'
    ? (value.toJSON as () => unknown)()
    : value) as Record<string, unknown>;

/** Discord markdown escapes, undone for a terminal (footers, which Discord shows without markdown). */
const plain = (text: string) => text.replace(/\\([\\*_`~|>#\-[\]().!+:<@])/g, '$1');

/**
 * The markup our Discord formatters write, each alternative one kind, read left to right so that an
 * escaped character is never taken for markup: an escape, a code block, inline code, a timestamp
 * (`<t:1796594375:R>`), a masked link, a link kept from embedding (`<https://…>`), bold, and italics
 * with `*` (never `_`, which ids and file names hold).
 */
const MARKUP = new RegExp(
  [
    String.raw`\\([^\sA-Za-z0-9])`,
    '```(?:[\\w-]*\\n)?([\\s\\S]*?)```',
    '`([^`\\n]+)`',
    '<t:(-?\\d{1,12})(?::([tTdDfFR]))?>',
    String.raw`\[((?:\\.|[^\]\\])+)\]\(<?(https?:\/\/[^\s)>]+)>?\)`,
    String.raw`<(https?:\/\/[^\s>]+)>`,
    String.raw`\*\*`,
    String.raw`(?<![\w*\\])\*(?=[^\s*])|(?<=[^\s*\\])\*(?![\w*])`,
  ].join('|'),
  'g',
);

/**
 * A Discord timestamp as the CLI writes times: the day (`2026-11-29`) for the date styles, else the
 * day and minute in UTC (`2026-11-29 11:00 UTC`). A terminal has no reader's time zone to show.
 */
export function terminalTime(epochSeconds: number, style?: string): string | undefined {
  const date = new Date(epochSeconds * 1000);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  if (style === 'd' || style === 'D') return iso.slice(0, 10);
  if (style === 't' || style === 'T') return `${iso.slice(11, 16)} UTC`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * Discord markdown as plain text for a terminal, as the CLI prints: escapes undone, code without its
 * backticks, timestamps as UTC times, masked links as `label (url)`, bold and italics unmarked.
 */
export function terminalText(markdown: string): string {
  return markdown.replace(
    MARKUP,
    (
      match,
      escaped?: string,
      block?: string,
      code?: string,
      seconds?: string,
      style?: string,
      label?: string,
      url?: string,
      bare?: string,
    ) => {
      if (escaped !== undefined) return escaped;
      if (block !== undefined) return block.replace(/\n$/, '');
      if (code !== undefined) return code;
      if (seconds !== undefined) return terminalTime(Number(seconds), style) ?? match;
      if (label !== undefined) return `${terminalText(label)} (${url ?? ''})`;
      if (bare !== undefined) return bare;
      return '';
    },
  );
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const indent = (text: string, prefix = '  ') =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');

function renderEmbed(embed: APIEmbed): string {
  const lines: string[] = [];
  if (embed.author?.name) lines.push(plain(embed.author.name));
  if (embed.title) lines.push(`== ${terminalText(embed.title)} ==`);
  if (embed.url) lines.push(embed.url);
  if (embed.description) lines.push(terminalText(embed.description));
  for (const field of embed.fields ?? []) {
    const value = terminalText(field.value);
    const name = terminalText(field.name);
    if (!value.includes('\n') && value.length <= 80) lines.push(`${name}: ${value}`);
    else lines.push(`${name}:`, indent(value));
  }
  if (embed.footer?.text) lines.push(`-- ${plain(embed.footer.text)}`);
  return lines.join('\n');
}

/**
 * A reply as text: content, embeds (title, description, fields, footer), attachments (text files
 * printed), and buttons and menu options numbered from `firstNumber` for `click <n>`.
 */
export function renderMessage(
  message: RenderableMessage,
  firstNumber: number,
  t: Translate = translator('en'),
): { text: string; actions: ConsoleAction[] } {
  const parts: string[] = [];
  const flags = typeof message.flags === 'number' ? message.flags : 0;
  if (flags & MessageFlags.Ephemeral) parts.push(t('console.onlyYou'));
  if (message.content) parts.push(terminalText(message.content));
  for (const embed of message.embeds ?? []) parts.push(renderEmbed(json(embed)));
  for (const file of message.files ?? []) {
    const data = Buffer.isBuffer(file.attachment) ? file.attachment : Buffer.from(String(file.attachment));
    parts.push(
      `[attachment ${file.name ?? 'file'}, ${data.length} bytes]\n${indent(data.toString('utf8').trimEnd(), '  | ')}`,
    );
  }
  const actions: ConsoleAction[] = [];
  const controls: string[] = [];
  for (const row of message.components ?? []) {
    for (const raw of (json(row).components as unknown[] | undefined) ?? []) {
      const component = json(raw);
      if (component.type === ComponentType.Button) {
        const label = str(component.label) ?? str(component.custom_id) ?? 'button';
        if (component.style === ButtonStyle.Link) {
          controls.push(`[link] ${label}: ${String(component.url)}`);
        } else if (component.disabled) {
          controls.push(`[-] ${label}`);
        } else {
          actions.push({ kind: 'button', customId: String(component.custom_id), label });
          controls.push(`[${firstNumber + actions.length - 1}] ${label}`);
        }
      } else if (component.type === ComponentType.StringSelect) {
        const placeholder = str(component.placeholder) ?? t('console.choose');
        const options = (component.options as { label: string; value: string }[] | undefined) ?? [];
        controls.push(`${placeholder}:`);
        for (const option of options) {
          actions.push({
            kind: 'select',
            customId: String(component.custom_id),
            value: option.value,
            label: option.label,
          });
          controls.push(`  [${firstNumber + actions.length - 1}] ${option.label}`);
        }
      }
    }
  }
  if (controls.length) parts.push(`${t('buttons.clickHint')}\n${indent(controls.join('\n'))}`);
  return { text: parts.join('\n\n'), actions };
}
