/** Finding people named in a document's text, with the role given next to the name. */
import { fold } from '../search/terms.js';
import { normalizeName } from './names.js';

/** A person named in a document's text, with the role given next to the name when there is one. */
export interface Mention {
  readonly name: string;
  readonly role: string | null;
}

/** Words that make a phrase a role ("Head of Office", "Vice Minister"); never part of a name. */
const ROLE_WORDS = new Set([
  'adviser',
  'advisor',
  'ambassador',
  'assistant',
  'chair',
  'chairman',
  'chairperson',
  'chairwoman',
  'chief',
  'coordinator',
  'commissioner',
  'consul',
  'counsellor',
  'delegate',
  'deputy',
  'director',
  'envoy',
  'expert',
  'general',
  'governor',
  'head',
  'leader',
  'manager',
  'mayor',
  'minister',
  'officer',
  'office',
  'president',
  'prime',
  'rapporteur',
  'representative',
  'secretary',
  'senator',
  'specialist',
  'spokesman',
  'spokesperson',
  'spokeswoman',
  'vice',
]);

const ROLE_WORD_RE = new RegExp(`\\b(?:${[...ROLE_WORDS].join('|')})`, 'i');

/** Capitalized words that are not given names or surnames. */
const NOT_NAME_WORDS = new Set([
  ...[
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
    'monday',
    'tuesday',
    'wednesday',
    'thursday',
    'friday',
    'saturday',
    'sunday',
  ],
  ...[
    'the',
    'a',
    'an',
    'in',
    'on',
    'at',
    'of',
    'for',
    'and',
    'but',
    'with',
    'this',
    'that',
    'these',
    'those',
    'it',
    'he',
    'she',
    'we',
    'they',
    'his',
    'her',
    'our',
    'their',
    'mission',
    'ministry',
    'ministries',
    'department',
    'government',
    'organization',
    'international',
    'national',
    'union',
    'agency',
    'police',
    'academy',
    'province',
    'commission',
    'affairs',
    'security',
    'migration',
    'centre',
    'center',
    'division',
    'forum',
    'conference',
    'seminar',
    'law',
    'project',
    'programme',
    'program',
    'republic',
    'people',
    'people’s',
    "people's",
    'state',
    'states',
    'united',
    'nations',
    'interior',
    'foreign',
    'public',
    'council',
    'embassy',
    'committee',
  ],
  // Sentence openers that would otherwise glue onto a name ("Later Pär Liljert said").
  ...[
    'later',
    'today',
    'yesterday',
    'meanwhile',
    'however',
    'also',
    'then',
    'according',
    'both',
    'while',
    'when',
    'after',
    'before',
    'during',
    'since',
    'although',
    'if',
    'so',
    'such',
    'many',
    'some',
    'most',
    'all',
    'each',
    'every',
    'other',
    'under',
    'over',
    'through',
    'new',
    'last',
    'next',
    'first',
    'several',
    'as',
    'to',
    'from',
    'by',
    'said',
    'says',
  ],
]);

/** Lower-case words allowed inside a role phrase ("Head of Office", "Minister at China's ..."). */
const ROLE_CONNECTORS = new Set(['of', 'for', 'and', 'in', 'on', 'the', 'at', 'to']);

