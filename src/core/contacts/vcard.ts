/** A directory entry as a vCard 4.0 (RFC 6350). */
import type { ContactEntry } from './directory.js';

/** vCard text value escaping (RFC 6350 §3.4): backslash, comma, semicolon, newline. */
export function escapeVCardText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/;/g, '\\;')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets (RFC 6350 §3.2), never inside a UTF-8 character. */
function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** One entry as a vCard 4.0 (CRLF line ends, escaped values, lines folded at 75 octets). */
export function toVCard(entry: ContactEntry): string {
  const words = entry.name.trim().split(/\s+/);
  const family = words.length > 1 ? words[words.length - 1]! : '';
  const given = words.length > 1 ? words.slice(0, -1).join(' ') : (words[0] ?? '');
  const lines = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    `FN:${escapeVCardText(entry.name)}`,
    `N:${escapeVCardText(family)};${escapeVCardText(given)};;;`,
    ...entry.offices.map((o) => `ORG:${escapeVCardText(o)}`),
    ...entry.phones.map((p) => `TEL;VALUE=text:${escapeVCardText(p)}`),
    ...entry.emails.map((e) => `EMAIL:${escapeVCardText(e)}`),
  ];
  const notes = [
    ...entry.roles,
    ...(entry.aliases.length > 0 ? [`Also written: ${entry.aliases.join(', ')}`] : []),
  ];
  if (notes.length > 0) lines.push(`NOTE:${escapeVCardText(notes.join('\n'))}`);
  lines.push('END:VCARD');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
