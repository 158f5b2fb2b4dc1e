import type { DocumentRecord, ProjectFields, RecordMeta } from './record.js';
import { fold, terms } from './search/terms.js';

/** A project page: a record whose `project` fields are present. */
export type ProjectRecord = DocumentRecord & { readonly project: ProjectFields };
/** A project's record without its text (what the catalog holds). */
export type ProjectMeta = RecordMeta & { readonly project: ProjectFields };

/** Filters for {@link ProjectCatalog.list}; text filters compare folded (case and accents ignored). */
export interface ProjectFilters {
  /** Exact status, e.g. "Completed". */
  readonly status?: string;
  /** Part of the region, e.g. "asia" matches "Asia and Oceania". */
  readonly region?: string;
  readonly year?: number;
  /** One of the benefiting member states, exactly. */
  readonly memberState?: string;
}

export type ProjectSort = 'year' | 'budget' | 'title';

export interface ProjectListOptions extends ProjectFilters {
  readonly sort?: ProjectSort;
  /** Default: descending for year and budget (newest, largest first), ascending for title. */
  readonly order?: 'asc' | 'desc';
}

/** Whether a record is a project page with its fields. */
export const isProject = <T extends RecordMeta>(
  record: T,
): record is T & { readonly project: ProjectFields } => record.project !== null;

const foldId = (id: string) => fold(id.trim());

/** Does folded `value` satisfy a text filter (`contains`: part of it; otherwise equal)? */
export function matchesText(
  value: string | null | undefined,
  filter: string | undefined,
  contains = false,
): boolean {
  if (filter === undefined || filter.trim() === '') return true;
  if (value === null || value === undefined) return false;
  const v = fold(value.trim());
  const f = fold(filter.trim());
  return contains ? v.includes(f) : v === f;
}

/** Whether a project passes the filters. */
export function matchesProjectFilters(project: ProjectFields, filters: ProjectFilters): boolean {
  return (
    matchesText(project.status, filters.status) &&
    matchesText(project.region, filters.region, true) &&
    (filters.year === undefined || project.year === filters.year) &&
    (filters.memberState === undefined ||
      filters.memberState.trim() === '' ||
      project.memberStates.some((m) => matchesText(m, filters.memberState)))
  );
}

/**
 * The project pages: lookup by Prima ID or Projects ID (exact, case-insensitive) or by title words,
 * and listing with filters and sorting. Built from the records; cheap enough to rebuild on change.
 */
export class ProjectCatalog {
  private readonly byId = new Map<string, ProjectMeta[]>();
  private readonly titleTerms = new Map<string, ReadonlySet<string>>();
  readonly projects: readonly ProjectMeta[];

  constructor(records: Iterable<RecordMeta>) {
    const projects: ProjectMeta[] = [];
    for (const record of records) {
      if (!isProject(record)) continue;
      projects.push(record);
      for (const id of [record.project.primaId, record.project.projectId]) {
        if (!id) continue;
        const key = foldId(id);
        const list = this.byId.get(key) ?? [];
        list.push(record);
        this.byId.set(key, list);
      }
      this.titleTerms.set(record.id, new Set(terms(record.title)));
    }
    this.projects = projects;
  }

  /** Projects whose Prima ID or Projects ID equals `id`, ignoring case and surrounding spaces. */
  byProjectId(id: string): ProjectMeta[] {
    return [...(this.byId.get(foldId(id)) ?? [])];
  }

  /**
   * An id first (exact, case-insensitive); otherwise projects whose title has every word of the
   * query (folded, stemmed; the last word may be a prefix), by title.
   */
  find(query: string): ProjectMeta[] {
    const exact = this.byProjectId(query);
    if (exact.length > 0) return exact;
    const wanted = terms(query);
    if (wanted.length === 0) return [];
    const last = wanted[wanted.length - 1]!;
    const found = this.projects.filter((p) => {
      const have = this.titleTerms.get(p.id) ?? new Set<string>();
      return (
        wanted.slice(0, -1).every((t) => have.has(t)) &&
        (have.has(last) || [...have].some((t) => t.startsWith(last)))
      );
    });
    return found.sort((a, b) => a.title.localeCompare(b.title));
  }

  /** Projects passing the filters, sorted (default: by year, newest first). */
  list(options: ProjectListOptions = {}): ProjectMeta[] {
    const sort = options.sort ?? 'year';
    const order = options.order ?? (sort === 'title' ? 'asc' : 'desc');
    const sign = order === 'asc' ? 1 : -1;
    const key = (p: ProjectMeta): number | string | null =>
      sort === 'year' ? p.project.year : sort === 'budget' ? p.project.budgetUsd : p.title;
    return this.projects
      .filter((p) => matchesProjectFilters(p.project, options))
      .sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        // Missing values last, whatever the order.
        if (ka === null || kb === null) return ka === kb ? a.id.localeCompare(b.id) : ka === null ? 1 : -1;
        const c =
          typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
        return c !== 0 ? sign * c : a.id.localeCompare(b.id);
      });
  }

  get size(): number {
    return this.projects.length;
  }
}
