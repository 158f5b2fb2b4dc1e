import { explanationSentence, type ExplanationStyle, type WhyAnswer } from '../../digests/explain.js';
import { html, type SafeHtml } from './html.js';
import { when, type PageContext } from './layout.js';

/** One digest's answer, ready to show: its channel's name and, when a digest carried it, where that is in the log. */
export interface WhyRow {
  readonly subscriptionId: number;
  readonly channelName: string;
  readonly answer: WhyAnswer['results'][number];
  /** The delivery in the delivery log (its page and row), when there is one. */
  readonly deliveryHref?: string | undefined;
}

/** What the page shows under its form: nothing asked yet, an answer, or why there is none. */
export type WhyResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'answer'; readonly documentId: string; readonly rows: readonly WhyRow[] }
  | { readonly kind: 'error'; readonly message: string };

/** The panel's way with an explanation's values: plain text (escaped by `html`), dates in the page's language. */
function panelStyle(page: PageContext, channelName: (id: string) => string): ExplanationStyle {
  return {
    time: (iso) => `${when(page, iso)} UTC`,
    code: (text) => page.t('panel.why.quoted', { text }),
    channel: (id) => `#${channelName(id)}`,
    text: (value) => value,
  };
}

/** The link from a document (delivery log, preview) to the "why" page for it. */
export function whyLink(page: PageContext, guildId: string, documentId: string): SafeHtml {
  return html`<a class="why" href="/guilds/${guildId}/why?document=${encodeURIComponent(documentId)}"
    >${page.t('panel.why.link')}<span class="vh"> ${documentId}</span></a
  >`;
}

/**
 * "Why was it (not) posted?": a GET form for a document id (works without script), then one row per
 * digest of the server with the answer in the page's language and a link to the delivery.
 */
export function whyView(
  page: PageContext,
  guildId: string,
  documentId: string,
  result: WhyResult,
  channelName: (id: string) => string,
): SafeHtml {
  const { t } = page;
  const form = html`<form class="why" method="get" action="/guilds/${guildId}/why">
    <label for="why-document">${t('panel.why.document')}</label>
    <input
      id="why-document"
      name="document"
      required
      maxlength="200"
      value="${documentId}"
      aria-describedby="why-document-help"
    />
    <p class="help" id="why-document-help">${t('panel.why.help')}</p>
    <button type="submit">${t('panel.why.button')}</button>
  </form>`;
  if (result.kind === 'none') return form;
  if (result.kind === 'error')
    return html`${form}
      <p class="flash error" role="alert">${result.message}</p>`;
  if (result.rows.length === 0)
    return html`${form}
      <p>${t('panel.why.none')}</p>`;
  const style = panelStyle(page, channelName);
  return html`${form}
    <div class="scroll">
      <table class="why">
        <caption>
          ${t('panel.why.caption', { id: result.documentId })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('panel.why.digest')}</th>
            <th scope="col">${t('panel.why.answer')}</th>
          </tr>
        </thead>
        <tbody>
          ${result.rows.map(
            (r) =>
              html`<tr data-outcome="${r.answer.outcome}">
                <th scope="row">#${r.subscriptionId} · #${r.channelName}</th>
                <td>
                  ${explanationSentence(r.answer.explanation, t, style)}
                  ${
                    r.deliveryHref
                      ? html` <a href="${r.deliveryHref}"
                          >${t('panel.why.delivery', { id: r.answer.deliveryId ?? 0 })}</a
                        >`
                      : html``
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}
