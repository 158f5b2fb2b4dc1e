import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../src/discord/context.js';
import { projectReply } from '../src/discord/format/document.js';
import { localizedCommand, stringOption } from '../src/discord/localize.js';
import { MAX_QUERY_LENGTH, focusedText, readText, respondChoices } from '../src/discord/options.js';
import { sendReply } from '../src/discord/reply.js';
import { resolveProject } from '../src/discord/suggestions.js';

export const data = localizedCommand('commands.project').addStringOption(
  stringOption({
    text: 'commands.project.options.query',
    required: true,
    autocomplete: true,
    maxLength: MAX_QUERY_LENGTH,
  }),
);

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const query = readText(interaction, 'query', 'project');
  const { project, others } = resolveProject(ctx.library, query);
  await sendReply(interaction, projectReply(project, others, ctx.language));
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  await respondChoices(interaction, ctx.library.suggest('project', focusedText(interaction).value));
}
