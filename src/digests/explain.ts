import { UserError } from '../core/errors.js';
import {
  explainDelivery,
  type DeliveryExplanation,
  type ExplanationFacts,
  type ExplanationOutcome,
  type MentioningDelivery,
} from '../core/deliveryExplanation.js';
import { MAX_DIGEST_ITEMS } from '../core/digest.js';
import type { DocumentRecord } from '../core/record.js';
import { isUserError } from '../core/errors.js';
import { translator, type Translate } from '../i18n/translate.js';
import type { Store, Subscription } from '../store/store.js';
import type { DigestDelivery, DigestLibrary } from './deliver.js';
import { upcomingRuns } from './schedule.js';

export type { DeliveryExplanation, ExplanationOutcome } from '../core/deliveryExplanation.js';

/** Why one document was or was not posted to one subscription (the panel's `results[]` item). */
export interface WhyResult {
  readonly subscriptionId: number;
  readonly outcome: ExplanationOutcome;
  /** The answer as one English sentence (times in UTC). */
  readonly reason: string;
  /** The digest that carried it (`delivered`) or is carrying it (`pending`). */
  readonly deliveryId?: number;
  /** The outcome with the facts it names, for renderers in other languages. */
  readonly explanation: DeliveryExplanation;
}

/** `GET /api/guilds/:guild/why`, `digest why --json` and `/digest why`: one result per subscription. */
export interface WhyAnswer {
  readonly documentId: string;
  readonly results: readonly WhyResult[];
}

export interface ExplainerOptions {
  readonly store: Store;
  readonly library: DigestLibrary;
  readonly delivery: DigestDelivery;
  /** A live source's `maxAgeDays` from sources.json, when the process knows it. */
  readonly maxAgeDays?: ((sourceId: string) => number | undefined) | undefined;
}

/** How an adapter writes the values of a sentence: times and quoted text, its own way. */
export interface ExplanationStyle {
  time(iso: string): string;
  code(text: string): string;
  channel(id: string): string;
  /** Free text from elsewhere (an error, a pause reason): escaped where markup means something. */
  text(value: string): string;
}

/** Plain text: `2026-11-23 09:00 UTC`, "quoted". */
export const PLAIN_STYLE: ExplanationStyle = {
  time: (iso) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  code: (text) => `"${text}"`,
  channel: (id) => `channel ${id}`,
  text: (value) => value,
};

/** One sentence saying an explanation in the reader's language (catalog keys `why.<outcome>…`). */
export function explanationSentence(e: DeliveryExplanation, t: Translate, style: ExplanationStyle): string {
  const when = (iso: string | null) => (iso === null ? t('why.never') : style.time(iso));
  switch (e.outcome) {
    case 'duplicate':
      return t('why.duplicate', { id: style.code(e.duplicateOf) });
    case 'delivered':
      return t('why.delivered', {
        delivery: e.deliveryId,
        channel: style.channel(e.channelId),
        when: when(e.postedAt),
        message: e.messageId ?? '—',
      });
    case 'pending':
      return t('why.pending', {
        delivery: e.deliveryId,
        error: e.lastError === null ? t('why.noError') : style.text(e.lastError),
      });
    case 'paused':
      return t('why.paused', {
        reason: e.pauseReason === null ? t('why.noReason') : style.text(e.pauseReason),
      });
    case 'source-disabled':
      return t('why.sourceDisabled', {
        source: style.code(e.sourceId),
        reason: style.text(e.disabledReason),
      });
    case 'will-deliver':
      return t('why.willDeliver', { when: when(e.nextRunAt) });
    case 'over-limit':
      return t('why.overLimit', { limit: MAX_DIGEST_ITEMS, ahead: e.digestsAhead, when: when(e.followsAt) });
    case 'not-news':
      return t(`why.notNews.${e.cause}`, { days: e.maxAgeDays ?? 0 });
    case 'before-subscription':
      return t('why.beforeSubscription', {
        ingested: style.time(e.ingestedAt),
        since: style.time(e.subscribedAt),
      });
    case 'filtered':
      return e.unmatchedWords.length > 0
        ? t('why.filtered', {
            query: style.code(e.query),
            words: e.unmatchedWords.map((w) => style.code(w)).join(', '),
          })
        : t('why.filteredAtRun', { query: style.code(e.query) });
  }
}

/**
 * Gathers the facts {@link explainDelivery} decides on, from the store and the library, using the
 * digest's own selection (DigestDelivery.preview) and topic filter, so the answer is what a run
 * does, not a second opinion.
 */
