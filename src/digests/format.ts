import { time, type APIEmbed } from 'discord.js';
import type { DigestPlan } from '../core/digest.js';
import { truncate } from '../core/truncate.js';
import type { BotReply } from '../discord/reply.js';
import { DISCORD_LIMITS } from '../discord/limits.js';
import { renderDigestMessages, toMessageBody } from '../discord/format/digest.js';
import type { RunOutcome } from './deliver.js';
import type { SubscriptionView } from './service.js';

const t = (date: Date | string, style: 'F' | 'R' | 'f') => time(new Date(date), style);

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** One line saying where, when and what a subscription posts. */
function describe(s: SubscriptionView): string {
  const lines = [
    `${s.status === 'active' ? '🟢 active' : '⏸️ paused'} · <#${s.channelId}> · ${code(s.cron)} (${s.timezone})`,
    `Topic: ${s.query ? code(s.query) : 'everything'}${s.mentionRoleId ? ` · Pings <@&${s.mentionRoleId}>` : ''}`,
    `Last run: ${s.lastRunAt ? t(s.lastRunAt, 'R') : 'not yet'} · Next run: ${s.nextRunAt ? t(s.nextRunAt, 'F') : '—'}`,
  ];
  if (s.pausedReason) lines.push(`Paused because: ${s.pausedReason}`);
  return lines.join('\n');
}

export function subscribedReply(s: SubscriptionView): BotReply {
  const next = s.nextRunAt ? t(s.nextRunAt, 'F') : 'never (the schedule has no upcoming date)';
  const backfill = s.backfill > 0 ? ` The first digest also brings the ${s.backfill} latest articles.` : '';
  const ping = s.mentionRoleId ? ` Each digest pings <@&${s.mentionRoleId}> once.` : '';
  return {
    content: `Subscribed: digest **#${s.id}** posts to <#${s.channelId}> on ${code(s.cron)} (${s.timezone}). Next run: ${next}.${backfill}${ping}`,
    ephemeral: true,
  };
}

export function listReply(subscriptions: readonly SubscriptionView[]): BotReply {
  if (subscriptions.length === 0) {
    return {
      content: 'This server has no digest subscriptions. Create one with /digest subscribe.',
      ephemeral: true,
    };
  }
  const shown = subscriptions.slice(0, DISCORD_LIMITS.embedFields);
  const embed: APIEmbed = {
    title: `Digest subscriptions (${subscriptions.length})`,
    fields: shown.map((s) => ({ name: `#${s.id}`, value: truncate(describe(s), DISCORD_LIMITS.fieldValue) })),
    ...(subscriptions.length > shown.length
      ? { footer: { text: `and ${subscriptions.length - shown.length} more` } }
      : {}),
  };
  return { embeds: [embed], ephemeral: true };
}

/** The answer to remove, pause or resume (a removed subscription has no next run to show). */
export function statusReply(
  s: Pick<SubscriptionView, 'id' | 'channelId'> & { readonly nextRunAt?: Date | undefined },
  verb: 'paused' | 'resumed' | 'removed',
): BotReply {
  const next = verb === 'resumed' && s.nextRunAt ? ` Next run: ${t(s.nextRunAt, 'F')}.` : '';
  const pending = verb === 'resumed' ? ' It continues from where it stopped.' : '';
  return { content: `Digest **#${s.id}** (<#${s.channelId}>) ${verb}.${pending}${next}`, ephemeral: true };
}

/** The first message of a would-be digest, ephemeral, with its Read buttons. */
export function previewReply(plan: DigestPlan): BotReply {
  const messages = renderDigestMessages(plan);
  const first = messages[0];
  if (!first) return { content: 'Nothing new to post: the next digest would be empty.', ephemeral: true };
  const body = toMessageBody(first, 'preview');
  const more = messages.length - 1;
  return {
    content: `Preview of the next digest (${plan.articleCount} articles, ${plan.projectCount} projects${more > 0 ? `; ${more} more message${more === 1 ? '' : 's'} not shown` : ''}):`,
    embeds: body.embeds ?? [],
    components: (body.components ?? []) as NonNullable<BotReply['components']>,
    ephemeral: true,
  };
}

export function sendReplyFor(s: SubscriptionView, outcome: RunOutcome): BotReply {
  const content = ((): string => {
    switch (outcome.kind) {
      case 'delivered':
        return `Posted digest #${s.id} to <#${s.channelId}>: ${outcome.items} item${outcome.items === 1 ? '' : 's'} in ${outcome.parts} message${outcome.parts === 1 ? '' : 's'}.`;
      case 'nothing-new':
        return `Nothing new for digest #${s.id} since the last one; nothing was posted.`;
      case 'paused':
        return `Could not post digest #${s.id}: ${outcome.reason} The subscription is paused; fix this, then use /digest resume.`;
      case 'pending':
        return `Discord is not accepting messages right now (${outcome.reason}). Digest #${s.id} is kept and will be retried.`;
      case 'error':
        return `Digest #${s.id} could not be prepared; the problem was logged. Nothing was posted.`;
      case 'claimed-elsewhere':
        return `Digest #${s.id} is being posted right now by another of the bot's processes; nothing more was posted.`;
      case 'not-active':
        return outcome.status === 'paused'
          ? `Digest #${s.id} is paused${s.pausedReason ? ` (${s.pausedReason})` : ''}. Resume it first with /digest resume.`
          : `Digest #${s.id} no longer exists.`;
    }
  })();
  return { content, ephemeral: true };
}

/** Autocomplete choices for a subscription id: the subscriptions whose label contains `typed`. */
export function subscriptionChoices(
  subscriptions: readonly SubscriptionView[],
  channelName: (channelId: string) => string,
  typed: string,
): Array<{ name: string; value: number }> {
  const wanted = typed.trim().toLowerCase();
  return subscriptions
    .map((s) => {
      const label = `#${s.id} · #${channelName(s.channelId)} · ${s.cron} ${s.timezone}${s.query ? ` · ${s.query}` : ''}${s.status === 'paused' ? ' (paused)' : ''}`;
      return { name: truncate(label, DISCORD_LIMITS.choiceName), value: s.id };
    })
    .filter((c) => wanted === '' || c.name.toLowerCase().includes(wanted))
    .slice(0, DISCORD_LIMITS.autocompleteChoices);
}
