/**
 * A deterministic, seeded generator of pages in exactly the format of `data/raw`: the site
 * navigation, a title (sometimes wrapped onto a second, lower-case line), then either an article
 * (dateline, paragraphs one per line or hard-wrapped at ~65 characters, quotes, a contact block) or
 * a project (`-` / label / value fields, then description paragraphs). No final newline.
 *
 * Every page comes with its ground truth (what a correct parser must read from it), so tests can
 * check the real parser against thousands of pages, and the benchmark can run on realistic text.
 *
 * Each page is generated from its own PRNG stream (seed, index), so page `i` is the same whatever
 * the corpus size, and a corpus can be written one page at a time.
 *
 * CLI: `npx tsx bench/syntheticCorpus.ts --count N [--seed S] [--projects 0.1] --out DIR`
 * writes the pages into DIR (use `$DATA_DIR/raw`).
 */
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Contact, DocumentKind, ProjectFields } from '../src/core/record.js';
import * as V from './vocabulary.js';
import { mapBounded } from '../src/util/concurrency.js';
import { mulberry32 } from '../src/util/random.js';

export interface CorpusOptions {
  /** Number of pages. */
  readonly count: number;
  /** Any 32-bit integer; the same seed gives the same bytes. Default 1. */
  readonly seed?: number;
  /** Share of project pages, 0..1. Default 0.1. */
  readonly projectShare?: number;
}

/** What the generator meant a page to say: the fields of a DocumentRecord a parser must recover. */
export interface PageTruth {
  readonly id: string;
  readonly kind: DocumentKind;
  readonly title: string;
  readonly country: string | null;
  readonly paragraphs: readonly string[];
  readonly contacts: readonly Contact[];
  readonly project: ProjectFields | null;
  /** Layout facts, for tests that want to be sure each variant was exercised. */
  readonly layout: {
    readonly hardWrapped: boolean;
    readonly titleWrapped: boolean;
    readonly dateline: '-' | '–' | null;
    readonly mangledEmail: boolean;
  };
}

