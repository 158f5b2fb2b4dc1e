import { Locale, SlashCommandBuilder } from 'discord.js';
import { LANGUAGES, t, type Language } from '../i18n/translate.js';
import type {
  LocalizationMap,
  SlashCommandChannelOption,
  SlashCommandRoleOption,
  SlashCommandIntegerOption,
  SlashCommandStringOption,
  SlashCommandSubcommandBuilder,
} from 'discord.js';

/**
 * The Discord locales each catalog fills. English is the default name itself; Discord offers no
 * Arabic locale, so the Arabic catalog serves replies (via /settings language) but no command names.
 */
const DISCORD_LOCALES: Readonly<Record<Language, readonly Locale[]>> = {
  en: [],
  fr: [Locale.French],
  es: [Locale.SpanishES, Locale.SpanishLATAM],
  ar: [],
};

/** Discord locales we fill (fr, es-ES, es-419). */
export const COMMAND_LOCALES: readonly Locale[] = LANGUAGES.flatMap((lang) => DISCORD_LOCALES[lang]);

/** The localization map of one catalog message (English is the default name itself). */
export function localizations(key: string): LocalizationMap {
  const map: LocalizationMap = {};
  for (const lang of LANGUAGES) for (const locale of DISCORD_LOCALES[lang]) map[locale] = t(lang, key);
  return map;
}

interface Localizable {
  setName(name: string): unknown;
  setNameLocalizations(map: LocalizationMap | null): unknown;
  setDescription(description: string): unknown;
  setDescriptionLocalizations(map: LocalizationMap | null): unknown;
}

/**
 * Names and describes a command or option in all languages at once from the catalogs' `<text>.name`
 * and `<text>.description`, e.g. `named(option, 'commands.search.options.query')`.
 */
export function named<T extends Localizable>(builder: T, text: CommandText): T {
  builder.setName(t('en', `${text}.name`));
  builder.setNameLocalizations(localizations(`${text}.name`));
  builder.setDescription(t('en', `${text}.description`));
  builder.setDescriptionLocalizations(localizations(`${text}.description`));
  return builder;
}

/** A command's, subcommand's or option's catalog key: its name and description are under it. */
export type CommandText = string;

/** An option's catalog key, and its Discord settings. */
interface OptionSpec {
  readonly text: CommandText;
  readonly required?: boolean;
  readonly autocomplete?: boolean;
}

/** A text option; `choices` are fixed values, labelled by the catalog's `<text>.choices.<value>`. */
export interface StringOptionSpec extends OptionSpec {
  readonly maxLength?: number;
  readonly choices?: readonly string[];
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
  return named(new SlashCommandBuilder(), text);
}

/** For `.addSubcommand(subcommand(text))`: a subcommand named and described in every language. */
export function subcommand(text: CommandText) {
  return (s: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder => named(s, text);
}

function withCommon<
  T extends
    SlashCommandStringOption | SlashCommandIntegerOption | SlashCommandChannelOption | SlashCommandRoleOption,
>(option: T, spec: OptionSpec): T {
  named(option, spec.text).setRequired(spec.required ?? false);
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
        ...spec.choices.map((value) => ({
          name: t('en', `${spec.text}.choices.${value}`),
          name_localizations: localizations(`${spec.text}.choices.${value}`),
          value,
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
