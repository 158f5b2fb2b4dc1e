import type { Language, Translate } from '../../i18n/translate.js';
import { html, type SafeHtml } from './html.js';

/** What every page knows: its language, the user, the CSRF token of its forms, a notice. */
export interface PageContext {
  readonly t: Translate;
  readonly lang: Language;
  readonly csrfToken: string | undefined;
  readonly user: { readonly username: string } | undefined;
  readonly flash?: { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;
  /** Links of the server's pages, the current one marked. */
  readonly nav?: readonly { readonly href: string; readonly label: string; readonly current: boolean }[];
}

const RTL = new Set<Language>(['ar']);

/** The hidden field a no-JS form carries its CSRF token in. */
export const csrfField = (page: PageContext) =>
  html`<input type="hidden" name="_csrf" value="${page.csrfToken}" />`;

/** A date and time in the page's language, in `timeZone` (default UTC), or "—". */
export function when(page: PageContext, iso: string | Date | null, timeZone = 'UTC'): string {
  if (iso === null) return '—';
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(page.lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    date,
  );
}

/** A whole page: skip link, header with sign-out, the server's navigation, a notice, the content. */
export function layout(page: PageContext, title: string, content: SafeHtml): string {
  const { t } = page;
  return html`<!doctype html>
    <html lang="${page.lang}" dir="${RTL.has(page.lang) ? 'rtl' : 'ltr'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${t('panel.title')}</title>
        <link rel="stylesheet" href="/static/panel.css" />
        <script src="/static/panel.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">${t('panel.skip')}</a>
        <header class="top">
          <a class="brand" href="/">${t('panel.title')}</a>
          ${page.user ? signOut(page) : html``}
        </header>
        ${
          page.nav
            ? html`<nav aria-label="${t('panel.nav.label')}">
                <ul class="tabs">
                  ${page.nav.map((n) => html`<li><a href="${n.href}" ${n.current ? html` aria-current="page"` : html``}>${n.label}</a></li>`)}
                </ul>
              </nav>`
            : html``
        }
        <main id="main">
          ${page.flash ? html`<p class="flash ${page.flash.kind}" role="status">${page.flash.text}</p>` : html``}
          <h1>${title}</h1>
          ${content}
        </main>
      </body>
    </html>`.text;
}

function signOut(page: PageContext): SafeHtml {
  return html`<form class="signout" method="post" action="/logout">
    ${csrfField(page)}<span>${page.t('panel.home.signedInAs', { name: page.user!.username })}</span>
    <button type="submit">${page.t('panel.nav.signOut')}</button>
  </form>`;
}
