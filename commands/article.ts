import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import { UserError } from '../src/core/errors.js';
import type { DocumentRecord } from '../src/core/record.js';
import type { ComponentHandler } from '../src/discord/command.js';
import { ACTION } from '../src/discord/components.js';
import type { CommandContext } from '../src/discord/context.js';
import { localizedCommand, stringOption } from '../src/discord/localize.js';
import { MAX_QUERY_LENGTH, focusedText, readText, respondChoices } from '../src/discord/options.js';
import { showDocument } from '../src/discord/showDocument.js';

export const data = localizedCommand({
  name: { en: 'article', fr: 'article', es: 'articulo' },
  description: {
    en: 'Read one press release with its contacts and related articles',
    fr: 'Lire un communiqué avec ses contacts et les articles liés',
    es: 'Leer un comunicado con sus contactos y artículos relacionados',
  },
}).addStringOption(
  stringOption({
    name: { en: 'id', fr: 'id', es: 'id' },
    description: {
      en: 'Start typing a title',
      fr: 'Commencez à taper un titre',
      es: 'Empiece a escribir un título',
    },
    required: true,
    autocomplete: true,
    maxLength: MAX_QUERY_LENGTH,
  }),
);

/**
 * The document an option names: its id as chosen from the list, or (clients sometimes submit the
 * typed text instead of the choice) the best title match for that text.
 */
export function resolveArticle(ctx: CommandContext, text: string): DocumentRecord {
  if (ctx.library.has(text)) return ctx.library.getDocument(text);
  const best = ctx.library.suggest('title', text)[0];
  const doc = best && ctx.library.has(best.value) ? ctx.library.getDocument(best.value) : undefined;
  if (!doc) {
    throw new UserError(
      'unknown-article',
      `No article matches “${text}”. Pick one from the list, or try /search.`,
    );
  }
  return doc;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const doc = resolveArticle(ctx, readText(interaction, 'id', 'article'));
  await showDocument(interaction, ctx, doc, false);
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  await respondChoices(interaction, ctx.library.suggest('title', focusedText(interaction).value));
}

/** "Read" buttons (related articles, contact cards, digests): the document, to whoever clicked. */
const read: ComponentHandler = async (interaction, args, ctx) => {
  const doc = args[0] && ctx.library.has(args[0]) ? ctx.library.getDocument(args[0]) : undefined;
  if (!doc) throw new UserError('unknown-document', 'That document is no longer available.');
  await showDocument(interaction, ctx, doc, true);
};

export const components = { [ACTION.read]: read };
