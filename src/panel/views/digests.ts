import { cronShape } from '../../core/cronWords.js';
import type { SubscriptionView } from '../../digests/service.js';
import { upcomingRuns } from '../../digests/schedule.js';
import { languageNameIn } from '../../i18n/translate.js';
import { html, type SafeHtml } from './html.js';
import { csrfField, when, type PageContext } from './layout.js';
import { whyLink } from './why.js';

/** Channels and roles by id, for names in lists and choices in forms, and the library's languages. */
export interface Choices {
  readonly channels: readonly { readonly id: string; readonly name: string }[];
  readonly roles: readonly { readonly id: string; readonly name: string }[];
  /** Language tags the library holds documents in, sorted. */
  readonly languages: readonly string[];
}

/** A language tag named in the page's language (Intl.DisplayNames), with the tag: "French (fr)". */
const languageName = (page: PageContext, tag: string) => `${languageNameIn(page.lang, tag)} (${tag})`;

const two = (n: number) => String(n).padStart(2, '0');

/** The schedule in words from the catalogs (weekday names from Intl), or undefined for an unusual cron. */
export function scheduleWords(page: PageContext, cron: string): string | undefined {
  const shape = cronShape(cron);
  if (!shape) return undefined;
  if (shape.kind === 'hourly') return page.t('panel.schedule.hourly', { minute: two(shape.minute) });
  const time = `${two(shape.hour)}:${two(shape.minute)}`;
  if (shape.kind === 'daily') return page.t('panel.schedule.daily', { time });
  // 2023-01-01 was a Sunday: day d of the week is January 1 + d.
  const dayName = (d: number) =>
    new Intl.DateTimeFormat(page.lang, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2023, 0, 1 + d));
  const days = new Intl.ListFormat(page.lang, { type: 'conjunction' }).format(shape.days.map(dayName));
  return page.t('panel.schedule.weekly', { days, time });
}

const nameOf = (list: Choices['channels'], id: string | null) =>
  id ? (list.find((c) => c.id === id)?.name ?? id) : '';

/** A server's digests, each with its actions, then the form that creates one. */
export function digestsView(
  page: PageContext,
  guildId: string,
  subs: readonly SubscriptionView[],
  choices: Choices,
): SafeHtml {
  const { t } = page;
  const list = subs.length
    ? html`<ul class="cards">
        ${subs.map((s) => digestCard(page, guildId, s, choices))}
      </ul>`
    : html`<p>${t('panel.digests.none')}</p>`;
  return html`${list}
    <section aria-labelledby="new-digest">
      <h2 id="new-digest">${t('panel.digests.create')}</h2>
      ${digestForm(page, `/guilds/${guildId}/digests`, undefined, choices)}
    </section>`;
}

function digestCard(page: PageContext, guildId: string, s: SubscriptionView, choices: Choices): SafeHtml {
  const { t } = page;
  const base = `/guilds/${guildId}/digests/${s.id}`;
  const words = scheduleWords(page, s.cron);
  const runs = s.status === 'active' ? upcomingRuns(s.cron, s.timezone, 3) : [];
  const action = (name: string, label: string, danger = false) =>
    html`<form method="post" action="${base}/${name}">
      ${csrfField(page)}<button type="submit" ${danger ? html` class="danger"` : html``}>
        ${label}<span class="vh"> #${s.id}</span>
      </button>
    </form>`;
  return html`<li class="card">
    <h2>${t('panel.digests.id', { id: s.id })} · #${nameOf(choices.channels, s.channelId)}</h2>
    <dl>
      <dt>${t('panel.digests.schedule')}</dt>
      <dd>${words ? html`${words} ` : html``}<code>${s.cron}</code></dd>
      <dt>${t('panel.digests.timezone')}</dt>
      <dd>${s.timezone}</dd>
      <dt>${t('panel.digests.nextRuns')}</dt>
      <dd>
        ${
          runs.length
            ? html`<ul class="runs">
                ${runs.map((r) => html`<li>${when(page, r, s.timezone)}</li>`)}
              </ul>`
            : '—'
        }
      </dd>
      <dt>${t('panel.digests.query')}</dt>
      <dd>${s.query ?? t('panel.digests.everything')}</dd>
      <dt>${t('panel.digests.language')}</dt>
      <dd>${s.language ? languageName(page, s.language) : t('panel.digests.everyLanguage')}</dd>
      <dt>${t('panel.digests.mention')}</dt>
      <dd>
        ${s.mentionRoleId ? `@${nameOf(choices.roles, s.mentionRoleId)}` : t('panel.digests.noMention')}
      </dd>
      <dt>${t('panel.digests.status')}</dt>
      <dd>
        <span class="status ${s.status}">${t(`panel.digests.${s.status}`)}</span
        >${s.pausedReason ? html` ${t('panel.digests.pauseReason', { reason: s.pausedReason })}` : html``}
      </dd>
    </dl>
    <div class="actions">
      <a class="button" href="${base}">${t('panel.digests.edit')}<span class="vh"> #${s.id}</span></a>
      ${s.status === 'active' ? action('pause', t('panel.digests.pause')) : action('resume', t('panel.digests.resume'))}
      ${action('send', t('panel.digests.send'))}${action('remove', t('panel.digests.remove'), true)}
    </div>
  </li>`;
}

