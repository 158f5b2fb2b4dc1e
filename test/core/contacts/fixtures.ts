import { ContactDirectory } from '../../../src/core/contacts/directory.js';
import { extractMentions } from '../../../src/core/contacts/mentions.js';
import type { DocumentRecord } from '../../../src/core/record.js';

/** The directory as the library builds it: every record with the people found in its text. */
export const directoryOf = (records: readonly DocumentRecord[]) =>
  new ContactDirectory(records.map((record) => ({ record, mentions: extractMentions(record.paragraphs) })));
