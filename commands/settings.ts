import { InteractionContextType, PermissionFlagsBits } from 'discord.js';
import type { ChatInputCommandInteraction, SlashCommandStringOption } from 'discord.js';
import { UserError } from '../src/core/errors.js';
import type { CommandContext } from '../src/discord/context.js';
import { localizations, localizedCommand, named, subcommand } from '../src/discord/localize.js';
import { readChoice } from '../src/discord/options.js';
import { sendReply } from '../src/discord/reply.js';
import { LANGUAGES, catalogLanguage, languageName, t, type Language } from '../src/i18n/translate.js';

/** `auto`: no language of the server's own; replies follow each member's Discord language. */
const AUTO = 'auto';

/** Every language with a catalog, named in itself (Intl.DisplayNames), and `auto`. */
const languageOption = (option: SlashCommandStringOption) =>
  named(option, 'commands.settings.options.language')
    .setRequired(true)
    .addChoices(...LANGUAGES.map((lang) => ({ name: languageName(lang), value: lang })), {
      name: t('en', 'language.auto'),
      name_localizations: localizations('language.auto'),
      value: AUTO,
    });

/** Server settings (Manage Server, guild only): the language of replies and digests. */
export const data = localizedCommand('commands.settings')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    subcommand('commands.settings.subcommands.language')(s).addStringOption(languageOption),
  );

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  if (!interaction.inGuild())
    throw new UserError('settings-not-in-guild', 'Settings belong to a server; run this command in one.', {});
  // Discord hides the command from members without the permission; the API does not enforce it.
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    throw new UserError(
      'settings-missing-manage-server',
      "You need the Manage Server permission to change this server's settings.",
      {},
    );
  }
  if (!ctx.guildSettings) {
    throw new UserError('settings-unavailable', t('en', 'settings.storeMissing'), {
      key: 'settings.storeMissing',
    });
  }
  const choice = readChoice(interaction, 'language', [...LANGUAGES, AUTO]) ?? AUTO;
  const chosen: Language | null = choice === AUTO ? null : choice;
  await ctx.guildSettings.setLanguage(interaction.guildId, chosen, ctx.now());
  // Said in the language this member's replies now come in.
  const lang =
    catalogLanguage(interaction.locale) ?? chosen ?? catalogLanguage(interaction.guildLocale) ?? ctx.language;
  ctx.logger.info({ guildId: interaction.guildId, language: chosen }, 'server language set');
  await sendReply(interaction, {
    content: chosen
      ? t(lang, 'settings.languageSet', { language: languageName(chosen) })
      : t(lang, 'settings.languageCleared'),
    ephemeral: true,
  });
}
