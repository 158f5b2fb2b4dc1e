/** The contact directory: one entry per person across all documents, updated in place. */
import type { RecordMeta } from '../record.js';
import { fold, foldPhrase } from '../search/terms.js';
import type { Mention } from './mentions.js';
import { normalizeName } from './names.js';

/** Where a person appears: as the press contact of a page, or named in its text. */
export interface ContactDocument {
  readonly id: string;
  readonly title: string;
  readonly as: 'contact' | 'mention';
}

/** One person across all documents. The CLI's `contact --json` contract: names must not change. */
export interface ContactEntry {
  /** Best spelling: from a contact block first, then with diacritics, then the most frequent. */
  readonly name: string;
  /** Other spellings seen. */
  readonly aliases: string[];
  readonly offices: string[];
  readonly phones: string[];
  readonly emails: string[];
  /** Roles from the text, e.g. "Head of Office, IOM Beijing". */
  readonly roles: string[];
  readonly documents: ContactDocument[];
}

/** Per-document input of the directory: its record and the people found in its text. */
export interface DirectorySource {
  readonly record: RecordMeta;
  readonly mentions: readonly Mention[];
}

interface Builder {
  /** Spellings seen: whether one came from a contact block, and how often. */
  names: Map<string, { fromContact: boolean; count: number }>;
  offices: Set<string>;
  phones: Set<string>;
  emails: Set<string>;
  roles: Set<string>;
  /** By document id, one map per way of appearing (no composite keys to build). */
  asContact: Map<string, ContactDocument>;
  asMention: Map<string, ContactDocument>;
}

function sighting(b: Builder, name: string, fromContact: boolean): void {
  const seen = b.names.get(name);
  if (seen) {
    seen.count++;
    seen.fromContact ||= fromContact;
  } else b.names.set(name, { fromContact, count: 1 });
}

/** The keys a document adds to the directory: people who get an entry, and loose name mentions. */
interface SourceKeys {
  /** Contact names, contact e-mails (`@...`), names mentioned with a role. */
  readonly entry: string[];
  /** Names mentioned without a role: they join an entry with that key, if any. */
  readonly loose: string[];
}

function sourceKeys({ record, mentions }: DirectorySource): SourceKeys {
  const entry: string[] = [];
  const loose: string[] = [];
  for (const c of record.contacts) {
    const key = normalizeName(c.name);
    if (!key) continue;
    entry.push(key);
    if (c.email) entry.push(`@${c.email.toLowerCase()}`);
  }
  for (const m of mentions) {
    const key = normalizeName(m.name);
    if (key) (m.role !== null ? entry : loose).push(key);
  }
  return { entry, loose };
}

/**
 * Entries for the people in `sources` (only those whose keys are in `only`, when given; the
 * sources must hold every document naming them). Documents are read in id order, so a partial
 * rebuild gives the same entries as a full one.
 */
function buildEntries(sources: readonly DirectorySource[], only?: ReadonlySet<string>): ContactEntry[] {
  const list = [...sources].sort((a, b) => compareText(a.record.id, b.record.id));
  const wanted = (key: string) => key.length > 0 && (only === undefined || only.has(key));
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(k, root);
    return root;
  };
  const union = (a: string, b: string) => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const { record, mentions } of list) {
    for (const c of record.contacts) {
      const key = normalizeName(c.name);
      if (!wanted(key)) continue;
      union(key, key);
      if (c.email) union(key, `@${c.email.toLowerCase()}`);
    }
    for (const m of mentions) {
      const key = normalizeName(m.name);
      if (wanted(key) && m.role !== null) union(key, key);
    }
  }
  const builders = new Map<string, Builder>();
  const builder = (key: string) => {
    const root = find(key);
    let b = builders.get(root);
    if (!b) {
      b = {
        names: new Map(),
        offices: new Set(),
        phones: new Set(),
        emails: new Set(),
        roles: new Set(),
        asContact: new Map(),
        asMention: new Map(),
      };
      builders.set(root, b);
    }
    return b;
  };
  for (const { record, mentions } of list) {
    for (const c of record.contacts) {
      const key = normalizeName(c.name);
      if (!wanted(key)) continue;
      const b = builder(key);
      sighting(b, c.name.trim(), true);
      if (c.office) b.offices.add(c.office);
      for (const phone of c.phones) b.phones.add(phone);
      if (c.email) b.emails.add(c.email);
      if (!b.asContact.has(record.id))
        b.asContact.set(record.id, { id: record.id, title: record.title, as: 'contact' });
    }
    for (const m of mentions) {
      const key = normalizeName(m.name);
      if (!parent.has(key)) continue;
      const b = builder(key);
      sighting(b, m.name, false);
      if (m.role) b.roles.add(m.role);
      if (!b.asMention.has(record.id))
        b.asMention.set(record.id, { id: record.id, title: record.title, as: 'mention' });
    }
  }
  const entries: ContactEntry[] = [];
  for (const b of builders.values()) {
    const name = bestSpelling(b.names);
    const aliases = [...b.names.keys()].filter((n) => n !== name).sort();
    entries.push({
      name,
      aliases,
      offices: [...b.offices],
      phones: [...b.phones],
      emails: [...b.emails],
      roles: [...b.roles],
      documents: [...b.asContact.values(), ...b.asMention.values()].sort((x, y) =>
        x.id < y.id ? -1 : x.id > y.id ? 1 : x.as < y.as ? -1 : 1,
      ),
    });
  }
  return entries;
}

