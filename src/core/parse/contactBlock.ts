import { z } from 'zod';
import type { Contact } from '../record.js';
import { normalizeSpace } from './pageText.js';

/**
 * "For more information, please contact", "For further information please contact:" and the like,
 * optionally followed by the first contact on the same line.
 */
const CONTACT_HEADER =
  /^\s*for\s+(?:more|further|additional)\s+information,?\s*(?:please\s+)?contact(?:s)?\b\s*[:.,-]?\s*(.*)$/i;

export interface ContactBlock {
  /** Index of the header line. */
  readonly start: number;
  /** The block's lines after the header (with any text that followed the header on its line). */
  readonly lines: readonly string[];
}

/** Finds the last contact header in the page and returns the block that follows it. */
export function findContactBlock(lines: readonly string[], from = 0): ContactBlock | null {
  for (let i = lines.length - 1; i >= from; i--) {
    const match = CONTACT_HEADER.exec(lines[i] ?? '');
    if (match) {
      const rest = (match[1] ?? '').trim();
      return { start: i, lines: [...(rest ? [rest] : []), ...lines.slice(i + 1)] };
    }
  }
  return null;
}

const HONORIFIC = /^(?:(?:Mr|Mrs|Ms|Mss|Miss|Mx|Dr|Prof|Sir|Dame|H\.\s?E|Amb|Ambassador)\.?\s+)+/i;

/** "Mr. Jian Zhao" → "Jian Zhao". */
export function stripHonorific(name: string): string {
  return normalizeSpace(name).replace(HONORIFIC, '').trim();
}

const emailSchema = z.email();
const EMAIL_CANDIDATE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/**
 * Recovers an address from what scraping left of it. In a broken link such as
 * `"mailto:Genevajzhao@iom.int">jzhao@iom.int` the visible text after `>` is what the page showed,
 * so it wins over the `mailto:` target (which here swallowed the word before it).
 */
export function repairEmail(raw: string): string | null {
  const visible = raw.includes('>') ? raw.slice(raw.lastIndexOf('>') + 1) : '';
  for (const source of [visible, raw.replace(/mailto:/gi, ' ')]) {
    for (const candidate of source.match(EMAIL_CANDIDATE) ?? []) {
      const email = candidate.replace(/^[._%+-]+|[.]+$/g, '').toLowerCase();
      if (emailSchema.safeParse(email).success) return email;
    }
  }
  return null;
}

