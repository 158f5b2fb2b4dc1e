import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import { UserError } from '../src/core/errors.js';
import type { ComponentHandler } from '../src/discord/command.js';
import { ACTION } from '../src/discord/components.js';
import type { CommandContext } from '../src/discord/context.js';
import { contactReply, vcardFileName } from '../src/discord/format/contact.js';
import type { ContactEntry } from '../src/core/library.js';
import { localizedCommand, stringOption } from '../src/discord/localize.js';
import { MAX_QUERY_LENGTH, focusedText, readText, respondChoices } from '../src/discord/options.js';
import { sendReply } from '../src/discord/reply.js';

export const data = localizedCommand({
  name: { en: 'contact', fr: 'contact', es: 'contacto' },
  description: {
    en: 'A press contact: office, phones, e-mail, and where they appear',
    fr: 'Un contact presse : bureau, téléphones, e-mail et où il apparaît',
    es: 'Un contacto de prensa: oficina, teléfonos, correo y dónde aparece',
  },
}).addStringOption(
  stringOption({
    name: { en: 'name', fr: 'nom', es: 'nombre' },
    description: {
      en: 'Part of a name, office or e-mail',
      fr: 'Une partie du nom, du bureau ou de l’e-mail',
      es: 'Parte del nombre, la oficina o el correo',
    },
    required: true,
    autocomplete: true,
    maxLength: MAX_QUERY_LENGTH,
  }),
);

function findContact(ctx: CommandContext, name: string): { contact: ContactEntry; others: string[] } {
  // An exact name, alias or e-mail wins (buttons carry the full name); else the best partial match.
  const exact = ctx.library.contacts.get(name);
  const [contact, ...others] = exact ? [exact] : ctx.library.contacts.search(name, 6);
  if (!contact) throw new UserError('unknown-contact', `No press contact matches “${name}”.`);
  return { contact, others: others.slice(0, 5).map((c) => c.name) };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const { contact, others } = findContact(ctx, readText(interaction, 'name', 'name'));
  await sendReply(interaction, contactReply(contact, others));
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  await respondChoices(interaction, ctx.library.suggest('contact', focusedText(interaction).value));
}

/** A contact button on an article: the card, to whoever clicked. */
const contact: ComponentHandler = async (interaction, args, ctx) => {
  const { contact: card, others } = findContact(ctx, args[0] ?? '');
  await sendReply(interaction, contactReply(card, others, true));
};

/** The vCard, as an ephemeral .vcf attachment. */
const vcard: ComponentHandler = async (interaction, args, ctx) => {
  const { contact: card } = findContact(ctx, args[0] ?? '');
  await sendReply(interaction, {
    content: `vCard for ${card.name}: open it to add the contact to your address book.`,
    files: [{ name: vcardFileName(card.name), data: Buffer.from(ctx.library.contacts.vcard(card), 'utf8') }],
    ephemeral: true,
  });
};

export const components = { [ACTION.contact]: contact, [ACTION.vcard]: vcard };
