import type { APIEmbed } from 'discord.js';
import type { LibraryStats } from '../../core/library.js';
import type { BotReply } from '../reply.js';
import { translator, type Language } from '../../i18n/translate.js';

export const BRAND_COLOR = 0x0033a0;

const UNITS = [
  ['day', 86_400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
] as const;

/** "3 d 4 h", "2 h 5 min", "42 s" in `lang` (Intl.NumberFormat units): the two largest units. */
export function formatDuration(ms: number, lang: Language = 'en'): string {
  let rest = Math.max(0, Math.floor(ms / 1000));
  const parts = UNITS.map(([unit, seconds]) => {
    const n = Math.floor(rest / seconds);
    rest -= n * seconds;
    return [unit, n] as const;
  });
  const first = parts.findIndex(([, n]) => n > 0);
  const shown = first < 0 ? [parts[3]!] : parts.slice(first, first + 2).filter(([, n]) => n > 0);
  return shown
    .map(([unit, n]) => new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short' }).format(n))
    .join(' ');
}

/** The commands /about lists, each with its catalog line `about.usage.<name>`. */
const USAGE = [
  ['search', '/search query:'],
  ['article', '/article id:'],
  ['contact', '/contact name:'],
  ['project', '/project query:'],
  ['digest', '/digest subscribe'],
  ['settings', '/settings language'],
] as const;

/** The /about card in `lang`: what the bot holds, its version and uptime, and how to use it. */
export function aboutReply(stats: LibraryStats, version: string, uptimeMs: number, lang: Language): BotReply {
  const t = translator(lang);
  const usage = USAGE.map(([name, example]) => `\`${example}\` ${t(`about.usage.${name}`)}`).join('\n');
  const count = (n: number) => new Intl.NumberFormat(lang).format(n);
  const embed: APIEmbed = {
    title: t('about.title'),
    color: BRAND_COLOR,
    description: `${t('about.description')}\n\n${usage}`,
    fields: [
      { name: t('about.field.documents'), value: count(stats.documents), inline: true },
      { name: t('about.field.articles'), value: count(stats.articles), inline: true },
      { name: t('about.field.projects'), value: count(stats.projects), inline: true },
      { name: t('about.field.contacts'), value: count(stats.contacts), inline: true },
      { name: t('about.field.version'), value: version, inline: true },
      { name: t('about.field.uptime'), value: formatDuration(uptimeMs, lang), inline: true },
    ],
  };
  return { embeds: [embed] };
}
