import type {
  APIApplicationCommandOption,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { ApplicationCommandOptionType } from 'discord.js';
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';

/** A slash command typed as text, resolved against the command's definition. */
export interface TypedCommand {
  readonly name: string;
  /** Subcommand group and subcommand names, outermost first. */
  readonly path: readonly string[];
  readonly options: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Parses `/search query:beijing kind:article` against the command definitions. Option values run
 * until the next `name:` of an option the command has, so they may contain spaces and colons.
 */
export function parseCommandLine(
  line: string,
  definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
): Result<TypedCommand, string> {
  const match = /^\/(\S+)\s*(.*)$/s.exec(line.trim());
  if (!match) return err('commands start with a slash, e.g. /about');
  const [, name = '', rest = ''] = match;
  const definition = definitions.find((d) => d.name === name.toLowerCase());
  if (!definition) {
    return err(`unknown command /${name}; try ${definitions.map((d) => `/${d.name}`).join(', ')}`);
  }
  let options: readonly APIApplicationCommandOption[] = definition.options ?? [];
  let remaining = rest;
  const path: string[] = [];
  for (;;) {
    const word = /^(\S+)(?:\s+|$)/.exec(remaining);
    const sub = word
      ? options.find(
          (o) =>
            o.name === word[1] &&
            (o.type === ApplicationCommandOptionType.Subcommand ||
              o.type === ApplicationCommandOptionType.SubcommandGroup),
        )
      : undefined;
    if (!word || !sub) break;
    path.push(sub.name);
    options = 'options' in sub ? (sub.options ?? []) : [];
    remaining = remaining.slice(word[0].length);
  }
  const needsSub = options.some(
    (o) =>
      o.type === ApplicationCommandOptionType.Subcommand ||
      o.type === ApplicationCommandOptionType.SubcommandGroup,
  );
  if (needsSub) {
    return err(`/${[name, ...path].join(' ')} needs one of: ${options.map((o) => o.name).join(', ')}`);
  }
  const names = options.map((o) => o.name);
  const values: Record<string, string | number | boolean> = {};
  if (remaining.trim()) {
    const pattern = new RegExp(`(?:^|\\s)(${names.map(escapeRegExp).join('|') || '(?!)'}):`, 'g');
    const starts = [...remaining.matchAll(pattern)];
    const firstStart = starts[0];
    if (!firstStart || remaining.slice(0, firstStart.index).trim()) {
      return err(
        `options are written name:value; /${name} takes ${names.map((n) => `${n}:`).join(' ') || 'none'}`,
      );
    }
    for (const [i, start] of starts.entries()) {
      const optionName = start[1]!;
      const valueStart = start.index + start[0].length;
      const valueEnd = starts[i + 1]?.index ?? remaining.length;
      const raw = remaining.slice(valueStart, valueEnd).trim();
      const option = options.find((o) => o.name === optionName)!;
      const value = coerce(option, raw);
      if (!value.ok) return value;
      values[optionName] = value.value;
    }
  }
  const missing = options
    .filter((o) => 'required' in o && o.required && !(o.name in values))
    .map((o) => o.name);
  if (missing.length)
    return err(`/${[name, ...path].join(' ')} needs ${missing.map((m) => `${m}:`).join(' ')}`);
  return ok({ name: definition.name, path, options: values });
}

function coerce(option: APIApplicationCommandOption, raw: string): Result<string | number | boolean, string> {
  switch (option.type) {
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const n = Number(raw);
      if (
        raw === '' ||
        Number.isNaN(n) ||
        (option.type === ApplicationCommandOptionType.Integer && !Number.isInteger(n))
      ) {
        return err(`${option.name}: expected a number, got "${raw}"`);
      }
      return ok(n);
    }
    case ApplicationCommandOptionType.Boolean:
      if (/^(true|yes|1)$/i.test(raw)) return ok(true);
      if (/^(false|no|0)$/i.test(raw)) return ok(false);
      return err(`${option.name}: expected true or false, got "${raw}"`);
    default:
      if (
        option.type === ApplicationCommandOptionType.String &&
        'choices' in option &&
        option.choices?.length
      ) {
        const choice = option.choices.find(
          (c) => c.value === raw || c.name.toLowerCase() === raw.toLowerCase(),
        );
        if (!choice) return err(`${option.name}: one of ${option.choices.map((c) => c.value).join(', ')}`);
        return ok(choice.value);
      }
      return ok(raw);
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
