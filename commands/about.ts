import type { ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../src/discord/context.js';
import { aboutReply } from '../src/discord/format/about.js';
import { localizedCommand } from '../src/discord/localize.js';
import { sendReply } from '../src/discord/reply.js';

export const data = localizedCommand('commands.about');

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const uptime = ctx.now().getTime() - ctx.startedAt.getTime();
  await sendReply(interaction, aboutReply(ctx.library.stats(), ctx.version, uptime, ctx.language));
}
