import type { APIEmbed } from 'discord.js';
import type { LibraryStats } from '../../core/library.js';
import type { BotReply } from '../reply.js';

export const BRAND_COLOR = 0x0033a0;

/** "3 d 4 h", "2 h 5 min", "42 s": the two largest units. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'min'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return '0 s';
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}

const USAGE = [
  '`/search query:` find press releases and projects (filters: kind, country)',
  '`/article id:` read one article, with its press contacts and related articles',
  '`/contact name:` a press contact card, with a vCard to save',
  '`/project query:` a project by title, Prima ID or Projects ID',
  '`/digest subscribe` scheduled digests of new articles in a channel (Manage Server)',
].join('\n');

/** The /about card: what the bot holds, its version and uptime, and how to use it. */
export function aboutReply(stats: LibraryStats, version: string, uptimeMs: number): BotReply {
  const embed: APIEmbed = {
    title: 'Migration News Bot',
    color: BRAND_COLOR,
    description: `Search IOM press releases and project pages, find press contacts, read articles.\n\n${USAGE}`,
    fields: [
      { name: 'Documents', value: String(stats.documents), inline: true },
      { name: 'Articles', value: String(stats.articles), inline: true },
      { name: 'Projects', value: String(stats.projects), inline: true },
      { name: 'Contacts', value: String(stats.contacts), inline: true },
      { name: 'Version', value: version, inline: true },
      { name: 'Uptime', value: formatDuration(uptimeMs), inline: true },
    ],
  };
  return { embeds: [embed] };
}
