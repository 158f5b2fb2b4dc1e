import { time, type APIEmbed } from 'discord.js';
import { truncate } from '../../core/truncate.js';
import { explanationSentence, type ExplanationStyle, type WhyAnswer } from '../../digests/explain.js';
import { translator, type Language } from '../../i18n/translate.js';
import { DISCORD_LIMITS as L } from '../limits.js';
import type { BotReply } from '../reply.js';
import { BRAND_COLOR } from './about.js';
import { escapeText } from './text.js';

/** Discord's way with an explanation's values: a localized timestamp, inline code, channel mentions. */
const DISCORD_STYLE: ExplanationStyle = {
  time: (iso) => time(new Date(iso), 'F'),
  code: (text) => `\`${text.replace(/`/g, "'")}\``,
  channel: (id) => `<#${id}>`,
  text: (value) => escapeText(truncate(value.replace(/\s+/g, ' '), 300)),
};

/**
 * `/digest why`: one field per subscription (at most 25, the embed's limit) saying why the document
 * was or was not posted there, in the reader's language; `channels` maps subscriptions to
 * their channels' names.
 */
export function whyReply(
  answer: WhyAnswer,
  input: {
    readonly title: string;
    readonly channels: ReadonlyMap<number, string>;
    readonly channel?: string;
  },
  lang: Language,
): BotReply {
  const t = translator(lang);
  if (answer.results.length === 0) {
    const channel = input.channel === undefined ? 'none' : `<#${input.channel}>`;
    return { content: t('why.none', { channel }), ephemeral: true };
  }
  const shown = answer.results.slice(0, L.embedFields);
  const embed: APIEmbed = {
    color: BRAND_COLOR,
    title: truncate(t('why.title', { title: escapeText(input.title) }), L.embedTitle),
    fields: shown.map((r) => {
      const channel = input.channels.get(r.subscriptionId);
      return {
        name: truncate(
          t('why.subscription', { id: r.subscriptionId, channel: channel ? `#${channel}` : '—' }),
          256,
        ),
        value: truncate(explanationSentence(r.explanation, t, DISCORD_STYLE), L.fieldValue),
      };
    }),
  };
  return { embeds: [embed], ephemeral: true };
}
