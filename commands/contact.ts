import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { ComponentHandler } from '../src/discord/command.js';
import { ACTION } from '../src/discord/components.js';
import type { CommandContext } from '../src/discord/context.js';
import { contactReply, vcardReply } from '../src/discord/format/contact.js';
import { localizedCommand, stringOption } from '../src/discord/localize.js';
import { MAX_QUERY_LENGTH, focusedText, readText, respondChoices } from '../src/discord/options.js';
import { sendReply } from '../src/discord/reply.js';
import { resolveContact } from '../src/discord/suggestions.js';

export const data = localizedCommand('commands.contact').addStringOption(
  stringOption({
    text: 'commands.contact.options.name',
    required: true,
    autocomplete: true,
    maxLength: MAX_QUERY_LENGTH,
  }),
);

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const { contact, others } = resolveContact(ctx.library, readText(interaction, 'name', 'name'));
  await sendReply(interaction, contactReply(contact, others, ctx.language));
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  await respondChoices(interaction, ctx.library.suggest('contact', focusedText(interaction).value));
}

/** A contact button on an article: the card, to whoever clicked. */
const contact: ComponentHandler = async (interaction, args, ctx) => {
  const { contact: card, others } = resolveContact(ctx.library, args[0] ?? '');
  await sendReply(interaction, contactReply(card, others, ctx.language, true));
};

/** The vCard, as an ephemeral .vcf attachment. */
const vcard: ComponentHandler = async (interaction, args, ctx) => {
  const { contact: card } = resolveContact(ctx.library, args[0] ?? '');
  await sendReply(interaction, vcardReply(card, ctx.library.contacts.vcard(card), ctx.language));
};

export const components = { [ACTION.contact]: contact, [ACTION.vcard]: vcard };
