import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  StringSelectMenuInteraction,
} from 'discord.js';
import type { CommandContext } from './context.js';

/** A button or select menu handler; `args` come from the decoded custom_id. */
export type ComponentHandler = (
  interaction: ButtonInteraction | StringSelectMenuInteraction,
  args: readonly string[],
  ctx: CommandContext,
) => Promise<void>;

/** One slash command module (`commands/<name>.ts`). */
export interface SlashCommand {
  /** The definition sent to Discord by deploy-commands (a SlashCommandBuilder). */
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /**
   * Acknowledge before running (Discord allows 3 s for the first answer): for commands that wait
   * on I/O. The command then answers with sendReply, which edits the deferred reply.
   */
  readonly defer?: 'ephemeral' | 'public';
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
  /** Handlers for the custom_id actions this command's messages carry (`v1:<action>:…`). */
  readonly components?: Readonly<Record<string, ComponentHandler>>;
}
