import type { ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../src/discord/context.js';
import { aboutReply } from '../src/discord/format/about.js';
import { localizedCommand } from '../src/discord/localize.js';
import { sendReply } from '../src/discord/reply.js';

export const data = localizedCommand({
  name: { en: 'about', fr: 'apropos', es: 'acerca' },
  description: {
    en: 'What this bot holds and how to use it',
    fr: 'Ce que contient ce bot et comment l’utiliser',
    es: 'Qué contiene este bot y cómo usarlo',
  },
});

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const uptime = ctx.now().getTime() - ctx.startedAt.getTime();
  await sendReply(interaction, aboutReply(ctx.library.stats(), ctx.version, uptime));
}
