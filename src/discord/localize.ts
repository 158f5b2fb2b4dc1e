import { SlashCommandBuilder } from 'discord.js';
import type {
  LocalizationMap,
  SlashCommandChannelOption,
  SlashCommandRoleOption,
  SlashCommandIntegerOption,
  SlashCommandStringOption,
  SlashCommandSubcommandBuilder,
} from 'discord.js';

/** A name or description in every language the commands ship in. */
export interface Localized {
  readonly en: string;
  readonly fr: string;
  readonly es: string;
}

/** Discord locales we fill; Spanish has a European and a Latin American code. */
export const COMMAND_LOCALES = ['fr', 'es-ES', 'es-419'] as const;

/** The localization map for Discord (English is the default name itself). */
export function localizations(text: Localized): LocalizationMap {
  return { fr: text.fr, 'es-ES': text.es, 'es-419': text.es };
}

interface Localizable {
  setName(name: string): unknown;
  setNameLocalizations(map: LocalizationMap | null): unknown;
  setDescription(description: string): unknown;
  setDescriptionLocalizations(map: LocalizationMap | null): unknown;
}

/**
 * Names and describes a command or option in all languages at once, e.g.
 * `.addStringOption((o) => named(o, { en: 'query', … }, { en: 'Words to look for', … }))`.
 */
export function named<T extends Localizable>(builder: T, name: Localized, description: Localized): T {
  builder.setName(name.en);
  builder.setNameLocalizations(localizations(name));
  builder.setDescription(description.en);
  builder.setDescriptionLocalizations(localizations(description));
  return builder;
}

/** A command's, subcommand's or option's name and description in every language. */
export interface CommandText {
  readonly name: Localized;
  readonly description: Localized;
}

/** An option's name and description in every language, and its Discord settings. */
interface OptionSpec extends CommandText {
  readonly required?: boolean;
  readonly autocomplete?: boolean;
}

/** A text option; `choices` are fixed values with localized labels. */
export interface StringOptionSpec extends OptionSpec {
  readonly maxLength?: number;
  readonly choices?: ReadonlyArray<{ readonly name: Localized; readonly value: string }>;
}

/** A whole-number option. */
export interface IntegerOptionSpec extends OptionSpec {
  readonly min?: number;
  readonly max?: number;
}

/** A channel option limited to some channel types. */
export interface ChannelOptionSpec extends OptionSpec {
  readonly channelTypes: Parameters<SlashCommandChannelOption['addChannelTypes']>;
}

/** A slash command named and described in every language. */
export function localizedCommand(text: CommandText): SlashCommandBuilder {
  return named(new SlashCommandBuilder(), text.name, text.description);
}

/** For `.addSubcommand(subcommand(text))`: a subcommand named and described in every language. */
export function subcommand(text: CommandText) {
  return (s: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder =>
    named(s, text.name, text.description);
}

function withCommon<
  T extends
    SlashCommandStringOption | SlashCommandIntegerOption | SlashCommandChannelOption | SlashCommandRoleOption,
>(option: T, spec: OptionSpec): T {
  named(option, spec.name, spec.description).setRequired(spec.required ?? false);
  return option;
}

/** For `.addStringOption(stringOption({ name, description, required, autocomplete, maxLength }))`. */
export function stringOption(spec: StringOptionSpec) {
  return (option: SlashCommandStringOption): SlashCommandStringOption => {
    withCommon(option, spec);
    if (spec.autocomplete) option.setAutocomplete(true);
    if (spec.maxLength !== undefined) option.setMaxLength(spec.maxLength);
    if (spec.choices) {
      option.addChoices(
        ...spec.choices.map((c) => ({
          name: c.name.en,
          name_localizations: localizations(c.name),
          value: c.value,
        })),
      );
    }
    return option;
  };
}

/** For `.addIntegerOption(integerOption({ name, description, min, max }))`. */
export function integerOption(spec: IntegerOptionSpec) {
  return (option: SlashCommandIntegerOption): SlashCommandIntegerOption => {
    withCommon(option, spec);
    if (spec.autocomplete) option.setAutocomplete(true);
    if (spec.min !== undefined) option.setMinValue(spec.min);
    if (spec.max !== undefined) option.setMaxValue(spec.max);
    return option;
  };
}

/** For `.addChannelOption(channelOption({ name, description, channelTypes }))`. */
export function channelOption(spec: ChannelOptionSpec) {
  return (option: SlashCommandChannelOption): SlashCommandChannelOption =>
    withCommon(option, spec).addChannelTypes(...spec.channelTypes);
}

/** For `.addRoleOption(roleOption({ name, description }))`. */
export function roleOption(spec: OptionSpec) {
  return (option: SlashCommandRoleOption): SlashCommandRoleOption => withCommon(option, spec);
}
