import type { ProjectFields } from '../record.js';
import { normalizeSpace } from './pageText.js';

type KnownField = Exclude<keyof ProjectFields, 'extra'>;

/** Page labels (lower case) and the record field each fills. */
const LABELS: ReadonlyMap<string, KnownField> = new Map([
  ['start date', 'startDate'],
  ['end date', 'endDate'],
  ['project status', 'status'],
  ['status', 'status'],
  ['project type', 'type'],
  ['budget amount (usd)', 'budgetUsd'],
  ['budget amount', 'budgetUsd'],
  ['budget (usd)', 'budgetUsd'],
  ['coverage', 'coverage'],
  ['year', 'year'],
  ['idf region', 'region'],
  ['region', 'region'],
  ['prima id', 'primaId'],
  ['projects id', 'projectId'],
  ['project id', 'projectId'],
  ['benefiting member states', 'memberStates'],
  ['benefiting member state', 'memberStates'],
]);

/** True when `label` is one of the fields that make a page a project page. */
export function isProjectLabel(label: string): boolean {
  return LABELS.has(normalizeSpace(label).toLowerCase());
}

/** `100000.00`, `1,250,000.00`, `2500000`, `USD 3 000` → number; anything else → null. */
export function parseBudget(value: string): number | null {
  const digits = value.replace(/(?:US\$|USD|\$)/gi, '').replace(/[\s,\u00A0\u202F]/g, '');
  if (!/^\d+(?:\.\d+)?$/.test(digits)) return null;
  return Number(digits);
}

function parseYear(value: string): number | null {
  return /^\d{4}$/.test(value) ? Number(value) : null;
}

/** Splits "China, Mongolia; Japan" into states. Never on "and": "Bosnia and Herzegovina" is one. */
export function splitMemberStates(value: string): string[] {
  return value
    .split(/\s*[,;]\s*/)
    .map((state) => state.trim())
    .filter((state) => state !== '');
}

export interface ProjectFieldBlock {
  /** The fields, or null when the block holds no project label. */
  readonly fields: ProjectFields | null;
  /** Index of the first line after the block. */
  readonly end: number;
}

const isDash = (line: string | undefined) => line !== undefined && /^\s*[-–]\s*$/.test(line);

/**
 * Reads the `-` / label / value triples that start at `start`. A value may be missing (the next
 * line is `-`); unknown labels go to `extra`. Values that do not parse (a budget in words) are kept
 * in `extra` under their label rather than lost.
 */
export function readProjectFields(lines: readonly string[], start: number): ProjectFieldBlock {
  const fields: ProjectFields = {
    startDate: null,
    endDate: null,
    status: null,
    type: null,
    budgetUsd: null,
    coverage: null,
    year: null,
    region: null,
    primaId: null,
    projectId: null,
    memberStates: [],
    extra: {},
  };
  let known = 0;
  let i = start;
  while (isDash(lines[i]) && lines[i + 1] !== undefined && !isDash(lines[i + 1])) {
    const label = normalizeSpace(lines[i + 1] ?? '');
    const rawValue = lines[i + 2];
    const hasValue = rawValue !== undefined && !isDash(rawValue);
    const value = hasValue ? normalizeSpace(rawValue) : '';
    i += hasValue ? 3 : 2;
    const field = LABELS.get(label.toLowerCase());
    if (field === undefined) {
      fields.extra[label] = value;
      continue;
    }
    known++;
    if (value === '') continue;
    switch (field) {
      case 'budgetUsd':
      case 'year': {
        const parsed = field === 'year' ? parseYear(value) : parseBudget(value);
        if (parsed === null) fields.extra[label] = value;
        else fields[field] = parsed;
        break;
      }
      case 'memberStates':
        fields.memberStates = splitMemberStates(value);
        break;
      default:
        fields[field] = value;
    }
  }
  return { fields: known > 0 ? fields : null, end: known > 0 ? i : start };
}
