import type { SourceStatus } from '../../sources/sourcesView.js';
import type { ApiDelivery } from '../digestsPort.js';
import { html, type SafeHtml } from './html.js';
import { when, type PageContext } from './layout.js';
import { whyLink } from './why.js';

/** The delivery log, newest first, one page of it, with links to the newer and older pages. */
export function deliveriesView(
  page: PageContext,
  guildId: string,
  log: { deliveries: readonly ApiDelivery[]; page: number; pages: number },
  channelName: (id: string) => string,
): SafeHtml {
  const { t } = page;
  if (log.deliveries.length === 0) return html`<p>${t('panel.deliveries.none')}</p>`;
  const link = (n: number, label: string, rel: string) =>
    html`<a rel="${rel}" href="/guilds/${guildId}/deliveries?page=${n}">${label}</a>`;
  return html`<div class="scroll">
      <table>
        <caption>
          ${t('panel.deliveries.page', { page: log.page, pages: log.pages })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('panel.deliveries.when')}</th>
            <th scope="col">${t('panel.deliveries.subscription')}</th>
            <th scope="col">${t('panel.deliveries.status')}</th>
            <th scope="col">${t('panel.deliveries.items')}</th>
            <th scope="col">${t('panel.deliveries.messages')}</th>
            <th scope="col">${t('panel.deliveries.finished')}</th>
          </tr>
        </thead>
        <tbody>
          ${log.deliveries.map(
            (d) =>
              html`<tr id="delivery-${d.id}">
                <td>${when(page, d.startedAt)}</td>
                <td>#${d.subscriptionId} · #${channelName(d.channelId)}</td>
                <td>
                  <span class="status ${d.status}">${t(`panel.deliveries.${d.status}`)}</span
                  >${d.error ? html` ${d.error}` : html``}
                </td>
                <td>
                  ${
                    d.documentIds.length
                      ? html`<details>
                          <summary>${d.documentIds.length}</summary>
                          <ul>
                            ${d.documentIds.map((id) => html`<li><code>${id}</code> ${whyLink(page, guildId, id)}</li>`)}
                          </ul>
                        </details>`
                      : '0'
                  }
                </td>
                <td>${d.messageIds.length}</td>
                <td>${when(page, d.finishedAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <nav class="pager" aria-label="${t('panel.deliveries.pages')}">
      ${log.page > 1 ? link(log.page - 1, t('panel.deliveries.previous'), 'prev') : html``}
      ${log.page < log.pages ? link(log.page + 1, t('panel.deliveries.next'), 'next') : html``}
    </nav>`;
}

/** The live sources and how each is doing. */
export function sourcesView(page: PageContext, sources: readonly SourceStatus[]): SafeHtml {
  const { t } = page;
  if (sources.length === 0) return html`<p>${t('panel.sources.none')}</p>`;
  return html`<div class="scroll">
    <table>
      <thead>
        <tr>
          <th scope="col">${t('panel.sources.name')}</th>
          <th scope="col">${t('panel.sources.health')}</th>
          <th scope="col">${t('panel.sources.lastFetched')}</th>
          <th scope="col">${t('panel.sources.documents')}</th>
          <th scope="col">${t('panel.sources.lastError')}</th>
        </tr>
      </thead>
      <tbody>
        ${sources.map(
          (s) =>
            html`<tr>
              <th scope="row">${s.name}</th>
              <td><span class="status ${s.status}">${t(`panel.sources.status.${s.status}`)}</span></td>
              <td>${s.lastFetchedAt ? when(page, s.lastFetchedAt) : t('panel.sources.never')}</td>
              <td>${s.documents}</td>
              <td>${s.lastError ?? '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
