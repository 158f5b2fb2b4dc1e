import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  InteractionReplyOptions,
  MessageComponentInteraction,
  RepliableInteraction,
} from 'discord.js';
import { MessageFlags } from 'discord.js';
import { fitEmbeds } from './format/embeds.js';
import { DISCORD_LIMITS } from './limits.js';
import { truncate } from '../core/truncate.js';

/** What a command answers, independent of how it is delivered (Discord or the console). */
export interface BotReply {
  readonly content?: string;
  readonly embeds?: readonly APIEmbed[];
  readonly components?: readonly APIActionRowComponent<APIComponentInMessageActionRow>[];
  readonly files?: readonly { readonly name: string; readonly data: Buffer }[];
  /** Only the user who asked sees it. */
  readonly ephemeral?: boolean;
}

/** Nothing the bot sends may ping anyone. */
export const NO_MENTIONS = { parse: [] as never[] } as const;

/** discord.js message options for a reply: limits enforced, mentions off, ephemeral as a flag. */
export function toMessageOptions(reply: BotReply) {
  return {
    content: reply.content === undefined ? undefined : truncate(reply.content, DISCORD_LIMITS.content),
    embeds: reply.embeds ? fitEmbeds(reply.embeds) : [],
    components: reply.components ? [...reply.components] : [],
    files: (reply.files ?? []).map((f) => ({ attachment: f.data, name: f.name })),
    allowedMentions: NO_MENTIONS,
    ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}),
  } satisfies InteractionReplyOptions;
}

/**
 * Answers an interaction whatever state it is in: a first reply, the edit of a deferred reply, or
 * a follow-up once it has been answered.
 */
export async function sendReply(interaction: RepliableInteraction, reply: BotReply): Promise<void> {
  const options = toMessageOptions(reply);
  if (interaction.deferred && !interaction.replied) {
    const { flags: _flags, ...edit } = options;
    await interaction.editReply(edit);
  } else if (interaction.replied) {
    await interaction.followUp(options);
  } else {
    await interaction.reply(options);
  }
}

/** Replaces the message a button or menu sits on (pagination), or edits it after deferUpdate. */
export async function updateMessage(
  interaction: MessageComponentInteraction,
  reply: BotReply,
): Promise<void> {
  const { flags: _flags, ...rest } = toMessageOptions(reply);
  // An edit keeps what it does not mention: clear an earlier note rather than leave it stale.
  const options = { ...rest, content: rest.content ?? '' };
  if (interaction.deferred || interaction.replied) await interaction.editReply(options);
  else await interaction.update(options);
}