/** The keys an entry answers to: its names' normalized forms and its e-mails. */
const entryKeys = (entry: ContactEntry) => [
  ...[entry.name, ...entry.aliases].map(normalizeName),
  ...entry.emails.map((e) => `@${e.toLowerCase()}`),
];

/** What an update changed, for structures built on the entries (autocomplete). */
export interface DirectoryChange {
  readonly removed: readonly ContactEntry[];
  readonly added: readonly ContactEntry[];
}

const addTo = (map: Map<string, Set<string>>, key: string, id: string) => {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
};
const removeFrom = (map: Map<string, Set<string>>, key: string, id: string) => {
  const set = map.get(key);
  set?.delete(id);
  if (set?.size === 0) map.delete(key);
};

/**
 * Every person across the documents, merged by normalized name and by e-mail. Press contacts and
 * people named with a role get an entry; a name without a role counts only when it matches one.
 * Updates rebuild only the people the changed documents touch (and every document naming them).
 */
export class ContactDirectory {
  private readonly sources = new Map<string, DirectorySource>();
  private readonly entryKeyDocs = new Map<string, Set<string>>();
  private readonly looseKeyDocs = new Map<string, Set<string>>();
  private readonly byKey = new Map<string, ContactEntry>();
  private readonly searchKeys = new Map<ContactEntry, { names: string[]; other: string[] }>();
  private sorted: ContactEntry[] | null = null;

  constructor(sources: Iterable<DirectorySource> = []) {
    const list = [...sources];
    for (const source of list) this.indexSource(source);
    this.insert(buildEntries(list));
  }

  /** Every entry, by normalized name. */
  get entries(): readonly ContactEntry[] {
    if (!this.sorted) {
      const sortKey = new Map(
        [...this.searchKeys.keys()].map((e) => [e, `${normalizeName(e.name)}\u0000${e.emails[0] ?? ''}`]),
      );
      this.sorted = [...sortKey.keys()].sort((a, b) => compareText(sortKey.get(a)!, sortKey.get(b)!));
    }
    return this.sorted;
  }

  /**
   * Applies removed documents (by id) and added or replaced ones, rebuilding the entries of the
   * people they touch. Returns the entries dropped and the ones (re)built.
   */
  update(removedIds: Iterable<string>, added: readonly DirectorySource[]): DirectoryChange {
    const seeds: string[] = [];
    const drop = (id: string) => {
      const old = this.sources.get(id);
      if (!old) return;
      const keys = sourceKeys(old);
      seeds.push(...keys.entry, ...keys.loose);
      this.unindexSource(old);
    };
    for (const id of removedIds) drop(id);
    for (const source of added) {
      drop(source.record.id);
      this.indexSource(source);
      const keys = sourceKeys(source);
      seeds.push(...keys.entry, ...keys.loose);
    }
    // The people touched: keys linked to the seeds through a contact's name and e-mail, plus
    // every key of an entry we drop. Other people named in the same documents are left alone.
    const removed = new Set<ContactEntry>();
    const seen = new Set<string>();
    const people = new Set<string>();
    const queue = [...seeds];
    while (queue.length > 0) {
      const key = queue.pop()!;
      if (seen.has(key)) continue;
      seen.add(key);
      const old = this.byKey.get(key);
      if (old && !removed.has(old)) {
        removed.add(old);
        queue.push(...entryKeys(old));
      }
      const docsOfKey = this.entryKeyDocs.get(key);
      if (!docsOfKey) continue; // a loose name of nobody, or a person no longer named
      people.add(key);
      for (const id of docsOfKey) {
        for (const c of this.sources.get(id)!.record.contacts) {
          const name = normalizeName(c.name);
          const email = c.email ? `@${c.email.toLowerCase()}` : null;
          if (email !== null && name === key) queue.push(email);
          if (email === key && name) queue.push(name);
        }
      }
    }
    const docs = new Set<string>();
    for (const key of people) {
      for (const id of this.entryKeyDocs.get(key) ?? []) docs.add(id);
      for (const id of this.looseKeyDocs.get(key) ?? []) docs.add(id);
    }
    for (const entry of removed) {
      this.searchKeys.delete(entry);
      for (const key of entryKeys(entry)) if (this.byKey.get(key) === entry) this.byKey.delete(key);
    }
    const rebuilt = buildEntries(
      [...docs].map((id) => this.sources.get(id)!),
      people,
    );
    this.insert(rebuilt);
    this.sorted = null;
    return { removed: [...removed], added: rebuilt };
  }

