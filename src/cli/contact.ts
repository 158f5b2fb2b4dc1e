import type { ContactEntry } from '../core/library.js';
import { parseCliArgs, UsageError, type CliCommand } from './command.js';
import { libraryFor } from './openLibrary.js';
import { json } from './output.js';

const help = `Usage: npm run --silent cli -- contact <name, office or e-mail> [--json | --vcard]

Finds people across all documents (press contacts and people named in the text), by any part of
their name, office or e-mail; case and accents do not matter ("par" finds "Pär"). Shows at most 25
people, best matches first.

Options:
  --json    print {"contacts": [{"name", "aliases", "offices", "phones", "emails", "roles",
            "documents": [{"id", "title", "as": "contact"|"mention"}]}]}
  --vcard   print each match as a vCard 4.0
  --help    show this help

Exit code: 0 when someone matched, 1 when nobody did, 2 for wrong usage.`;

function render(entries: readonly ContactEntry[]): string {
  return entries
    .map((e) => {
      const lines = [e.name];
      if (e.aliases.length > 0) lines.push(`  also written: ${e.aliases.join(', ')}`);
      if (e.roles.length > 0) lines.push(`  role: ${e.roles.join('; ')}`);
      if (e.offices.length > 0) lines.push(`  office: ${e.offices.join('; ')}`);
      if (e.phones.length > 0) lines.push(`  phone: ${e.phones.join('; ')}`);
      if (e.emails.length > 0) lines.push(`  e-mail: ${e.emails.join('; ')}`);
      for (const d of e.documents)
        lines.push(`  ${d.as === 'contact' ? 'contact for' : 'named in'} ${d.id}  ${d.title}`);
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

/** `contact`: the contact directory. */
export const contactCommand: CliCommand = {
  name: 'contact',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCliArgs(argv, {
      json: { type: 'boolean', default: false },
      vcard: { type: 'boolean', default: false },
    });
    if (positionals.length === 0) throw new UsageError('missing the name to look for.');
    if (values.json && values.vcard) throw new UsageError('choose --json or --vcard, not both.');
    const query = positionals.join(' ');
    const library = await libraryFor(io);
    const entries = library.contacts.search(query);
    if (values.json) io.stdout(json({ contacts: entries }));
    else if (values.vcard) io.stdout(entries.map((e) => library.contacts.vcard(e)).join(''));
    else if (entries.length > 0) io.stdout(render(entries));
    if (entries.length === 0) {
      io.stderr(`contact: nobody matches "${query}".\n`);
      return 1;
    }
    return 0;
  },
};
