import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import { UserError } from '../core/errors.js';
import { escapeText } from './format/text.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { truncate, truncateGraphemes } from '../core/truncate.js';
import type { Suggestion as Choice } from '../core/library.js';

/** Longest text accepted in a query-like option (Discord also enforces it as max_length). */
export const MAX_QUERY_LENGTH = 100;

/**
 * A required text option, trimmed, checked for emptiness and length with messages a user can act
 * on. Discord enforces max_length itself; this guards the console and older command versions.
 */
export function readText(interaction: ChatInputCommandInteraction, name: string, what = name): string {
  const value = (interaction.options.getString(name, true) ?? '').trim();
  if (!value)
    throw new UserError('empty-option', `Please type something for ${what}.`, { values: { option: what } });
  if (value.length > MAX_QUERY_LENGTH) {
    throw new UserError(
      'option-too-long',
      `The ${what} is ${value.length} characters long; the limit is ${MAX_QUERY_LENGTH}. Please shorten it.`,
      { values: { option: what, length: value.length, limit: MAX_QUERY_LENGTH } },
    );
  }
  return value;
}

/**
 * An optional option limited to fixed `choices`. Discord only offers those, but a stale client or
 * the API can send anything.
 */
export function readChoice<T extends string>(
  interaction: ChatInputCommandInteraction,
  name: string,
  choices: readonly T[],
): T | undefined {
  const value = interaction.options.getString(name);
  if (value === null) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  const allowed = choices.map((c) => `“${c}”`).join(' or ');
  throw new UserError(
    'bad-option',
    `The ${name} must be ${allowed}, not “${escapeText(truncate(value, 40))}”.`,
    {
      values: {
        option: name,
        allowed: choices.map((c) => `“${c}”`),
        value: escapeText(truncate(value, 40)),
      },
    },
  );
}

/** An optional text option, trimmed; undefined when empty. */
export function readOptionalText(interaction: ChatInputCommandInteraction, name: string): string | undefined {
  const value = interaction.options.getString(name)?.trim();
  if (value && value.length > MAX_QUERY_LENGTH) {
    throw new UserError(
      'option-too-long',
      `The ${name} is ${value.length} characters long; the limit is ${MAX_QUERY_LENGTH}.`,
      { values: { option: name, length: value.length, limit: MAX_QUERY_LENGTH } },
    );
  }
  return value || undefined;
}

/**
 * Answers an autocomplete within Discord's rules: at most 25 choices, names cut to 100 characters,
 * values longer than 100 dropped (a cut value would no longer identify anything).
 */
export async function respondChoices(
  interaction: AutocompleteInteraction,
  choices: readonly Choice[],
): Promise<void> {
  await interaction.respond(
    choices
      .filter((c) => c.value.length > 0 && c.value.length <= L.choiceValue)
      .slice(0, L.autocompleteChoices)
      .map((c) => ({ name: truncateGraphemes(c.name, L.choiceName) || c.value, value: c.value })),
  );
}

/** What the user has typed in the focused option, cut to a sane length. */
export function focusedText(interaction: AutocompleteInteraction): { name: string; value: string } {
  const focused = interaction.options.getFocused(true);
  return { name: focused.name, value: String(focused.value).slice(0, MAX_QUERY_LENGTH) };
}
