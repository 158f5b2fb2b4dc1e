import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const TEMPLATE = '001_8879b2f42bfd0150.txt';
const TEMPLATE_TITLE = 'Director General launches EU-China migration and mobility seminar in Beijing';

/** Title of extra page n: long (150 characters), so lists and autocomplete have to cut it. */
export const extraTitle = (n: number) =>
  `Seminar ${String(n).padStart(2, '0')} on mobility in Beijing: `
    .padEnd(150, 'cooperation and dialogue ')
    .trimEnd();

/**
 * Adds `count` copies of a shipped article under new ids (`901_extra` …) and titles
 * ({@link extraTitle}), all matching "seminar mobility", so searches have several pages.
 */
export async function addExtraPages(dataDir: string, count: number): Promise<void> {
  const template = await readFile(path.join(dataDir, 'raw', TEMPLATE), 'utf8');
  for (let n = 1; n <= count; n++) {
    const name = `9${String(n).padStart(2, '0')}_extra.txt`;
    await writeFile(path.join(dataDir, 'raw', name), template.replace(TEMPLATE_TITLE, extraTitle(n)));
  }
}
