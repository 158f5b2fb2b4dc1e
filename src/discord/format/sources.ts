import { time, type APIEmbed } from 'discord.js';
import { truncate } from '../../core/truncate.js';
import type { SourceHealth, SourceStatus } from '../../sources/sourcesView.js';
import { DISCORD_LIMITS as L } from '../limits.js';
import type { BotReply } from '../reply.js';
import { BRAND_COLOR } from './about.js';
import { escapeText } from './text.js';

const HEALTH: Record<SourceHealth, string> = {
  ok: '🟢 ok',
  'not-modified': '🟢 ok (nothing new)',
  failing: '🔴 failing',
  disabled: '⏸️ disabled',
  pending: '⚪ not fetched yet',
};

/** The last error as shown: one line, escaped, short. */
const ERROR_LENGTH = 300;

function describe(s: SourceStatus): string {
  const lines = [
    `${HEALTH[s.status]} · ${s.type} · ${s.documents} document${s.documents === 1 ? '' : 's'}`,
    `Last fetch: ${s.lastFetchedAt ? time(new Date(s.lastFetchedAt), 'R') : 'never'} · Next fetch: ${
      s.nextFetchAt ? time(new Date(s.nextFetchAt), 'R') : '—'
    }`,
  ];
  if (s.lastError)
    lines.push(`Last error: ${escapeText(truncate(s.lastError.replace(/\s+/g, ' '), ERROR_LENGTH))}`);
  return lines.join('\n');
}

/** `/sources`: each live source's health, last and next fetch, documents and last error (ephemeral). */
export function sourcesReply(sources: readonly SourceStatus[] | undefined): BotReply {
  if (sources === undefined || sources.length === 0) {
    return { content: 'No live sources are configured.', ephemeral: true };
  }
  const shown = sources.slice(0, L.embedFields);
  const embed: APIEmbed = {
    title: `Live sources (${sources.length})`,
    color: BRAND_COLOR,
    fields: shown.map((s) => ({
      name: truncate(`${escapeText(s.name)} (${s.id})`, L.fieldName),
      value: truncate(describe(s), L.fieldValue),
    })),
    ...(sources.length > shown.length
      ? { footer: { text: `and ${sources.length - shown.length} more` } }
      : {}),
  };
  return { embeds: [embed], ephemeral: true };
}
