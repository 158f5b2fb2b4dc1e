import { ChannelType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  channelOption,
  integerOption,
  localizedCommand,
  stringOption,
  subcommand,
} from '../../src/discord/localize.js';

const text = (en: string) => ({ en, fr: `${en}-fr`, es: `${en}-es` });

describe('localize', () => {
  describe('option builders', () => {
    const data = localizedCommand({ name: text('cmd'), description: text('A command') })
      .addSubcommand((s) =>
        subcommand({ name: text('sub'), description: text('A subcommand') })(s)
          .addChannelOption(
            channelOption({
              name: text('where'),
              description: text('Channel'),
              required: true,
              channelTypes: [ChannelType.GuildText],
            }),
          )
          .addStringOption(
            stringOption({
              name: text('kind'),
              description: text('Kind'),
              maxLength: 50,
              choices: [{ name: { en: 'Articles', fr: 'Articles', es: 'Artículos' }, value: 'article' }],
            }),
          )
          .addIntegerOption(
            integerOption({
              name: text('n'),
              description: text('Count'),
              autocomplete: true,
              min: 1,
              max: 9,
            }),
          ),
      )
      .toJSON();

    it('names and describes commands, subcommands and options in English, French and both Spanish locales', () => {
      const sub = data.options![0] as { name: string; name_localizations: unknown; options: unknown[] };
      expect([data.name, data.name_localizations]).toEqual([
        'cmd',
        { fr: 'cmd-fr', 'es-ES': 'cmd-es', 'es-419': 'cmd-es' },
      ]);
      expect(data.description_localizations).toEqual({
        fr: 'A command-fr',
        'es-ES': 'A command-es',
        'es-419': 'A command-es',
      });
      expect(sub.name_localizations).toEqual({ fr: 'sub-fr', 'es-ES': 'sub-es', 'es-419': 'sub-es' });
    });

    it('applies each setting given, and leaves an option optional unless required', () => {
      const [where, kind, n] = (data.options![0] as unknown as { options: Array<Record<string, unknown>> })
        .options;
      expect(where).toMatchObject({ name: 'where', required: true, channel_types: [ChannelType.GuildText] });
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
      expect(n).toMatchObject({ name: 'n', required: false, autocomplete: true, min_value: 1, max_value: 9 });
    });
  });
});
