/**
 * "China - IOM Director General…" / "Yemen – Fighting…": one to five capitalised words, then a
 * hyphen, en or em dash with spaces around it. Hyphenated names ("Timor-Leste") stay whole.
 */
const DATELINE =
  /^(\p{Lu}[\p{L}'’.()]*(?:[ /-](?:\p{Lu}|(?:de|of|and|the|del|la|du)\b|d['’])[\p{L}'’.()]*){0,4}),?\s+[-–—]\s+(\S.*)$/u;

export interface Dateline {
  readonly country: string | null;
  /** The paragraph without its dateline. */
  readonly rest: string;
}

/** Splits a dateline off the first paragraph of an article. */
export function splitDateline(paragraph: string): Dateline {
  const match = DATELINE.exec(paragraph);
  if (!match) return { country: null, rest: paragraph };
  return { country: match[1] ?? null, rest: match[2] ?? paragraph };
}

/** True when a line starts with a dateline (so it is a paragraph, never a title's second line). */
export function hasDateline(line: string): boolean {
  return DATELINE.test(line);
}
