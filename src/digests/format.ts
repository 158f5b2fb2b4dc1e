import { time, type APIEmbed } from 'discord.js';
import type { DigestPlan } from '../core/digest.js';
import { truncate } from '../core/truncate.js';
import type { BotReply } from '../discord/reply.js';
import { DISCORD_LIMITS } from '../discord/limits.js';
import { renderDigestMessages, toMessageBody } from '../discord/format/digest.js';
import type { RunOutcome } from './deliver.js';
import type { SubscriptionView } from './service.js';
import { languageNameIn, t, translator, type Language, type Translate } from '../i18n/translate.js';

const stamp = (date: Date | string, style: 'F' | 'R' | 'f') => time(new Date(date), style);

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** Three lines saying where, when and what a subscription posts, in the reader's language. */
function describe(s: SubscriptionView, t: Translate, lang: Language): string {
  const topic = t('digest.describe.topic', {
    topic: s.query ? code(s.query) : t('digest.describe.everything'),
  });
  const pings = s.mentionRoleId ? ` · ${t('digest.describe.pings', { role: `<@&${s.mentionRoleId}>` })}` : '';
  const language = s.language
    ? ` · ${t('digest.describe.language', { language: `${languageNameIn(lang, s.language)} (${s.language})` })}`
    : '';
  const lines = [
    `${t(`digest.status.${s.status === 'active' ? 'active' : 'paused'}`)} · <#${s.channelId}> · ${code(s.cron)} (${s.timezone})`,
    `${topic}${language}${pings}`,
    t('digest.describe.runs', {
      last: s.lastRunAt ? stamp(s.lastRunAt, 'R') : t('digest.describe.notYet'),
      next: s.nextRunAt ? stamp(s.nextRunAt, 'F') : '—',
    }),
  ];
  if (s.pausedReason) lines.push(t('digest.describe.pausedBecause', { reason: s.pausedReason }));
  return lines.join('\n');
}

export function subscribedReply(s: SubscriptionView, lang: Language): BotReply {
  const t = translator(lang);
  const sentences = [
    t('digest.subscribed', {
      id: s.id,
      channel: `<#${s.channelId}>`,
      cron: code(s.cron),
      timezone: s.timezone,
      next: s.nextRunAt ? stamp(s.nextRunAt, 'F') : t('digest.noNextRun'),
    }),
    ...(s.backfill > 0 ? [t('digest.subscribedBackfill', { count: s.backfill })] : []),
    ...(s.mentionRoleId ? [t('digest.subscribedPing', { role: `<@&${s.mentionRoleId}>` })] : []),
  ];
  return { content: sentences.join(' '), ephemeral: true };
}

export function listReply(subscriptions: readonly SubscriptionView[], lang: Language): BotReply {
  const t = translator(lang);
  if (subscriptions.length === 0) return { content: t('digest.listEmpty'), ephemeral: true };
  const shown = subscriptions.slice(0, DISCORD_LIMITS.embedFields);
  const embed: APIEmbed = {
    title: t('digest.listTitle', { count: subscriptions.length }),
    fields: shown.map((s) => ({
      name: `#${s.id}`,
      value: truncate(describe(s, t, lang), DISCORD_LIMITS.fieldValue),
    })),
    ...(subscriptions.length > shown.length
      ? { footer: { text: t('digest.listMore', { count: subscriptions.length - shown.length }) } }
      : {}),
  };
  return { embeds: [embed], ephemeral: true };
}

/** The answer to remove, pause or resume (a removed subscription has no next run to show). */
export function statusReply(
  s: Pick<SubscriptionView, 'id' | 'channelId'> & { readonly nextRunAt?: Date | undefined },
  verb: 'paused' | 'resumed' | 'removed',
  lang: Language,
): BotReply {
  const t = translator(lang);
  const done = t(`digest.${verb}`, { id: s.id, channel: `<#${s.channelId}>` });
  const next =
    verb === 'resumed' && s.nextRunAt ? ` ${t('digest.nextRun', { next: stamp(s.nextRunAt, 'F') })}` : '';
  return { content: `${done}${next}`, ephemeral: true };
}

/**
 * The first message of a would-be digest, ephemeral, with its Read buttons: the digest in its own
 * language (`digestLang`), the line above it in the reader's (`lang`).
 */
export function previewReply(plan: DigestPlan, lang: Language, digestLang: Language = lang): BotReply {
  const t = translator(lang);
  const messages = renderDigestMessages(plan, { language: digestLang });
  const first = messages[0];
  if (!first) return { content: t('digest.previewEmpty'), ephemeral: true };
  const body = toMessageBody(first, 'preview');
  const more = messages.length - 1;
  const counts = {
    articles: t('digest.articles', { count: plan.articleCount }),
    projects: t('digest.projects', { count: plan.projectCount }),
  };
  return {
    content: more > 0 ? t('digest.previewMore', { ...counts, more }) : t('digest.preview', counts),
    embeds: body.embeds ?? [],
    components: (body.components ?? []) as NonNullable<BotReply['components']>,
    ephemeral: true,
  };
}

/** What a manual `/digest send` did, for each outcome of a run. */
export function sendReplyFor(s: SubscriptionView, outcome: RunOutcome, lang: Language): BotReply {
  const t = translator(lang);
  const base = { id: s.id, channel: `<#${s.channelId}>` };
  const content = ((): string => {
    switch (outcome.kind) {
      case 'delivered':
        return t('digest.sent.delivered', { ...base, items: outcome.items, parts: outcome.parts });
      case 'nothing-new':
        return t('digest.sent.nothingNew', base);
      case 'paused':
        return t('digest.sent.paused', { ...base, reason: outcome.reason });
      case 'pending':
        return t('digest.sent.pending', { ...base, reason: outcome.reason });
      case 'error':
        return t('digest.sent.error', base);
      case 'claimed-elsewhere':
        return t('digest.sent.claimedElsewhere', base);
      case 'not-active':
        if (outcome.status !== 'paused') return t('digest.sent.missing', base);
        return s.pausedReason
          ? t('digest.sent.isPausedBecause', { ...base, reason: s.pausedReason })
          : t('digest.sent.isPaused', base);
    }
  })();
  return { content, ephemeral: true };
}

/** Autocomplete choices for a subscription id: the subscriptions whose label contains `typed`. */
export function subscriptionChoices(
  subscriptions: readonly SubscriptionView[],
  channelName: (channelId: string) => string,
  typed: string,
  lang: Language,
): Array<{ name: string; value: number }> {
  const wanted = typed.trim().toLowerCase();
  return subscriptions
    .map((s) => {
      const label = `#${s.id} · #${channelName(s.channelId)} · ${s.cron} ${s.timezone}${s.query ? ` · ${s.query}` : ''}${s.status === 'paused' ? ` ${t(lang, 'digest.choicePaused')}` : ''}`;
      return { name: truncate(label, DISCORD_LIMITS.choiceName), value: s.id };
    })
    .filter((c) => wanted === '' || c.name.toLowerCase().includes(wanted))
    .slice(0, DISCORD_LIMITS.autocompleteChoices);
}