  private insert(entries: readonly ContactEntry[]): void {
    for (const entry of entries) {
      for (const key of entryKeys(entry)) this.byKey.set(key, entry);
      this.searchKeys.set(entry, {
        names: [entry.name, ...entry.aliases].map(foldPhrase),
        other: [...entry.offices.map(foldPhrase), ...entry.emails.map((e) => fold(e))],
      });
    }
    this.sorted = null;
  }

  private indexSource(source: DirectorySource): void {
    const id = source.record.id;
    this.sources.set(id, source);
    const keys = sourceKeys(source);
    for (const key of keys.entry) addTo(this.entryKeyDocs, key, id);
    for (const key of keys.loose) addTo(this.looseKeyDocs, key, id);
  }

  private unindexSource(source: DirectorySource): void {
    const id = source.record.id;
    this.sources.delete(id);
    const keys = sourceKeys(source);
    for (const key of keys.entry) removeFrom(this.entryKeyDocs, key, id);
    for (const key of keys.loose) removeFrom(this.looseKeyDocs, key, id);
  }

  /** The entry whose name, alias or e-mail is exactly `nameOrEmail` (after normalization). */
  get(nameOrEmail: string): ContactEntry | undefined {
    const text = nameOrEmail.trim();
    return text.includes('@')
      ? this.byKey.get(`@${text.toLowerCase()}`)
      : this.byKey.get(normalizeName(text));
  }

  /**
   * Entries matching any part of a name, office or e-mail, folded: exact names first, then names
   * whose words start with the query's words, names containing it, offices and e-mails.
   */
  search(query: string, limit = 25): ContactEntry[] {
    const q = foldPhrase(query);
    const raw = fold(query.trim());
    if (!q) return [];
    const words = q.split(' ');
    const exact = this.get(query);
    const ranked: Array<{ entry: ContactEntry; rank: number }> = [];
    for (const entry of this.entries) {
      const { names, other } = this.searchKeys.get(entry)!;
      let rank = -1;
      if (entry === exact) rank = 0;
      else if (names.some((n) => startsWords(n, words))) rank = 1;
      else if (names.some((n) => n.includes(q))) rank = 2;
      else if (other.some((o) => o.includes(q) || o.includes(raw))) rank = 3;
      if (rank >= 0) ranked.push({ entry, rank });
    }
    ranked.sort((a, b) => a.rank - b.rank);
    return ranked.slice(0, limit).map((r) => r.entry);
  }

  get size(): number {
    return this.searchKeys.size;
  }
}

/** Whether every query word starts some word of the folded `name` ("ann lee" ~ "annabel leeds"). */
function startsWords(name: string, words: readonly string[]): boolean {
  const nameWords = name.split(' ');
  return words.every((w) => nameWords.some((n) => n.startsWith(w)));
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function bestSpelling(names: ReadonlyMap<string, { fromContact: boolean; count: number }>): string {
  // From a contact block first, then with diacritics, then the most frequent, then A to Z.
  let best = '';
  let bestBase = -1;
  let bestCount = 0;
  for (const [name, seen] of names) {
    const base = (seen.fromContact ? 2 : 0) + (/[^\p{ASCII}]/u.test(name) ? 1 : 0);
    if (
      base > bestBase ||
      (base === bestBase && (seen.count > bestCount || (seen.count === bestCount && name < best)))
    ) {
      best = name;
      bestBase = base;
      bestCount = seen.count;
    }
  }
  return best;
}
