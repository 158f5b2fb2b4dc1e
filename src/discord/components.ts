import type {
  APIActionRowComponent,
  APIButtonComponentWithCustomId,
  APIComponentInMessageActionRow,
  APIStringSelectComponent,
} from 'discord.js';
import { ButtonStyle, ComponentType } from 'discord.js';
import type { DocumentKind } from '../core/record.js';
import { customId, encodeCustomId } from './customId.js';
import { DISCORD_LIMITS as L } from './limits.js';
import type { Translate } from '../i18n/translate.js';
import { truncate } from '../core/truncate.js';

/**
 * The buttons and menus the bot puts on messages, with their custom_id actions:
 * `page` (search pagination), `open` (open a search result), `read` (show a document, ephemeral),
 * `contact` (show a contact card, ephemeral), `vcard` (send a contact's vCard, ephemeral).
 */
export const ACTION = {
  page: 'page',
  open: 'open',
  read: 'read',
  contact: 'contact',
  vcard: 'vcard',
} as const;

export type MessageRow = APIActionRowComponent<APIComponentInMessageActionRow>;

function button(
  id: string,
  label: string,
  style: APIButtonComponentWithCustomId['style'] = ButtonStyle.Secondary,
  disabled = false,
): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    custom_id: id,
    label: truncate(label, L.buttonLabel),
    style,
    disabled,
  };
}

/** Rows of at most five buttons, at most five rows, dropping buttons whose custom_id repeats. */
export function buttonRows(buttons: readonly APIButtonComponentWithCustomId[]): MessageRow[] {
  const seen = new Set<string>();
  const unique = buttons.filter((b) => !seen.has(b.custom_id) && seen.add(b.custom_id));
  const rows: MessageRow[] = [];
  for (let i = 0; i < unique.length && rows.length < L.actionRows; i += L.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: unique.slice(i, i + L.buttonsPerRow) });
  }
  return rows;
}

/** Custom_id of a button that shows a document to whoever clicks it (used by digests too). */
export function readButtonId(docId: string): string | undefined {
  return encodeCustomId(ACTION.read, docId);
}

/** A button that opens a document ephemerally; undefined when the id is too long to encode. */
export function readButton(docId: string, label: string): APIButtonComponentWithCustomId | undefined {
  const id = readButtonId(docId);
  return id ? button(id, label, ButtonStyle.Primary) : undefined;
}

export function contactButton(name: string, t: Translate): APIButtonComponentWithCustomId | undefined {
  const id = encodeCustomId(ACTION.contact, name);
  return id ? button(id, t('buttons.contact', { name })) : undefined;
}

export function vcardButton(name: string, t: Translate): APIButtonComponentWithCustomId | undefined {
  const id = encodeCustomId(ACTION.vcard, name);
  return id ? button(id, t('buttons.vcard'), ButtonStyle.Success) : undefined;
}

/** Search state carried by the pagination buttons. */
export interface SearchState {
  readonly query: string;
  readonly kind: DocumentKind | undefined;
  readonly country: string | undefined;
  /** Newest first instead of best match first. */
  readonly newest?: boolean;
  /** ISO time, resolved when the search was typed (so `7d` pages through the same results). */
  readonly since?: string | undefined;
  /** BCP 47 tag: only documents in this language (`fr` also matches `fr-*`). */
  readonly language?: string | undefined;
}

const KIND_CODE = { article: 'a', project: 'p' } as const;
/**
 * The flags argument: kind code, `n` for newest, `s<seconds, base 36>` for since, `l<tag>` for the
 * language (last: a tag may hold letters and digits).
 */
const FLAGS_RE = /^([ap]?)(n?)(?:s(-?[0-9a-z]{1,12}))?(?:l([A-Za-z0-9-]{2,35}))?$/;

/**
 * `page:<n>:<flags>:<country>:<query>` (flags: kind, sort, since, language; see FLAGS_RE): undefined
 * when it does not fit in 100 characters. Ids sent before sort, since and language existed still
 * read back.
 */
export function pageButtonId(state: SearchState, page: number): string | undefined {
  const since =
    state.since === undefined ? '' : `s${Math.floor(Date.parse(state.since) / 1000).toString(36)}`;
  return encodeCustomId(
    ACTION.page,
    page,
    `${state.kind ? KIND_CODE[state.kind] : ''}${state.newest ? 'n' : ''}${since}${state.language ? `l${state.language}` : ''}`,
    state.country ?? '',
    state.query,
  );
}

/** Reads the arguments of a `page` id back; undefined when they are not ours. */
export function parsePageArgs(args: readonly string[]): { state: SearchState; page: number } | undefined {
  const [page, flags, country, ...query] = args;
  const n = Number(page);
  const parsed = FLAGS_RE.exec(flags ?? '');
  if (!Number.isInteger(n) || n < 1 || !parsed || query.length !== 1) return undefined;
  const [, kind, newest, since, language] = parsed;
  const sinceMs = since === undefined ? undefined : parseInt(since, 36) * 1000;
  if (sinceMs !== undefined && !Number.isFinite(new Date(sinceMs).getTime())) return undefined;
  return {
    page: n,
    state: {
      query: query[0]!,
      kind: kind === 'a' ? 'article' : kind === 'p' ? 'project' : undefined,
      country: country || undefined,
      ...(newest ? { newest: true } : {}),
      ...(sinceMs !== undefined ? { since: new Date(sinceMs).toISOString() } : {}),
      ...(language !== undefined ? { language } : {}),
    },
  };
}

/** Previous/Next buttons, or none when the state does not fit in a custom_id. */
export function pageButtons(state: SearchState, page: number, pages: number, t: Translate): MessageRow[] {
  const previous = pageButtonId(state, Math.max(1, page - 1));
  const next = pageButtonId(state, Math.min(pages, page + 1));
  if (!previous || !next || pages <= 1) return [];
  // Ids must differ within a message: at the ends a disabled button points one page further out.
  const prevId = page > 1 ? previous : customId(ACTION.page, 'none-before');
  const nextId = page < pages ? next : customId(ACTION.page, 'none-after');
  return buttonRows([
    button(prevId, t('buttons.previous'), ButtonStyle.Secondary, page <= 1),
    button(nextId, t('buttons.next'), ButtonStyle.Secondary, page >= pages),
  ]);
}

/** A menu to open one of the listed documents. */
export function openMenu(
  items: readonly { id: string; title: string; detail: string }[],
  t: Translate,
): MessageRow[] {
  const options = items
    .filter((item) => item.id.length <= L.selectOptionValue)
    .slice(0, L.selectOptions)
    .map((item) => ({
      label: truncate(item.title, L.selectOptionLabel),
      value: item.id,
      ...(item.detail ? { description: truncate(item.detail, L.selectOptionDescription) } : {}),
    }));
  if (options.length === 0) return [];
  const menu: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: customId(ACTION.open),
    placeholder: t('buttons.openResult'),
    min_values: 1,
    max_values: 1,
    options,
  };
  return [{ type: ComponentType.ActionRow, components: [menu] }];
}

/** Buttons for suggested queries ("did you mean"), each starting a new search on page 1. */
export function suggestionButtons(
  state: SearchState,
  suggestions: readonly string[],
  t: Translate,
): MessageRow[] {
  const buttons = suggestions.flatMap((suggestion) => {
    const id = pageButtonId({ ...state, query: suggestion }, 1);
    return id ? [button(id, t('buttons.search', { query: suggestion }), ButtonStyle.Primary)] : [];
  });
  return buttonRows(buttons.slice(0, L.buttonsPerRow));
}
