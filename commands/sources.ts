import type { ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../src/discord/context.js';
import { sourcesReply } from '../src/discord/format/sources.js';
import { localizedCommand } from '../src/discord/localize.js';
import { sendReply } from '../src/discord/reply.js';

export const data = localizedCommand('commands.sources');

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  await sendReply(interaction, sourcesReply(await ctx.sources?.list(), ctx.language));
}
