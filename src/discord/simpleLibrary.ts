import { UserError } from '../core/errors.js';
import type { DocumentRecord } from '../core/record.js';
import type { Choice, ContactCard, LibraryPort, SearchHit, SuggestField } from './library.js';

/**
 * A plain in-memory LibraryPort over the records: word matching without an index. It stands in
 * when the search core is unavailable and keeps the adapters testable on their own; the real
 * ranking lives in src/core/search.
 */
export function createSimpleLibrary(documents: readonly DocumentRecord[]): LibraryPort {
  const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = (text: string) => fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  const byId = new Map(documents.map((d) => [d.id, d]));
  const haystack = new Map(
    documents.map((d) => [
      d.id,
      fold(
        [
          d.title,
          d.country ?? '',
          ...d.paragraphs,
          ...d.contacts.map((c) => `${c.name} ${c.office ?? ''}`),
          d.project?.primaId ?? '',
          d.project?.projectId ?? '',
        ].join(' '),
      ),
    ]),
  );
  const contacts = new Map<string, ContactCard & { documents: ContactCard['documents'][number][] }>();
  for (const d of documents) {
    for (const c of d.contacts) {
      const key = fold(c.name);
      const entry = contacts.get(key) ?? {
        name: c.name,
        aliases: [],
        offices: [],
        phones: [],
        emails: [],
        roles: [],
        documents: [],
      };
      const add = (list: readonly string[], value: string | null) =>
        value && !list.includes(value) ? [...list, value] : list;
      contacts.set(key, {
        ...entry,
        offices: add(entry.offices, c.office),
        phones: c.phones.reduce(add, entry.phones),
        emails: add(entry.emails, c.email),
        documents: [...entry.documents, { id: d.id, title: d.title, as: 'contact' as const }],
      });
    }
  }
  const snippet = (d: DocumentRecord, terms: string[]): string => {
    const sentence =
      d.paragraphs.find((p) => terms.some((t) => fold(p).includes(t))) ?? d.paragraphs[0] ?? '';
    const short = sentence.length > 200 ? `${sentence.slice(0, 199)}…` : sentence;
    return short.replace(/[\p{L}\p{N}]+/gu, (w) =>
      terms.some((t) => fold(w).startsWith(t)) ? `**${w}**` : w,
    );
  };
  const choices = (items: Iterable<[string, string]>, prefix: string, limit: number): Choice[] => {
    const p = fold(prefix.trim());
    const out: Choice[] = [];
    for (const [name, value] of items) {
      if (out.length >= limit) break;
      if (!p || fold(name).includes(p)) out.push({ name: name.slice(0, 100), value: value.slice(0, 100) });
    }
    return out;
  };
  return {
    search(query, options) {
      const terms = words(query);
      if (terms.length === 0) throw new UserError('empty-query', 'Type at least one word to search for.');
      const matches = documents.filter(
        (d) =>
          (!options.kind || d.kind === options.kind) &&
          (!options.country || fold(d.country ?? '') === fold(options.country)),
      );
      let hits = matches.filter((d) => terms.every((t) => haystack.get(d.id)!.includes(t)));
      const anyWord = hits.length === 0;
      if (anyWord) hits = matches.filter((d) => terms.some((t) => haystack.get(d.id)!.includes(t)));
      const pages = Math.max(1, Math.ceil(hits.length / options.pageSize));
      const page = Math.min(Math.max(1, options.page), pages);
      const results: SearchHit[] = hits
        .slice((page - 1) * options.pageSize, page * options.pageSize)
        .map((d) => ({
          id: d.id,
          kind: d.kind,
          title: d.title,
          country: d.country,
          snippet: snippet(d, terms),
        }));
      return {
        total: hits.length,
        page,
        pages,
        results,
        anyWord: anyWord && hits.length > 0,
        suggestions: [],
      };
    },
    document: (id) => byId.get(id),
    related(id, limit) {
      const doc = byId.get(id);
      if (!doc) return [];
      return documents
        .filter((d) => d.id !== id && d.kind === 'article' && d.country !== null && d.country === doc.country)
        .slice(0, limit)
        .map((d) => ({ id: d.id, title: d.title }));
    },
    contacts(query) {
      const q = fold(query.trim());
      return [...contacts.values()].filter((c) =>
        fold([c.name, ...c.offices, ...c.emails].join(' ')).includes(q),
      );
    },
    vcard(contact) {
      const lines = ['BEGIN:VCARD', 'VERSION:4.0', `FN:${contact.name}`];
      for (const office of contact.offices) lines.push(`ORG:${office}`);
      for (const phone of contact.phones) lines.push(`TEL;TYPE=work:${phone}`);
      for (const email of contact.emails) lines.push(`EMAIL:${email}`);
      lines.push('END:VCARD');
      return `${lines.join('\r\n')}\r\n`;
    },
    projects(query) {
      const q = fold(query.trim());
      const projects = documents.filter((d) => d.kind === 'project');
      const exact = projects.filter((d) =>
        [d.project?.primaId, d.project?.projectId].some((x) => x && fold(x) === q),
      );
      if (exact.length) return exact;
      const terms = words(query);
      return projects.filter((d) => terms.length > 0 && terms.every((t) => fold(d.title).includes(t)));
    },
    suggest(field: SuggestField, prefix, limit) {
      switch (field) {
        case 'article':
        case 'search':
          return choices(
            documents
              .filter((d) => field === 'search' || d.kind === 'article')
              .map((d) => [d.title, field === 'search' ? d.title : d.id]),
            prefix,
            limit,
          );
        case 'contact':
          return choices(
            [...contacts.values()].map((c) => [c.name, c.name]),
            prefix,
            limit,
          );
        case 'country':
          return choices(
            [...new Set(documents.flatMap((d) => (d.country ? [d.country] : [])))].map((c) => [c, c]),
            prefix,
            limit,
          );
        case 'project':
          return choices(
            documents
              .filter((d) => d.kind === 'project')
              .map((d) => [`${d.title} (${d.project?.primaId ?? d.id})`, d.project?.primaId ?? d.id]),
            prefix,
            limit,
          );
      }
    },
    stats: () => ({
      documents: documents.length,
      articles: documents.filter((d) => d.kind === 'article').length,
      projects: documents.filter((d) => d.kind === 'project').length,
      contacts: contacts.size,
    }),
  };
}
