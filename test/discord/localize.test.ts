import { ChannelType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_LOCALES,
  channelOption,
  integerOption,
  localizedCommand,
  stringOption,
  subcommand,
} from '../../src/discord/localize.js';

describe('localize', () => {
  describe('option builders', () => {
    const data = localizedCommand('commands.digest')
      .addSubcommand((s) =>
        subcommand('commands.digest.subcommands.subscribe')(s)
          .addChannelOption(
            channelOption({
              text: 'commands.digest.options.channel',
              required: true,
              channelTypes: [ChannelType.GuildText],
            }),
          )
          .addStringOption(
            stringOption({ text: 'commands.search.options.kind', maxLength: 50, choices: ['article'] }),
          )
          .addIntegerOption(
            integerOption({ text: 'commands.digest.options.backfill', autocomplete: true, min: 1, max: 9 }),
          ),
      )
      .toJSON();

    it('fills the Discord locales that have a catalog: fr, es-ES and es-419 (Discord has no Arabic)', () => {
      expect(COMMAND_LOCALES).toEqual(['fr', 'es-ES', 'es-419']);
    });

    it('names and describes commands, subcommands and options from the catalogs', () => {
      const sub = data.options![0] as { name: string; name_localizations: unknown; options: unknown[] };
      expect([data.name, data.name_localizations]).toEqual([
        'digest',
        { fr: 'digest', 'es-ES': 'resumen', 'es-419': 'resumen' },
      ]);
      expect(data.description_localizations).toEqual({
        fr: 'Résumés planifiés des nouveaux articles dans un salon',
        'es-ES': 'Resúmenes programados de artículos nuevos en un canal',
        'es-419': 'Resúmenes programados de artículos nuevos en un canal',
      });
      expect([sub.name, sub.name_localizations]).toEqual([
        'subscribe',
        { fr: 'abonner', 'es-ES': 'suscribir', 'es-419': 'suscribir' },
      ]);
    });

    it('applies each setting given, and leaves an option optional unless required', () => {
      const [where, kind, n] = (data.options![0] as unknown as { options: Array<Record<string, unknown>> })
        .options;
      expect(where).toMatchObject({
        name: 'channel',
        name_localizations: { fr: 'salon', 'es-ES': 'canal', 'es-419': 'canal' },
        required: true,
        channel_types: [ChannelType.GuildText],
      });
      expect(kind).toMatchObject({
        name: 'kind',
        required: false,
        max_length: 50,
        choices: [
          {
            name: 'Articles',
            name_localizations: { fr: 'Articles', 'es-ES': 'Artículos', 'es-419': 'Artículos' },
            value: 'article',
          },
        ],
      });
      expect(kind).not.toHaveProperty('autocomplete', true);
      expect(n).toMatchObject({
        name: 'backfill',
        required: false,
        autocomplete: true,
        min_value: 1,
        max_value: 9,
      });
    });
  });
});
