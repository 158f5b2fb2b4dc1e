import { SUGGEST_FIELDS, type SuggestField } from '../core/library.js';
import { parseCliArgs, UsageError, type CliCommand } from './command.js';
import { libraryFor } from './openLibrary.js';
import { json } from './output.js';

const help = `Usage: npm run --silent cli -- suggest [prefix] [--field title|contact|country|project] [--json]

Autocomplete as the bot offers it: at most 25 choices, each name and value at most 100
characters. Matches the start of the text or of any word in it; case and accents do not matter.

Options:
  --field F   what to complete (default: title)
  --json      print {"suggestions": [{"name", "value"}]}
  --help      show this help`;

/** `suggest`: autocomplete choices. */
export const suggestCommand: CliCommand = {
  name: 'suggest',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, {
      field: { type: 'string', default: 'title' },
      json: { type: 'boolean', default: false },
    });
    const field = values.field;
    if (!SUGGEST_FIELDS.includes(field as SuggestField)) {
      throw new UsageError(`--field must be one of ${SUGGEST_FIELDS.join(', ')}; got "${field}".`);
    }
    const library = await libraryFor(io);
    const suggestions = library.suggest(field as SuggestField, positionals.join(' '));
    io.stdout(
      values.json
        ? json({ suggestions })
        : suggestions.length > 0
          ? `${suggestions.map((s) => (s.name === s.value ? s.name : `${s.name}  →  ${s.value}`)).join('\n')}\n`
          : 'No suggestions.\n',
    );
    return 0;
  },
};
