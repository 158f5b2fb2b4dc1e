import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../src/discord/context.js';
import { projectReply } from '../src/discord/format/document.js';
import { localizedCommand, stringOption } from '../src/discord/localize.js';
import { MAX_QUERY_LENGTH, focusedText, readText, respondChoices } from '../src/discord/options.js';
import { sendReply } from '../src/discord/reply.js';
import { resolveProject } from '../src/discord/suggestions.js';

export const data = localizedCommand({
  name: { en: 'project', fr: 'projet', es: 'proyecto' },
  description: {
    en: 'A project card: status, dates, budget, region, IDs',
    fr: 'La fiche d’un projet : statut, dates, budget, région, identifiants',
    es: 'La ficha de un proyecto: estado, fechas, presupuesto, región, identificadores',
  },
}).addStringOption(
  stringOption({
    name: { en: 'query', fr: 'requete', es: 'consulta' },
    description: {
      en: 'Title words, Prima ID or Projects ID',
      fr: 'Mots du titre, ID Prima ou ID Projects',
      es: 'Palabras del título, ID Prima o ID Projects',
    },
    required: true,
    autocomplete: true,
    maxLength: MAX_QUERY_LENGTH,
  }),
);

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const query = readText(interaction, 'query', 'project');
  const { project, others } = resolveProject(ctx.library, query);
  await sendReply(interaction, projectReply(project, others));
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  await respondChoices(interaction, ctx.library.suggest('project', focusedText(interaction).value));
}