/** The create (no subscription) or edit form: the options of /digest subscribe. */
export function digestForm(
  page: PageContext,
  action: string,
  s: SubscriptionView | undefined,
  choices: Choices,
): SafeHtml {
  const { t } = page;
  const key = s ? `edit-${s.id}` : 'new';
  const options = (list: Choices['channels'], selected: string | null, prefix: string) =>
    list.map(
      (c) =>
        html`<option value="${c.id}" ${c.id === selected ? html` selected` : html``}>
          ${prefix}${c.name}
        </option>`,
    );
  return html`<form class="digest" method="post" action="${action}">
    ${csrfField(page)}
    <label for="${key}-channel">${t('panel.digests.channel')}</label>
    <select id="${key}-channel" name="channelId" required>
      ${options(choices.channels, s?.channelId ?? null, '#')}
    </select>
    <label for="${key}-schedule">${t('panel.digests.schedule')}</label>
    <input
      id="${key}-schedule"
      name="schedule"
      required
      maxlength="100"
      value="${s?.cron ?? '0 8 * * *'}"
      aria-describedby="${key}-schedule-help"
    />
    <p class="help" id="${key}-schedule-help">${t('panel.digests.scheduleHelp')}</p>
    <label for="${key}-timezone">${t('panel.digests.timezone')}</label>
    <input id="${key}-timezone" name="timezone" maxlength="100" value="${s?.timezone ?? 'UTC'}" />
    <label for="${key}-query">${t('panel.digests.query')}</label>
    <input id="${key}-query" name="query" maxlength="200" value="${s?.query ?? ''}" />
    <label for="${key}-mention">${t('panel.digests.mention')}</label>
    <select id="${key}-mention" name="mentionRoleId">
      <option value="">${t('panel.digests.noMention')}</option>
      ${options(choices.roles, s?.mentionRoleId ?? null, '@')}
    </select>
    ${languageField(page, key, s?.language ?? null, choices.languages)}
    ${s ? html`` : html`<label for="${key}-backfill">${t('panel.digests.backfill')}</label><input id="${key}-backfill" name="backfill" type="number" min="0" max="25" value="0" />`}
    <button type="submit">${s ? t('panel.digests.save') : t('panel.digests.createButton')}</button>
  </form>`;
}

/**
 * The optional language filter: every language, or one the library holds (the subscription's own
 * stays offered when the library holds none in it now).
 */
function languageField(page: PageContext, key: string, current: string | null, held: readonly string[]) {
  const { t } = page;
  const tags = current === null || held.includes(current) ? held : [...held, current];
  return html`<label for="${key}-language">${t('panel.digests.language')}</label>
    <select id="${key}-language" name="language" aria-describedby="${key}-language-help">
      <option value="">${t('panel.digests.everyLanguage')}</option>
      ${tags.map(
        (tag) =>
          html`<option value="${tag}" ${tag === current ? html` selected` : html``}>
            ${languageName(page, tag)}
          </option>`,
      )}
    </select>
    <p class="help" id="${key}-language-help">${t('panel.digests.languageHelp')}</p>`;
}

/** What the next digest would hold, with a form to try another topic (live with panel.js). */
export function previewView(
  page: PageContext,
  guildId: string,
  action: string,
  query: string,
  items: readonly { documentId: string; title: string; publishedAt: string | null }[],
): SafeHtml {
  const { t } = page;
  return html`<section aria-labelledby="preview">
    <h2 id="preview">${t('panel.preview.title')}</h2>
    <form method="get" action="${action}" data-preview>
      <label for="preview-query">${t('panel.preview.query')}</label>
      <input id="preview-query" name="query" maxlength="200" value="${query}" />
      <button type="submit">${t('panel.preview.button')}</button>
    </form>
    <div id="preview-items" aria-live="polite">${previewItems(page, guildId, items)}</div>
  </section>`;
}

/** The preview's list, each item with a link to why it would (not) be posted. */
export function previewItems(
  page: PageContext,
  guildId: string,
  items: readonly { documentId: string; title: string; publishedAt: string | null }[],
): SafeHtml {
  if (items.length === 0) return html`<p>${page.t('panel.preview.empty')}</p>`;
  return html`<ol class="preview">
    ${items.map((i) => html`<li>${i.title} <span class="muted">(${i.documentId}${i.publishedAt ? html`, ${when(page, i.publishedAt)}` : html``})</span> ${whyLink(page, guildId, i.documentId)}</li>`)}
  </ol>`;
}
