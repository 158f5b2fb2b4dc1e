import { writeFileSync } from 'node:fs';
import type { APIMessage } from 'discord.js';
import path from 'node:path';
import { page } from '../fixtures/pages.js';

/** The text of an article page as the site serves it: title, dateline paragraph, a press contact. */
export function articleText(n: number, country = 'Kenya', topic = 'flood response'): string {
  return page(
    `Article ${n} on ${topic} in ${country}`,
    `${country} - IOM today reported progress number ${n} on ${topic}, working with local partners and communities.`,
    `The second paragraph of article ${n} gives more detail about ${topic} and the people it helps.`,
    'For more information, please contact',
    `Contact Person ${n}`,
    `IOM ${country}`,
    `Tel. +41 22 717 91${String(n % 100).padStart(2, '0')}`,
    `Email: contact${n}@iom.int`,
  );
}

/** Writes article `n` into a raw folder as `9<n>_article.txt` and returns its id. */
export function dropArticle(raw: string, n: number, country?: string, topic?: string): string {
  const id = `9${String(n).padStart(4, '0')}_article`;
  writeFileSync(path.join(raw, `${id}.txt`), articleText(n, country, topic));
  return id;
}

/** Document ids the Read buttons of digest messages point at, in order. */
export const docIds = (messages: readonly APIMessage[]): string[] =>
  messages.flatMap((m) =>
    (m.components ?? []).flatMap((row) =>
      'components' in row
        ? row.components.flatMap((c) => ('custom_id' in c ? [c.custom_id.split(':')[2] ?? ''] : []))
        : [],
    ),
  );
