import { time, type APIEmbed } from 'discord.js';
import { openMenu, pageButtons, suggestionButtons } from '../components.js';
import type { SearchState } from '../components.js';
import type { SearchPage } from '../../core/library.js';
import type { BotReply } from '../reply.js';
import { BRAND_COLOR } from './about.js';
import { DISCORD_LIMITS as L } from '../limits.js';
import { truncate } from '../../core/truncate.js';
import { escapeText, snippetMarkdown } from './text.js';

function describeState(state: SearchState): string {
  const filters = [
    state.kind ? `${state.kind}s` : null,
    state.country ? `in ${state.country}` : null,
    state.since ? `since ${state.since.slice(0, 10)}` : null,
    state.newest ? 'newest first' : null,
  ].filter(Boolean);
  return `“${state.query}”${filters.length ? ` (${filters.join(', ')})` : ''}`;
}

/**
 * One page of results: title, country and snippet (matched words in bold) for each; Previous/Next
 * buttons and a menu to open a result. Nothing found: says so and offers the closest suggestions.
 */
export function searchReply(state: SearchState, result: SearchPage, note?: string): BotReply {
  if (result.total === 0) {
    const suggestions = result.suggestions.length
      ? ` Did you mean ${result.suggestions.map((s) => `**${escapeText(s)}**`).join(', ')}?`
      : ' Try fewer or different words.';
    return {
      content: truncate(`No results for ${escapeText(describeState(state))}.${suggestions}`, L.content),
      components: suggestionButtons(state, result.suggestions),
      ephemeral: true,
    };
  }
  const first = (result.page - 1) * result.pageSize;
  const embed: APIEmbed = {
    title: truncate(`Results for ${escapeText(describeState(state))}`, L.embedTitle),
    color: BRAND_COLOR,
    fields: result.results.map((hit, i) => ({
      name: truncate(`${first + i + 1}. ${escapeText(hit.title)}`, L.fieldName),
      value: truncate(
        `*${hit.kind === 'project' ? 'Project' : 'Article'}${hit.country ? ` · ${escapeText(hit.country)}` : ''}*${
          hit.publishedAt ? ` · ${time(new Date(hit.publishedAt), 'D')}` : ''
        }\n${snippetMarkdown(hit.snippet)}`,
        L.fieldValue,
      ),
    })),
    footer: {
      text: `Page ${result.page} of ${result.pages} · ${result.total} result${result.total === 1 ? '' : 's'}`,
    },
  };
  const pager = pageButtons(state, result.page, result.pages);
  if (result.pages > 1 && pager.length === 0)
    embed.footer!.text += ' · shorten the query to page through them';
  return {
    ...(note || result.note ? { content: [note, result.note].filter(Boolean).join('\n') } : {}),
    embeds: [embed],
    components: [
      ...openMenu(
        result.results.map((hit) => ({
          id: hit.id,
          title: hit.title,
          detail: [hit.kind === 'project' ? 'Project' : 'Article', hit.country].filter(Boolean).join(' · '),
        })),
      ),
      ...pager,
    ],
    ephemeral: true,
  };
}