const NAME_WORD_RE = /^\p{Lu}[\p{L}'’-]*\p{Ll}[\p{L}'’-]*$/u;
/** Two or more capitalized words separated by single spaces: where names can be. */
// No look-behind: it makes this regex several times slower; the word start is checked in code.
const RUN_RE = /\p{Lu}[\p{L}'’-]*(?: \p{Lu}[\p{L}'’-]*)+/gu;
const WORD_CHAR_RE = /[\p{L}\p{N}'’-]/u;
const TOKEN_RE = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*[\p{L}\p{N}]|[\p{L}\p{N}]|[,;:.!?"“”()]/gu;
/** How far before and after a name a role is looked for, in characters. */
const CONTEXT = 160;

interface Token {
  readonly text: string;
  /** Folded, possessive dropped. */
  readonly low: string;
  readonly start: number;
  readonly end: number;
}

function tokenizeContext(text: string, offset: number): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    tokens.push({
      text: m[0],
      low: fold(m[0]).replace(/['’]s$/, ''),
      start: offset + m.index,
      end: offset + m.index + m[0].length,
    });
  }
  return tokens;
}

const isWord = (t: Token) => /^[\p{L}\p{N}]/u.test(t.text);
const isRoleWord = (t: Token) => ROLE_WORDS.has(t.low);
const isNameWord = (word: string) => {
  if (!NAME_WORD_RE.test(word)) return false;
  const low = fold(word);
  return !ROLE_WORDS.has(low) && !NOT_NAME_WORDS.has(low);
};
/** Words that may appear in a role phrase: capitalized words, acronyms, connectors, role words. */
const isRolePhraseWord = (t: Token) =>
  isWord(t) && (/^\p{Lu}/u.test(t.text) || ROLE_CONNECTORS.has(t.text) || isRoleWord(t));

/** Joins tokens back into the text they came from. */
const span = (text: string, tokens: readonly Token[]) =>
  tokens.length === 0 ? '' : text.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end);

function trimConnectors(tokens: Token[]): Token[] {
  let a = 0;
  let b = tokens.length;
  while (a < b && !/^\p{Lu}/u.test(tokens[a]!.text) && !isRoleWord(tokens[a]!)) a++;
  while (b > a && ROLE_CONNECTORS.has(tokens[b - 1]!.text)) b--;
  return tokens.slice(a, b);
}

/** "IOM Beijing Head of Office" → "Head of Office, IOM Beijing"; other phrases stay as written. */
function formatRole(text: string, phrase: Token[]): string | null {
  const tokens = trimConnectors(phrase);
  const first = tokens.findIndex(isRoleWord);
  if (first < 0) return null;
  const role = span(text, tokens.slice(first));
  const org = span(text, tokens.slice(0, first));
  if (org && /^[\p{Lu}\d]{2,}\b/u.test(org)) return `${role}, ${org}`;
  return org ? `${org} ${role}` : role;
}

/**
 * People named in a text next to a role: "said IOM Beijing Head of Office Par Liljert",
 * "IOM Director General, Brunson McKinley", "Zhang Ming, Assistant Minister at ...". Names are 2 to
 * 4 capitalized words. Names without a role are returned too (`role: null`): the directory keeps
 * them only when they match a known person, whichever document comes first.
 */
export function extractMentions(paragraphs: readonly string[]): Mention[] {
  const found = new Map<string, Mention>();
  for (const text of paragraphs) {
    for (const run of text.matchAll(RUN_RE)) {
      if (run.index > 0 && WORD_CHAR_RE.test(text[run.index - 1]!)) continue;
      // Split the run into stretches of name words ("Office Par Liljert" → "Par Liljert").
      const words = run[0].split(' ');
      let at = run.index;
      let start = -1;
      let count = 0;
      for (let i = 0; i <= words.length; i++) {
        const word = words[i];
        if (word !== undefined && isNameWord(word)) {
          if (count++ === 0) start = at;
        } else {
          if (count >= 2 && count <= 4) addMention(found, text, start, at - 1);
          count = 0;
        }
        at += (word?.length ?? 0) + 1;
      }
    }
  }
  return [...found.values()];
}

function addMention(found: Map<string, Mention>, text: string, start: number, end: number): void {
  const name = text.slice(start, end).replace(/['’]s$/, '');
  const key = normalizeName(name);
  const role = roleBefore(text, start) ?? roleAfter(text, end);
  const previous = found.get(key);
  if (!previous || (previous.role === null && role !== null)) found.set(key, { name, role });
}

function roleBefore(text: string, start: number): string | null {
  const from = Math.max(0, start - CONTEXT);
  // Most capitalized pairs have no role before them: skip tokenizing their context.
  if (!ROLE_WORD_RE.test(text.slice(from, start))) return null;
  const tokens = tokenizeContext(text.slice(from, start), from);
  let k = tokens.length - 1;
  if (k >= 0 && tokens[k]!.text === ',') k--; // "IOM Director General, Brunson McKinley"
  const phrase: Token[] = [];
  while (k >= 0 && isRolePhraseWord(tokens[k]!) && phrase.length < 12) phrase.unshift(tokens[k--]!);
  return formatRole(text, phrase);
}

function roleAfter(text: string, end: number): string | null {
  if (!/^['’]?s?,/.test(text.slice(end, end + 3))) return null; // "Zhang Ming, Assistant Minister at ..."
  const tokens = tokenizeContext(text.slice(end, end + CONTEXT), end);
  let k = tokens.findIndex((t) => t.text === ',') + 1;
  const phrase: Token[] = [];
  while (k < tokens.length && isRolePhraseWord(tokens[k]!) && phrase.length < 12) phrase.push(tokens[k++]!);
  const trimmed = trimConnectors(phrase);
  if (trimmed.length === 0 || !trimmed.slice(0, 3).some(isRoleWord)) return null;
  return formatRole(text, trimmed);
}
