import type { ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../src/discord/context.js';
import { sourcesReply } from '../src/discord/format/sources.js';
import { localizedCommand } from '../src/discord/localize.js';
import { sendReply } from '../src/discord/reply.js';

export const data = localizedCommand({
  name: { en: 'sources', fr: 'sources', es: 'fuentes' },
  description: {
    en: 'The live news sources: status, last and next fetch, documents',
    fr: 'Les sources en direct : état, dernière et prochaine collecte, documents',
    es: 'Las fuentes en directo: estado, última y próxima consulta, documentos',
  },
});

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  await sendReply(interaction, sourcesReply(await ctx.sources?.list()));
}
