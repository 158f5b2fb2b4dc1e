import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { APIApplicationCommandOption } from 'discord.js';
import { ApplicationCommandOptionType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { COMMAND_LOCALES } from '../../src/discord/localize.js';

const COMMANDS_DIR = path.resolve(import.meta.dirname, '../../commands');
// Discord's rule for command and option names (lowercase where the script has case).
const NAME = /^[-_\p{Ll}\p{Lm}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const json = commands.map((c) => c.data.toJSON());

type Localizations = Partial<Record<string, string | null>> | null | undefined;
const longest = (value: string, localizations: Localizations) =>
  Math.max(value.length, ...Object.values(localizations ?? {}).map((text) => text?.length ?? 0));

interface Sized {
  readonly name: string;
  readonly name_localizations?: Localizations;
  readonly description?: string;
  readonly description_localizations?: Localizations;
  readonly choices?: readonly { name: string; name_localizations?: Localizations; value: string | number }[];
  readonly options?: readonly Sized[];
}

/**
 * Discord's size of a command: the characters of every name, description and choice value of the
 * command, its options and choices, counting for each field only its longest localization (the
 * default included). Discord's documentation says 8,000; older references (Sapphire's limits) say
 * 4,000: we keep under the stricter.
 */
function commandSize(o: Sized): number {
  let size = longest(o.name, o.name_localizations);
  if (o.description !== undefined) size += longest(o.description, o.description_localizations);
  for (const c of o.choices ?? []) size += longest(c.name, c.name_localizations) + String(c.value).length;
  for (const option of o.options ?? []) size += commandSize(option);
  return size;
}

function allOptions(options: readonly APIApplicationCommandOption[] = []): APIApplicationCommandOption[] {
  return options.flatMap((o) => [o, ...allOptions('options' in o ? (o.options ?? []) : [])]);
}

describe('commands/index.ts', () => {
  it('lists every command module in the folder, once, named like its file', async () => {
    const files = (await readdir(COMMANDS_DIR))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    const names = commands.map((c) => c.data.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...files].sort());
  });

  it.each(json.map((c) => [c.name, c] as const))('/%s has a valid definition', (_name, command) => {
    expect(command.name).toMatch(NAME);
    expect(command.description.length).toBeGreaterThan(0);
    expect(command.description.length).toBeLessThanOrEqual(100);
    expect(commandSize(command as Sized)).toBeLessThan(4000);
    const siblings = [
      command.options ?? [],
      ...allOptions(command.options).map((o) => ('options' in o ? (o.options ?? []) : [])),
    ];
    for (const level of siblings) expect(new Set(level.map((o) => o.name)).size).toBe(level.length);
    const options = allOptions(command.options);
    for (const option of options) {
      expect(option.name).toMatch(NAME);
      expect(option.description.length).toBeGreaterThan(0);
      expect(option.description.length).toBeLessThanOrEqual(100);
      if (
        option.type === ApplicationCommandOptionType.String &&
        'autocomplete' in option &&
        option.autocomplete
      ) {
        expect(option.max_length, `${command.name}.${option.name}`).toBeLessThanOrEqual(100);
      }
    }
  });

  it.each(json.map((c) => [c.name, c] as const))(
    '/%s is named and described in French and Spanish',
    (_n, command) => {
      for (const item of [command, ...allOptions(command.options)]) {
        for (const locale of COMMAND_LOCALES) {
          const name = item.name_localizations?.[locale];
          const description = item.description_localizations?.[locale];
          expect(name, `${item.name} ${locale}`).toMatch(NAME);
          expect(description?.length, `${item.name} ${locale}`).toBeGreaterThan(0);
          expect(description!.length).toBeLessThanOrEqual(100);
        }
      }
    },
  );

  it('has an autocomplete handler wherever an option autocompletes', () => {
    for (const command of commands) {
      const autocompletes = allOptions(command.data.toJSON().options).some(
        (o) => 'autocomplete' in o && o.autocomplete,
      );
      expect(typeof command.autocomplete === 'function', command.data.name).toBe(autocompletes);
    }
  });

  it('gives each component action to exactly one command', () => {
    const actions = commands.flatMap((c) => Object.keys(c.components ?? {}));
    expect(new Set(actions).size).toBe(actions.length);
    expect(actions).toEqual(expect.arrayContaining(['contact', 'open', 'page', 'read', 'vcard']));
  });
});
