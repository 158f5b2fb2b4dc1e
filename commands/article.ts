import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { ComponentHandler } from '../src/discord/command.js';
import { ACTION } from '../src/discord/components.js';
import type { CommandContext } from '../src/discord/context.js';
import { localizedCommand, stringOption } from '../src/discord/localize.js';
import { MAX_QUERY_LENGTH, focusedText, readText, respondChoices } from '../src/discord/options.js';
import { showDocument } from '../src/discord/showDocument.js';
import { documentById, resolveArticle } from '../src/discord/suggestions.js';

export const data = localizedCommand('commands.article').addStringOption(
  stringOption({
    text: 'commands.article.options.id',
    required: true,
    autocomplete: true,
    maxLength: MAX_QUERY_LENGTH,
  }),
);

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const doc = resolveArticle(ctx.library, readText(interaction, 'id', 'article'));
  await showDocument(interaction, ctx, doc, false);
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  await respondChoices(interaction, ctx.library.suggest('title', focusedText(interaction).value));
}

/** "Read" buttons (related articles, contact cards, digests): the document, to whoever clicked. */
const read: ComponentHandler = async (interaction, args, ctx) => {
  const doc = documentById(ctx.library, args[0], 'article.gone');
  await showDocument(interaction, ctx, doc, true);
};

export const components = { [ACTION.read]: read };
