import { performance } from 'node:perf_hooks';
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  StringSelectMenuInteraction,
} from 'discord.js';
import { MessageFlags } from 'discord.js';
import { UserError, isUserError } from '../core/errors.js';
import type { ComponentHandler, SlashCommand } from './command.js';
import type { CommandContext } from './context.js';
import type { InteractionOutcome } from '../ops/metrics.js';
import { decodeCustomId } from './customId.js';
import { sendReply } from './reply.js';
import { replyLanguage } from './replyLanguage.js';
import { hasMessage, translator, type Language } from '../i18n/translate.js';

/** The apology for a bug, in English (the catalog's `errors.apology`). */
export const APOLOGY = translator('en')('errors.apology');

/** The English text of the stale-component error (its catalog key is `errors.stale-component`). */
export const STALE_COMPONENT =
  'This button belongs to an older message and no longer works. Please run the command again.';

/** The message a UserError shows in `lang`: its catalog text when it carries one, else its English message. */
export function userErrorMessage(error: UserError, lang: Language): string {
  const key = error.text?.key ?? `errors.${error.code}`;
  if (!error.text || !hasMessage(key)) return error.message;
  const values = Object.fromEntries(
    Object.entries(error.text.values ?? {}).map(([name, value]) => [
      name,
      typeof value === 'string' || typeof value === 'number'
        ? value
        : new Intl.ListFormat(lang, { type: 'disjunction' }).format(value),
    ]),
  );
  return translator(lang)(key, values);
}

/**
 * Routes every interaction to its command, one dispatcher per interaction type, behind the single
 * catch point: a UserError becomes an ephemeral reply with its message; anything else is logged
 * with the command, user and guild ids and the user gets a short ephemeral apology.
 */
export function createDispatcher(
  commands: readonly SlashCommand[],
  ctx: CommandContext,
): (interaction: Interaction) => Promise<void> {
  const byName = new Map<string, SlashCommand>();
  const byAction = new Map<string, ComponentHandler>();
  /** The command whose messages carry each component action, to label its metrics. */
  const actionOwner = new Map<string, string>();
  for (const command of commands) {
    if (byName.has(command.data.name)) throw new Error(`duplicate command name: ${command.data.name}`);
    byName.set(command.data.name, command);
    for (const [action, handler] of Object.entries(command.components ?? {})) {
      if (byAction.has(action)) throw new Error(`duplicate component action: ${action}`);
      byAction.set(action, handler);
      actionOwner.set(action, command.data.name);
    }
  }

  const chatInput = async (interaction: ChatInputCommandInteraction, ctx: CommandContext) => {
    const command = byName.get(interaction.commandName);
    if (!command)
      throw new UserError('unknown-command', `The command /${interaction.commandName} is not available.`, {
        values: { command: interaction.commandName },
      });
    if (command.defer) {
      await interaction.deferReply(command.defer === 'ephemeral' ? { flags: MessageFlags.Ephemeral } : {});
    }
    await command.execute(interaction, ctx);
  };

  const autocomplete = async (interaction: AutocompleteInteraction, ctx: CommandContext) => {
    const command = byName.get(interaction.commandName);
    if (command?.autocomplete) await command.autocomplete(interaction, ctx);
    else await interaction.respond([]);
  };

  const component = async (
    interaction: ButtonInteraction | StringSelectMenuInteraction,
    ctx: CommandContext,
  ) => {
    const decoded = decodeCustomId(interaction.customId);
    const handler = decoded.ok ? byAction.get(decoded.value.action) : undefined;
    if (!decoded.ok || !handler) throw new UserError('stale-component', STALE_COMPONENT, {});
    await handler(interaction, decoded.value.args, ctx);
  };

  /** The command to label an interaction's metrics with: only known names, so labels stay few. */
  const commandOf = (interaction: Interaction): string => {
    let name: string | undefined;
    if (interaction.isChatInputCommand() || interaction.isAutocomplete()) name = interaction.commandName;
    else if (interaction.isButton() || interaction.isStringSelectMenu()) {
      const decoded = decodeCustomId(interaction.customId);
      name = decoded.ok ? actionOwner.get(decoded.value.action) : undefined;
    }
    return name !== undefined && byName.has(name) ? name : 'unknown';
  };

  return async (interaction: Interaction) => {
    const started = performance.now();
    const label = describe(interaction);
    const kind = interaction.isChatInputCommand()
      ? 'command'
      : interaction.isAutocomplete()
        ? 'autocomplete'
        : interaction.isButton() || interaction.isStringSelectMenu()
          ? 'component'
          : undefined;
    if (!kind) return;
    let outcome: InteractionOutcome = 'ok';
    // Each interaction runs with its reader's language; the shared context is never changed.
    const local: CommandContext = {
      ...ctx,
      language: await replyLanguage(interaction, ctx.guildSettings, ctx.language, ctx.logger),
    };
    try {
      if (interaction.isChatInputCommand()) await chatInput(interaction, local);
      else if (interaction.isAutocomplete()) await autocomplete(interaction, local);
      else if (interaction.isButton() || interaction.isStringSelectMenu())
        await component(interaction, local);
      ctx.logger.debug({ ...label, ms: round(performance.now() - started) }, 'interaction handled');
    } catch (error) {
      outcome = isUserError(error) ? 'user-error' : 'error';
      await reportFailure(interaction, error, label, local);
    } finally {
      ctx.metrics?.interactionObserved({
        command: commandOf(interaction),
        kind,
        outcome,
        seconds: (performance.now() - started) / 1000,
      });
    }
  };
}

function describe(interaction: Interaction) {
  return {
    interactionId: interaction.id,
    type: interaction.type,
    command: 'commandName' in interaction ? interaction.commandName : undefined,
    customId: 'customId' in interaction ? interaction.customId : undefined,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

async function reportFailure(
  interaction: Interaction,
  error: unknown,
  label: ReturnType<typeof describe>,
  ctx: CommandContext,
): Promise<void> {
  if (isUserError(error)) {
    ctx.logger.debug({ ...label, code: error.code }, 'user error');
  } else {
    ctx.logger.error({ ...label, err: error }, 'interaction failed');
  }
  if (interaction.isAutocomplete()) {
    // An autocomplete cannot show a message; an empty list is the polite answer.
    if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
    return;
  }
  if (!interaction.isRepliable()) return;
  const message = isUserError(error)
    ? userErrorMessage(error, ctx.language)
    : translator(ctx.language)('errors.apology');
  try {
    await sendReply(interaction, { content: message, ephemeral: true });
  } catch (replyError) {
    ctx.logger.warn({ ...label, err: replyError }, 'could not tell the user about a failure');
  }
}