export interface GeneratedPage {
  readonly fileName: string;
  readonly text: string;
  readonly truth: PageTruth;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_PROJECT_SHARE = 0.1;

// ---------------------------------------------------------------------------------------------
// Randomness

/** Mixes seed and page index into one well-spread 32-bit state (a murmur3 finalizer). */
function mix(seed: number, index: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

class Rng {
  private readonly next: () => number;
  constructor(state: number) {
    this.next = mulberry32(state);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** Skewed towards the start of the list, so some words are frequent and others rare (Zipf-like). */
  pickSkewed<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() ** 2 * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// People

export interface Person {
  /** As printed with diacritics, e.g. `Pär Liljert`. */
  readonly name: string;
  /** The same name in ASCII, e.g. `Par Liljert` (equal to `name` when it has no diacritics). */
  readonly asciiName: string;
  readonly email: string;
  readonly honorific: 'Mr.' | 'Ms.' | 'Dr.';
  readonly role: string;
  readonly country: V.Country;
  /** `IOM <City>`. */
  readonly office: string;
  readonly city: string;
  readonly phone: string;
  readonly extension: string | null;
  readonly mobile: string | null;
}

const SPECIAL_ASCII: Record<string, string> = { ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', ß: 'ss', æ: 'ae' };

/** `Pär Łukasz` → `Par Lukasz`. */
export function toAscii(value: string): string {
  return value
    .replace(/[øØłŁđßæ]/g, (ch) => SPECIAL_ASCII[ch] ?? ch)
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

function phoneNumber(rng: Rng, dial: string): string {
  const groups = rng.int(3, 4);
  const parts = Array.from({ length: groups }, (_, k) =>
    String(rng.int(k === 0 ? 10 : 100, k === 0 ? 99 : 999)).slice(0, k === 0 ? 2 : rng.int(2, 3)),
  );
  return `+${dial} ${parts.join(' ')}`;
}

/** A fixed roster of 300 people (the same for every seed, like a real organisation's staff). */
function buildRoster(): Person[] {
  const rng = new Rng(0x5eed);
  const people: Person[] = [];
  const used = new Set<string>();
  const add = (given: string, family: string) => {
    const name = `${given} ${family}`;
    if (used.has(name)) return;
    used.add(name);
    const asciiGiven = toAscii(given).replace(/[^A-Za-z]/g, '');
    const asciiFamily = toAscii(family).replace(/[^A-Za-z]/g, '');
    const country = rng.chance(0.15) ? findCountry('Switzerland') : rng.pickSkewed(V.COUNTRIES);
    const city = country.name === 'Switzerland' ? 'Geneva' : rng.pick(country.cities);
    people.push({
      name,
      asciiName: toAscii(name),
      email: `${asciiGiven.charAt(0)}${asciiFamily}`.toLowerCase() + '@iom.int',
      honorific: rng.pick(['Mr.', 'Ms.', 'Dr.'] as const),
      role: rng.pick(V.ROLES),
      country,
      office: `IOM ${city}`,
      city,
      phone: phoneNumber(rng, country.dial),
      extension: rng.chance(0.2) ? String(rng.int(100, 499)) : null,
      mobile: rng.chance(0.4) ? phoneNumber(rng, country.dial) : null,
    });
  };
  // The shipped pages' press contacts first, so their names recur in the synthetic corpus.
  add('Pär', 'Liljert');
  add('Ellen', 'Wong');
  add('Jian', 'Zhao');
  add('Kieran', 'Best');
  while (people.length < 300) add(rng.pick(V.GIVEN_NAMES), rng.pick(V.FAMILY_NAMES));
  return people;
}

function findCountry(name: string): V.Country {
  const country = V.COUNTRIES.find((candidate) => candidate.name === name);
  if (!country) throw new Error(`unknown country ${name}`);
  return country;
}

/** The 300 people who appear as press contacts and quoted speakers. */
export const ROSTER: readonly Person[] = buildRoster();
const PEOPLE_BY_COUNTRY = new Map<string, Person[]>();
for (const person of ROSTER) {
  const list = PEOPLE_BY_COUNTRY.get(person.country.name) ?? [];
  list.push(person);
  PEOPLE_BY_COUNTRY.set(person.country.name, list);
}

// ---------------------------------------------------------------------------------------------
// Text

const NUMBERS = [12, 35, 48, 120, 250, 400, 760, 1200, 2500, 3500, 8000, 15000, 42000, 130000];
const formatNumber = (n: number) => n.toLocaleString('en-US');

interface Scene {
  readonly country: V.Country;
  readonly city: string;
  readonly group: string;
}

function fill(template: string, rng: Rng, scene: Scene): string {
  return template
    .replace(/\{c\}/g, scene.country.name)
    .replace(/\{city\}/g, scene.city)
    .replace(/\{g\}/g, scene.group)
    .replace(/\{n\}/g, () => formatNumber(rng.pick(NUMBERS)))
    .replace(/\{donor\}/g, () => rng.pickSkewed(V.DONORS))
    .replace(/\{year\}/g, () => String(rng.int(2005, 2023)));
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const titleCase = (s: string) =>
  s
    .split(' ')
    .map((w) => (['and', 'of', 'the', 'in', 'for', 'to'].includes(w) ? w : capitalise(w)))
    .join(' ');

function actionSentence(rng: Rng, scene: Scene): string {
  const subject = rng.pickSkewed(V.SUBJECTS);
  const verb = rng.pick(V.VERBS);
  const object = fill(rng.pickSkewed(V.OBJECTS), rng, scene);
  const complement = fill(rng.pick(V.COMPLEMENTS), rng, scene);
  return `${subject} ${verb} ${object} ${complement}.`;
}

function statisticSentence(rng: Rng, scene: Scene): string {
  const n = formatNumber(rng.pick(NUMBERS) * rng.int(1, 9));
  switch (rng.int(0, 5)) {
    case 0:
      return `Since ${rng.pick(V.MONTHS)} ${rng.int(2008, 2023)}, more than ${n} ${rng.pick(V.GROUPS)} have arrived in ${scene.city}, according to ${rng.pick(V.SOURCES)}.`;
    case 1:
      return `The number of ${rng.pick(V.GROUPS)} in ${scene.country.name} has ${rng.chance(0.6) ? 'risen' : 'fallen'} by ${rng.int(5, 60)} per cent over the past ${rng.pick(['year', 'two years', 'six months', 'decade'])}.`;
    case 2:
      return `Many of the ${scene.group} interviewed said they had left home because of ${rng.pick(V.REASONS)}.`;
    case 3:
      return `IOM is appealing for USD ${rng.int(2, 90)} million to ${rng.pick(['provide shelter, health care and protection', 'assist returnees over the next twelve months', 'scale up its response across the region', 'support host communities'])} in ${scene.country.name}.`;
    case 4:
      return `Women and children make up ${rng.int(30, 80)} per cent of the ${n} people registered so far.`;
    default:
      return `The assessment found that ${rng.pick(V.FINDINGS)}.`;
  }
}

function eventSentence(rng: Rng, scene: Scene): string {
  const others = [rng.pick(V.COUNTRIES).name, rng.pick(V.COUNTRIES).name];
  return `The ${rng.int(2, 5)}-day ${rng.pick(V.EVENTS)} in ${scene.city} brought together ${rng.int(20, 150)} officials from ${scene.country.name}, ${others[0]} and ${others[1]}.`;
}

function quoteParagraph(rng: Rng, scene: Scene, speaker: Person): string {
  const quote = rng.pick(V.QUOTES);
  const name = speaker.name !== speaker.asciiName && rng.chance(0.35) ? speaker.asciiName : speaker.name;
  const follow = rng.chance(0.5) ? ` ${actionSentence(rng, scene)}` : '';
  switch (rng.int(0, 3)) {
    case 0:
      return `“${quote},” said ${speaker.office} ${speaker.role} ${name}.${follow}`;
    case 1:
      return `"${quote}," said ${speaker.role} ${name}.${follow}`;
    case 2:
      return `${name}, ${speaker.role} at ${speaker.office}, said: “${quote}.”`;
    default:
      return `“${quote},” said ${rng.pick(V.GIVEN_NAMES)} ${rng.pick(V.FAMILY_NAMES)}, ${rng.pick(V.OUTSIDE_ROLES)} of ${scene.country.name}.${follow}`;
  }
}

function paragraph(rng: Rng, scene: Scene, sentences: number): string {
  const out: string[] = [];
  for (let k = 0; k < sentences; k++) {
    const r = rng.float();
    out.push(
      r < 0.45
        ? actionSentence(rng, scene)
        : r < 0.8
          ? statisticSentence(rng, scene)
          : eventSentence(rng, scene),
    );
  }
  return out.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Layout

const codePoints = (s: string) => [...s].length;
/** Same rule as the parser's: a line that ends a sentence, closing quotes allowed. */
const ENDS_SENTENCE = /[.!?:]["'”’)\]]*$/;

/**
 * Hard-wraps paragraphs greedily at `width`, with no blank lines between them (as 002_ does). A
 * paragraph's last line is kept short enough that the next paragraph's first word would have fitted
 * on it: that is how a reader (and the parser) can tell a paragraph break from a wrap.
 */
export function hardWrap(paragraphs: readonly string[], width: number): string[] {
  const wrapped = paragraphs.map((p) => {
    const lines: string[] = [];
    let line = '';
    for (const word of p.split(' ')) {
      if (line !== '' && codePoints(line) + 1 + codePoints(word) > width) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
    return lines;
  });
  for (let changed = true; changed;) {
    changed = false;
    const max = Math.max(...wrapped.flat().map(codePoints));
    for (let p = 0; p + 1 < wrapped.length; p++) {
      const lines = wrapped[p] ?? [];
      const last = lines[lines.length - 1] ?? '';
      const nextWord = (wrapped[p + 1]?.[0] ?? '').split(' ')[0] ?? '';
      if (codePoints(last) + 1 + codePoints(nextWord) <= max) continue;
      // Move the fewest trailing words down so the line left behind does not end a sentence.
      const words = last.split(' ');
      let k = 1;
      while (k < words.length - 1 && ENDS_SENTENCE.test(words[words.length - k - 1] ?? '')) k++;
      if (k >= words.length) continue;
      lines.splice(lines.length - 1, 1, words.slice(0, -k).join(' '), words.slice(-k).join(' '));
      changed = true;
    }
  }
  return wrapped.flat();
}

/** Splits a title before a lower-case word, as the site's long titles sometimes are. */
function wrapTitle(title: string, rng: Rng): [string, string] | null {
  const words = title.split(' ');
  const breaks = words
    .map((word, k) => (k >= 2 && /^\p{Ll}/u.test(word) ? k : -1))
    .filter((k) => k > 0 && k < words.length);
  if (breaks.length === 0) return null;
  const k = rng.pick(breaks);
  return [words.slice(0, k).join(' '), words.slice(k).join(' ')];
}

// ---------------------------------------------------------------------------------------------
// Contact blocks

interface ContactLines {
  readonly lines: string[];
  readonly contact: Contact;
  readonly mangled: boolean;
}

function contactLines(rng: Rng, person: Person): ContactLines {
  const name = person.name !== person.asciiName && rng.chance(0.25) ? person.asciiName : person.name;
  const lines = [rng.chance(0.2) ? `${person.honorific} ${name}` : name];
  const hasOffice = rng.chance(0.9);
  if (hasOffice) lines.push(person.office);

  const phones: string[] = [];
  const phoneLines: string[] = [];
  const phoneStyle = rng.int(0, 9);
  const main = person.extension ? `${person.phone} Ext. ${person.extension}` : person.phone;
  if (phoneStyle <= 2) {
    phoneLines.push(`Tel. ${main}`);
    phones.push(main);
  } else if (phoneStyle <= 5) {
    phoneLines.push(`Tel: ${main}`);
    phones.push(main);
  } else if (phoneStyle === 6) {
    const mobile = person.mobile ?? person.phone;
    phoneLines.push(`Mobile: ${mobile}`);
    phones.push(mobile);
  } else if (phoneStyle === 7 && person.mobile) {
    phoneLines.push(`Tel: ${main}, Mobile: ${person.mobile}`);
    phones.push(main, person.mobile);
  } else if (phoneStyle === 8) {
    const mobile = person.mobile ?? person.phone;
    phoneLines.push(`Tel: ${main}`, `Mobile: ${mobile}`);
    phones.push(main, mobile);
  } else {
    // Geneva style, without the country code, as in 002_.
    const local = `0${person.phone.replace(/^\+\d+ /, '')}`;
    phoneLines.push(`Tel: ${local}`);
    phones.push(local);
  }

  let email: string | null = person.email;
  let mangled = false;
  const emailLines: string[] = [];
  const emailStyle = rng.int(0, 9);
  if (emailStyle <= 5) emailLines.push(`Email: ${person.email}`);
  else if (emailStyle <= 7) emailLines.push(`E-mail: ${person.email}`);
  else if (emailStyle === 8) {
    // What scraping left of a mailto link: the target swallowed the city before the address.
    emailLines.push(
      'E-mail:',
      `"mailto:${toAscii(person.city).replace(/[^A-Za-z]/g, '')}${person.email}">${person.email}`,
    );
    mangled = true;
  } else email = null;

  if (rng.chance(0.3)) lines.push(...emailLines, ...phoneLines);
  else lines.push(...phoneLines, ...emailLines);
  return {
    lines,
    contact: { name, office: hasOffice ? person.office : null, phones, email },
    mangled,
  };
}

// ---------------------------------------------------------------------------------------------
// Pages

function pickPerson(rng: Rng, country: V.Country): Person {
  const local = PEOPLE_BY_COUNTRY.get(country.name);
  return local && rng.chance(0.6) ? rng.pick(local) : rng.pick(ROSTER);
}

function distinctPeople(rng: Rng, country: V.Country, count: number): Person[] {
  const people: Person[] = [];
  for (let guard = 0; people.length < count && guard < 50; guard++) {
    const person = pickPerson(rng, country);
    if (!people.some((p) => toAscii(p.name) === toAscii(person.name))) people.push(person);
  }
  return people;
}

function articleBody(rng: Rng, scene: Scene): string[] {
  const people = distinctPeople(rng, scene.country, 2);
  const paragraphs = [`${actionSentence(rng, scene)} ${paragraph(rng, scene, rng.int(1, 2))}`];
  const count = rng.int(4, 7);
  const quoteAt = new Set([rng.int(1, count), rng.chance(0.4) ? rng.int(1, count) : -1]);
  for (let k = 1; k <= count; k++) {
    if (quoteAt.has(k)) paragraphs.push(quoteParagraph(rng, scene, rng.pick(people)));
    else paragraphs.push(paragraph(rng, scene, rng.int(2, 3)));
  }
  if (rng.chance(0.5)) paragraphs.push(`The programme is funded by ${rng.pickSkewed(V.DONORS)}.`);
  return paragraphs;
}

function projectFieldsFor(rng: Rng, country: V.Country): { fields: ProjectFields; lines: string[] } {
  const start = rng.int(2005, 2024);
  const end = start + rng.int(1, 4);
  const states = [country.name];
  const extraStates = rng.chance(0.3) ? rng.int(1, 4) : 0;
  for (let k = 0; k < extraStates; k++) {
    const state = rng.chance(0.7)
      ? rng.pick(V.COUNTRIES.filter((c) => c.region === country.region))
      : rng.pick(V.COUNTRIES);
    if (!states.includes(state.name)) states.push(state.name);
  }
  const budget = rng.int(5, 5000) * 1000;
  const budgetStyle = rng.int(0, 3);
  const budgetText = [`${budget}.00`, `${formatNumber(budget)}.00`, String(budget), formatNumber(budget)][
    budgetStyle
  ] as string;
  const startText = rng.chance(0.8) ? String(start) : `${rng.pick(V.MONTHS)} ${start}`;
  const endStyle = rng.int(0, 9); // 0: label missing, 1: value missing, else present
  const fields: ProjectFields = {
    startDate: startText,
    endDate: endStyle <= 1 ? null : String(end),
    status: end < 2024 ? 'Completed' : rng.pick(V.PROJECT_STATUSES),
    type: rng.pick(V.PROJECT_TYPES),
    budgetUsd: budget,
    coverage: states.length > 1 ? rng.pick(['Regional', 'Multi-country']) : rng.pick(V.COVERAGES),
    year: start,
    region: country.region,
    primaId: `${country.code}${String(rng.int(10, 99))}P${String(rng.int(1, 9999)).padStart(4, '0')}`,
    projectId: `${rng.pick(V.PROJECT_ID_PREFIXES)}.${String(rng.int(1, 9999)).padStart(4, '0')}`,
    memberStates: states,
    extra: {},
  };
  const field = (label: string, value: string | null) =>
    value === null ? ['-', label] : ['-', label, value];
  const lines = [
    ...field('Start Date', startText),
    ...(endStyle === 0 ? [] : field('End Date', endStyle === 1 ? null : String(end))),
    ...field('Project Status', fields.status),
    ...field('Project Type', fields.type),
    ...field('Budget Amount (USD)', budgetText),
    ...field('Coverage', fields.coverage),
    ...field('Year', String(start)),
    ...field('IDF Region', fields.region),
    ...field('Prima ID', fields.primaId),
    ...field('Projects ID', fields.projectId),
    ...field('Benefiting Member States', states.join(', ')),
  ];
  return { fields, lines };
}

/** Zero-padded index width: three digits like the shipped pages, more for big corpora. */
const indexWidth = (count: number) => Math.max(3, String(Math.max(0, count - 1)).length);

/**
 * Page number `index` of a corpus. Pure and deterministic: the same (seed, index, projectShare)
 * gives the same text; `count` only sets how wide the file name's number is.
 */
export function generatePage(index: number, options: CorpusOptions): GeneratedPage {
  const seed = options.seed ?? DEFAULT_SEED;
  const rng = new Rng(mix(seed, index));
  const id = `${String(index).padStart(indexWidth(options.count), '0')}_${rng.hex(16)}`;
  const isProject = rng.chance(options.projectShare ?? DEFAULT_PROJECT_SHARE);
  const country = rng.pickSkewed(V.COUNTRIES);
  const scene: Scene = { country, city: rng.pick(country.cities), group: rng.pick(V.GROUPS) };

  const title = fill(rng.pick(isProject ? V.PROJECT_TITLES : V.ARTICLE_TITLES), rng, {
    ...scene,
    group: titleCase(scene.group),
  });
  const wrappedTitle = rng.chance(0.08) ? wrapTitle(title, rng) : null;
  const lines = [V.SITE_NAVIGATION, ...(wrappedTitle ?? [title])];

  let truth: PageTruth;
  if (isProject) {
    const { fields, lines: fieldLines } = projectFieldsFor(rng, country);
    const paragraphs = Array.from({ length: rng.int(2, 5) }, () =>
      Array.from({ length: rng.int(2, 3) }, () => fill(rng.pick(V.PROJECT_SENTENCES), rng, scene)).join(' '),
    );
    lines.push(...fieldLines, ...paragraphs);
    truth = {
      id,
      kind: 'project',
      title,
      country: country.name,
      paragraphs,
      contacts: [],
      project: fields,
      layout: {
        hardWrapped: false,
        titleWrapped: wrappedTitle !== null,
        dateline: null,
        mangledEmail: false,
      },
    };
  } else {
    const paragraphs = articleBody(rng, scene);
    const datelineRoll = rng.float();
    const dateline = datelineRoll < 0.6 ? '-' : datelineRoll < 0.9 ? '–' : null;
    const printed = [...paragraphs];
    if (dateline) printed[0] = `${country.name} ${dateline} ${paragraphs[0] ?? ''}`;
    const hardWrapped = rng.chance(0.15);
    lines.push(...(hardWrapped ? hardWrap(printed, rng.int(62, 70)) : printed));

    const contacts: Contact[] = [];
    let mangled = false;
    if (rng.chance(0.85)) {
      const roll = rng.float();
      const people = distinctPeople(rng, country, roll < 0.6 ? 1 : roll < 0.9 ? 2 : 3);
      lines.push(
        rng.chance(0.6) ? 'For more information, please contact' : 'For further information, please contact:',
      );
      for (const person of people) {
        const block = contactLines(rng, person);
        lines.push(...block.lines);
        contacts.push(block.contact);
        mangled ||= block.mangled;
      }
    }
    truth = {
      id,
      kind: 'article',
      title,
      country: dateline ? country.name : null,
      paragraphs,
      contacts,
      project: null,
      layout: { hardWrapped, titleWrapped: wrappedTitle !== null, dateline, mangledEmail: mangled },
    };
  }
  return { fileName: `${id}.txt`, text: lines.join('\n'), truth };
}

/** All pages of a corpus, in memory (for tests and small corpora; use writeCorpus for big ones). */
export function generateCorpus(options: CorpusOptions): GeneratedPage[] {
  return Array.from({ length: options.count }, (_, index) => generatePage(index, options));
}

export interface WriteResult {
  readonly files: number;
  readonly bytes: number;
}

/**
 * Writes the pages into `dir` (created if missing) one batch at a time, so memory stays flat
 * whatever the count. `onProgress(done, total)` is called every 5,000 pages and at the end.
 * `isIncluded(index)` leaves pages out (the benchmark stores its fetched share in SQLite instead).
 */
export async function writeCorpus(
  dir: string,
  options: CorpusOptions,
  onProgress?: (done: number, total: number) => void,
  isIncluded: (index: number) => boolean = () => true,
): Promise<WriteResult> {
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  let done = 0;
  const indexes = Array.from({ length: options.count }, (_, index) => index).filter(isIncluded);
  await mapBounded(indexes, 256, async (index) => {
    // Generated when its write starts, so only the pages in flight are held in memory.
    const page = generatePage(index, options);
    bytes += Buffer.byteLength(page.text);
    await writeFile(path.join(dir, page.fileName), page.text);
    done++;
    if (onProgress && (done % 5000 === 0 || done === indexes.length)) onProgress(done, indexes.length);
  });
  return { files: indexes.length, bytes };
}

// ---------------------------------------------------------------------------------------------
// CLI

const USAGE = 'usage: npx tsx bench/syntheticCorpus.ts --count N [--seed S] [--projects SHARE] --out DIR';

async function main(argv: readonly string[]): Promise<number> {
  const args = new Map<string, string>();
  for (let k = 0; k < argv.length; k += 2) {
    const key = argv[k] ?? '';
    const value = argv[k + 1];
    if (!key.startsWith('--') || value === undefined) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    args.set(key.slice(2), value);
  }
  const count = Number(args.get('count'));
  const seed = Number(args.get('seed') ?? DEFAULT_SEED);
  const projectShare = Number(args.get('projects') ?? DEFAULT_PROJECT_SHARE);
  const out = args.get('out');
  const problems = [
    !Number.isInteger(count) || count < 1 ? '--count must be a positive integer' : null,
    !Number.isInteger(seed) ? '--seed must be an integer' : null,
    !(projectShare >= 0 && projectShare <= 1) ? '--projects must be between 0 and 1' : null,
    out === undefined ? '--out DIR is required' : null,
    ...[...args.keys()]
      .filter((k) => !['count', 'seed', 'projects', 'out'].includes(k))
      .map((k) => `unknown option --${k}`),
  ].filter((p): p is string => p !== null);
  if (problems.length > 0 || out === undefined) {
    process.stderr.write(`${problems.join('\n')}\n${USAGE}\n`);
    return 2;
  }
  const started = performance.now();
  const result = await writeCorpus(out, { count, seed, projectShare }, (done, total) => {
    process.stderr.write(`generated ${done}/${total} pages\n`);
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `wrote ${result.files} pages (${(result.bytes / 1e6).toFixed(1)} MB) to ${out} in ${seconds.toFixed(1)} s\n`,
  );
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
