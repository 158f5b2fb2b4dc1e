import { time, type APIEmbed } from 'discord.js';
import { truncate } from '../../core/truncate.js';
import type { SourceHealth, SourceStatus } from '../../sources/sourcesView.js';
import { DISCORD_LIMITS as L } from '../limits.js';
import type { BotReply } from '../reply.js';
import { BRAND_COLOR } from './about.js';
import { escapeText } from './text.js';
import { translator, type Language, type Translate } from '../../i18n/translate.js';

const HEALTH: Record<SourceHealth, string> = {
  ok: 'sources.health.ok',
  'not-modified': 'sources.health.notModified',
  failing: 'sources.health.failing',
  disabled: 'sources.health.disabled',
  pending: 'sources.health.pending',
};

/** The last error as shown: one line, escaped, short. */
const ERROR_LENGTH = 300;

function describe(s: SourceStatus, t: Translate): string {
  const lines = [
    `${t(HEALTH[s.status])} · ${s.type} · ${t('sources.documents', { count: s.documents })}`,
    t('sources.fetches', {
      last: s.lastFetchedAt ? time(new Date(s.lastFetchedAt), 'R') : t('sources.never'),
      next: s.nextFetchAt ? time(new Date(s.nextFetchAt), 'R') : '—',
    }),
  ];
  if (s.lastError) {
    const error = escapeText(truncate(s.lastError.replace(/\s+/g, ' '), ERROR_LENGTH));
    lines.push(t('sources.lastError', { error }));
  }
  return lines.join('\n');
}

/** `/sources` in `lang`: each live source's health, last and next fetch, documents and last error (ephemeral). */
export function sourcesReply(sources: readonly SourceStatus[] | undefined, lang: Language): BotReply {
  const t = translator(lang);
  if (sources === undefined || sources.length === 0) {
    return { content: t('sources.none'), ephemeral: true };
  }
  const shown = sources.slice(0, L.embedFields);
  const embed: APIEmbed = {
    title: t('sources.title', { count: sources.length }),
    color: BRAND_COLOR,
    fields: shown.map((s) => ({
      name: truncate(`${escapeText(s.name)} (${s.id})`, L.fieldName),
      value: truncate(describe(s, t), L.fieldValue),
    })),
    ...(sources.length > shown.length
      ? { footer: { text: t('sources.more', { count: sources.length - shown.length }) } }
      : {}),
  };
  return { embeds: [embed], ephemeral: true };
}
