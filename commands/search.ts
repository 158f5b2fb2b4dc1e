import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import { UserError } from '../src/core/errors.js';
import { parseSince, sinceUserError } from '../src/core/library.js';
import type { ComponentHandler } from '../src/discord/command.js';
import { ACTION, parsePageArgs } from '../src/discord/components.js';
import type { SearchState } from '../src/discord/components.js';
import type { CommandContext } from '../src/discord/context.js';
import { STALE_COMPONENT } from '../src/discord/dispatch.js';
import { searchReply } from '../src/discord/format/search.js';
import { localizedCommand, stringOption } from '../src/discord/localize.js';
import {
  MAX_QUERY_LENGTH,
  focusedText,
  readChoice,
  readOptionalText,
  readText,
  respondChoices,
} from '../src/discord/options.js';
import { sendReply, updateMessage } from '../src/discord/reply.js';
import { t } from '../src/i18n/translate.js';
import { showDocument } from '../src/discord/showDocument.js';
import {
  documentById,
  languageChoices,
  resolveCountry,
  resolveLanguage,
  titleQueries,
} from '../src/discord/suggestions.js';

const PAGE_SIZE = 5;

const S = 'commands.search.options';

export const data = localizedCommand('commands.search')
  .addStringOption(
    stringOption({ text: `${S}.query`, required: true, autocomplete: true, maxLength: MAX_QUERY_LENGTH }),
  )
  .addStringOption(stringOption({ text: `${S}.kind`, choices: ['article', 'project'] }))
  .addStringOption(stringOption({ text: `${S}.country`, autocomplete: true, maxLength: MAX_QUERY_LENGTH }))
  .addStringOption(stringOption({ text: `${S}.sort`, choices: ['relevance', 'newest'] }))
  .addStringOption(stringOption({ text: `${S}.since`, maxLength: 20 }))
  .addStringOption(stringOption({ text: `${S}.language`, autocomplete: true, maxLength: 40 }));

function runSearch(ctx: CommandContext, state: SearchState, page: number) {
  return ctx.library.search(state.query, {
    kind: state.kind,
    country: state.country,
    since: state.since,
    language: state.language,
    sort: state.newest ? 'newest' : 'relevance',
    page,
    pageSize: PAGE_SIZE,
  });
}

/** The `since` option as an ISO time, or a UserError saying what is accepted. */
function readSince(interaction: ChatInputCommandInteraction, ctx: CommandContext): string | undefined {
  const text = readOptionalText(interaction, 'since');
  if (text === undefined) return undefined;
  const since = parseSince(text, ctx.now());
  if (!since.ok) throw sinceUserError(text);
  return since.value;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const state: SearchState = {
    query: readText(interaction, 'query', 'query'),
    kind: readChoice(interaction, 'kind', ['article', 'project'] as const),
    country: resolveCountry(ctx.library, readOptionalText(interaction, 'country')),
    newest: readChoice(interaction, 'sort', ['relevance', 'newest'] as const) === 'newest',
    since: readSince(interaction, ctx),
    language: resolveLanguage(ctx.library, readOptionalText(interaction, 'language'), ctx.language),
  };
  await sendReply(interaction, searchReply(state, runSearch(ctx, state, 1), ctx.language));
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const { name, value } = focusedText(interaction);
  if (name === 'country') {
    await respondChoices(interaction, ctx.library.suggest('country', value));
    return;
  }
  if (name === 'language') {
    await respondChoices(interaction, languageChoices(ctx.library, value, ctx.language));
    return;
  }
  await respondChoices(interaction, titleQueries(ctx.library, value));
}

/** Previous/Next: the whole search is in the custom_id, so this works after a restart. */
const page: ComponentHandler = async (interaction, args, ctx) => {
  const parsed = parsePageArgs(args);
  if (!parsed) throw new UserError('stale-component', STALE_COMPONENT, {});
  let result = runSearch(ctx, parsed.state, parsed.page);
  let note: string | undefined;
  if (result.pages > 0 && parsed.page > result.pages) {
    // The corpus changed since the message was sent: say so and show the last page there is.
    note = t(ctx.language, 'search.pageGone', { page: result.pages });
    result = runSearch(ctx, parsed.state, result.pages);
  }
  await updateMessage(interaction, searchReply(parsed.state, result, ctx.language, note));
};

/** The "Open a result" menu. */
const open: ComponentHandler = async (interaction, _args, ctx) => {
  const id = interaction.isStringSelectMenu() ? interaction.values[0] : undefined;
  const doc = documentById(ctx.library, id, 'search.documentGone');
  await showDocument(interaction, ctx, doc, true);
};

export const components = { [ACTION.page]: page, [ACTION.open]: open };
