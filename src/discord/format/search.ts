import { time, type APIEmbed } from 'discord.js';
import { openMenu, pageButtons, suggestionButtons } from '../components.js';
import type { SearchState } from '../components.js';
import type { SearchPage } from '../../core/library.js';
import type { BotReply } from '../reply.js';
import { BRAND_COLOR } from './about.js';
import { DISCORD_LIMITS as L } from '../limits.js';
import { truncate } from '../../core/truncate.js';
import { escapeText, snippetMarkdown } from './text.js';
import {
  formatDate,
  formatList,
  languageNameIn,
  translator,
  type Language,
  type Translate,
} from '../../i18n/translate.js';

function describeState(state: SearchState, lang: Language): string {
  const t = translator(lang);
  const filters = [
    state.kind ? t(`search.filter.${state.kind}s`) : null,
    state.country ? t('search.filter.country', { country: state.country }) : null,
    state.since ? t('search.filter.since', { date: formatDate(lang, state.since) }) : null,
    state.language ? t('search.filter.language', { language: languageNameIn(lang, state.language) }) : null,
    state.newest ? t('search.filter.newest') : null,
  ].filter((f): f is string => f !== null);
  return `“${state.query}”${filters.length ? ` (${filters.join(', ')})` : ''}`;
}

const kindLabel = (t: Translate, kind: string) => t(kind === 'project' ? 'common.project' : 'common.article');

/**
 * One page of results in `lang`: title, country and snippet (matched words in bold) for each;
 * Previous/Next buttons and a menu to open a result. Nothing found: says so and offers the closest
 * suggestions.
 */
export function searchReply(state: SearchState, result: SearchPage, lang: Language, note?: string): BotReply {
  const t = translator(lang);
  const query = escapeText(describeState(state, lang));
  if (result.total === 0) {
    const suggestions = result.suggestions.length
      ? t('search.didYouMean', {
          suggestions: formatList(
            lang,
            result.suggestions.map((s) => `**${escapeText(s)}**`),
          ),
        })
      : t('search.tryOther');
    return {
      content: truncate(`${t('search.noResults', { query })} ${suggestions}`, L.content),
      components: suggestionButtons(state, result.suggestions, t),
      ephemeral: true,
    };
  }
  const first = (result.page - 1) * result.pageSize;
  const embed: APIEmbed = {
    title: truncate(t('search.resultsFor', { query }), L.embedTitle),
    color: BRAND_COLOR,
    fields: result.results.map((hit, i) => ({
      name: truncate(`${first + i + 1}. ${escapeText(hit.title)}`, L.fieldName),
      value: truncate(
        `*${kindLabel(t, hit.kind)}${hit.country ? ` · ${escapeText(hit.country)}` : ''}*${
          hit.publishedAt ? ` · ${time(new Date(hit.publishedAt), 'D')}` : ''
        }\n${snippetMarkdown(hit.snippet)}`,
        L.fieldValue,
      ),
    })),
    footer: {
      text: t('search.footer', { page: result.page, pages: result.pages, total: result.total }),
    },
  };
  const pager = pageButtons(state, result.page, result.pages, t);
  // The core's English note, said from its data in the reader's language.
  const notes = [
    ...(result.matchedAll ? [] : [t('search.someWords')]),
    ...(result.page > result.pages ? [t('search.onlyPages', { pages: result.pages })] : []),
  ];
  if (result.pages > 1 && pager.length === 0) embed.footer!.text += ` · ${t('search.shortenToPage')}`;
  return {
    ...(note || notes.length ? { content: [note, ...notes].filter(Boolean).join('\n') } : {}),
    embeds: [embed],
    components: [
      ...openMenu(
        result.results.map((hit) => ({
          id: hit.id,
          title: hit.title,
          detail: [kindLabel(t, hit.kind), hit.country].filter(Boolean).join(' · '),
        })),
        t,
      ),
      ...pager,
    ],
    ephemeral: true,
  };
}