export class DeliveryExplainer {
  constructor(private readonly options: ExplainerOptions) {}

  /**
   * Why `documentId` was or was not posted to each of `subscriptions`. Throws UserError
   * `unknown-document` for an id that is neither a document nor merged into one.
   */
  async explain(documentId: string, subscriptions: readonly Subscription[]): Promise<WhyAnswer> {
    const id = documentId.trim();
    const { store } = this.options;
    const record = this.options.library.document(id) ?? (await store.webDocuments.get(id))?.record;
    const mergedInto = record ? undefined : await store.webDocuments.findByKeys([`item:${id}`]);
    const duplicateOf = mergedInto !== undefined && mergedInto !== id ? mergedInto : null;
    if (!record && duplicateOf === null) {
      throw new UserError('unknown-document', `No document with id "${id.slice(0, 100)}".`, {
        key: 'errors.unknown-document',
        values: { id: id.slice(0, 100) },
      });
    }
    const shared = {
      duplicateOf,
      entries: await store.log.forDocument(id),
      disabledSource: await this.disabledSource(record),
      news: record?.sourceId
        ? {
            publishedAt: record.publishedAt ?? null,
            maxAgeDays: this.options.maxAgeDays?.(record.sourceId) ?? null,
          }
        : null,
    };
    const english = translator('en');
    const results: WhyResult[] = [];
    for (const subscription of subscriptions) {
      const explanation = explainDelivery({
        ...shared,
        ...(record ? await this.perSubscription(record, subscription) : unreached(subscription)),
      });
      results.push({
        subscriptionId: subscription.id,
        outcome: explanation.outcome,
        reason: explanationSentence(explanation, english, PLAIN_STYLE),
        ...('deliveryId' in explanation ? { deliveryId: explanation.deliveryId } : {}),
        explanation,
      });
    }
    return { documentId: id, results };
  }

  private async disabledSource(
    record: DocumentRecord | undefined,
  ): Promise<ExplanationFacts['disabledSource']> {
    if (!record?.sourceId) return null;
    const state = await this.options.store.sourceStates.get(record.sourceId);
    return state.disabledReason === null ? null : { id: record.sourceId, reason: state.disabledReason };
  }

  /** The facts that depend on the subscription: its digests, the next runs' selection, its topic. */
  private async perSubscription(
    record: DocumentRecord,
    subscription: Subscription,
  ): Promise<Omit<ExplanationFacts, 'duplicateOf' | 'entries' | 'disabledSource' | 'news'>> {
    const { store, delivery } = this.options;
    const deliveries: MentioningDelivery[] = (
      await store.deliveries.mentioning(subscription.id, record.id)
    ).map((d) => {
      const part = d.parts.find((p) => p.payload.buttons.some((b) => b.docId === record.id));
      const { messageId = null, postedAt = null } = part ?? {};
      return { id: d.id, status: d.status, messageId, postedAt, lastError: d.lastError };
    });
    const { position } = await delivery.preview(subscription, { track: record.id });
    const runs = position === null ? 1 : Math.floor(position / MAX_DIGEST_ITEMS) + 1;
    return {
      subscription,
      deliveries,
      position,
      upcomingRuns:
        subscription.status === 'active'
          ? upcomingRuns(subscription.cron, subscription.timezone, runs).map((d) => d.toISOString())
          : [],
      topic: subscription.query ? this.topic(subscription.query, record) : null,
    };
  }

  /**
   * The digest's topic filter on this one document, and the words of the query (a quoted phrase
   * as one) it does not match alone. A word the filter cannot run alone (a very common word) is
   * never the one that failed.
   */
  private topic(query: string, record: DocumentRecord): ExplanationFacts['topic'] {
    const { library } = this.options;
    const matches = library.matching(query, [record]).has(record.id);
    if (matches) return { matches, unmatchedWords: [] };
    const unmatchedWords = (query.match(/"[^"]*"?|\S+/g) ?? []).filter((word) => {
      try {
        return !library.matching(word, [record]).has(record.id);
      } catch (error) {
        if (isUserError(error)) return false;
        throw error;
      }
    });
    return { matches, unmatchedWords };
  }
}

/** A merged id has no digest of its own: only its subscription matters. */
function unreached(
  subscription: Subscription,
): Omit<ExplanationFacts, 'duplicateOf' | 'entries' | 'disabledSource' | 'news'> {
  return { subscription, deliveries: [], position: null, upcomingRuns: [], topic: null };
}