const HAS_EMAIL = /[A-Za-z0-9._%+-]@[A-Za-z0-9-]/;
/** Where an address (or a broken `"mailto:` link) starts on a line. */
const EMAIL_START = /["<]?\s*mailto:|[A-Za-z0-9._%+-]+@/i;
const EMAIL_LABEL_ANYWHERE = /\bE-?mail\s*[.:]?/i;
const PHONE_LABEL = /\b(?:Tel(?:ephone)?|Phone|Mobile|Mob|Cell|Fax)\s*[.:]?\s*[.:]?\s*/gi;
const EMAIL_LABEL = /^\s*E-?mail\s*[.:]?\s*/i;
/** Lines that look like an organisation rather than a person. */
const OFFICE_HINT =
  /^(?:IOM|UN|UNHCR|OCHA|WHO|UNICEF|EU)\b|\b(?:Office|Mission|Ministry|Organization|Organisation|Department|Agency|Embassy|Unit|Division|Centre|Center|Headquarters|Bureau|Programme|Media|Press)\b/i;

/** Values after each Tel/Tel./Tel:/Mobile: label on a line, as printed, trimmed. */
function phonesOf(line: string): string[] {
  const labels = [...line.matchAll(PHONE_LABEL)];
  return labels
    .map((label, n) => {
      const from = (label.index ?? 0) + label[0].length;
      const to = labels[n + 1]?.index ?? line.length;
      return line
        .slice(from, to)
        .replace(/(?:\s*[,;/|]\s*|\s+(?:or|and)\s*)$/i, '')
        .trim();
    })
    .filter((value) => /\d/.test(value));
}

interface Draft {
  name: string | null;
  office: string | null;
  phones: string[];
  email: string | null;
  /** Once a phone or e-mail was read, the next name line starts another person. */
  hasDetails: boolean;
}

const emptyDraft = (): Draft => ({ name: null, office: null, phones: [], email: null, hasDetails: false });

/**
 * Splits a contact block into people. Each person is a name line, an optional office line, then
 * phone and e-mail lines, in any order; a name line after details, or a third text line, starts the
 * next person. "Name, Office" and "Name at Office" on one line are split too.
 */
export function parseContactBlock(lines: readonly string[]): Contact[] {
  const contacts: Contact[] = [];
  let draft = emptyDraft();
  let emailPending = false;
  const flush = () => {
    if (draft.name) {
      contacts.push({ name: draft.name, office: draft.office, phones: draft.phones, email: draft.email });
    }
    draft = emptyDraft();
  };
  for (const rawLine of lines) {
    let line = normalizeSpace(rawLine);
    if (line === '' || /^(?:or|and|-|–)$/i.test(line)) continue;

    if (emailPending || EMAIL_LABEL.test(line) || HAS_EMAIL.test(line)) {
      const wasPending: boolean = emailPending;
      const labelAt = line.search(EMAIL_LABEL_ANYWHERE);
      const addressAt = line.search(EMAIL_START);
      const cut = labelAt >= 0 ? labelAt : addressAt >= 0 ? addressAt : 0;
      const email = repairEmail(line.slice(cut).replace(EMAIL_LABEL, ''));
      // "E-mail:" alone on its line: the address follows on the next one.
      emailPending = !wasPending && email === null && line.slice(cut).replace(EMAIL_LABEL, '').trim() === '';
      draft.email ??= email;
      draft.hasDetails = true;
      // Text before the e-mail on the same line ("Jane Doe, IOM Cairo, Email: x@y") is read on.
      line = line.slice(0, wasPending ? 0 : cut).replace(/[\s,;:-]+$/, '');
      if (!/\p{L}/u.test(line)) continue;
    }

    const phones = phonesOf(line);
    if (phones.length > 0) {
      draft.phones.push(...phones);
      draft.hasDetails = true;
      line = line.slice(0, line.search(PHONE_LABEL)).replace(/[\s,;:-]+$/, '');
      if (line === '') continue;
    }

    // A text line: a name or an office.
    const atSplit = /^(.+?)\s+(?:at|of|with)\s+(.+)$/i.exec(line);
    const commaSplit = /^([^,]+),\s*(.+)$/.exec(line);
    const split = [commaSplit, atSplit].find((m) => m && OFFICE_HINT.test(m[2] ?? ''));
    if (split && !OFFICE_HINT.test(split[1] ?? '')) {
      if (draft.name) flush();
      draft.name = stripHonorific(split[1] ?? '');
      draft.office = normalizeSpace(split[2] ?? '');
      continue;
    }
    const looksLikeOffice = OFFICE_HINT.test(line);
    if (draft.name === null) {
      if (looksLikeOffice && draft.office === null && contacts.length > 0) {
        // An office line after the last person's details with no new name: the previous person's.
        const last = contacts[contacts.length - 1];
        if (last && last.office === null) {
          last.office = line;
          continue;
        }
      }
      draft.name = stripHonorific(line);
    } else if (!draft.hasDetails && draft.office === null && (looksLikeOffice || !isLikelyName(line))) {
      draft.office = line;
    } else {
      flush();
      draft.name = stripHonorific(line);
    }
  }
  flush();
  return contacts.filter((contact) => isLikelyName(contact.name));
}

/** A person's name: one to six words, mostly capitalised, no digits, not too long. */
function isLikelyName(value: string): boolean {
  const words = value.split(' ');
  if (value.length > 60 || /\d|@/.test(value) || words.length > 6) return false;
  const capitalised = words.filter((w) => /^[\p{Lu}]/u.test(w)).length;
  return capitalised >= Math.ceil(words.length / 2);
}
