import type { PanelGuild } from '../permissions.js';
import { html, type SafeHtml } from './html.js';
import type { PageContext } from './layout.js';

/** Signed out: what the panel is for and the sign-in link. */
export function signedOutView(page: PageContext): SafeHtml {
  return html`<p>${page.t('panel.home.signedOutText')}</p>
    <p><a class="button" href="/login">${page.t('panel.nav.signIn')}</a></p>`;
}

/** The servers the user manages (those they cannot manage are not listed). */
export function serversView(page: PageContext, guilds: readonly PanelGuild[]): SafeHtml {
  const managed = guilds.filter((g) => g.canManage);
  if (managed.length === 0) return html`<p>${page.t('panel.home.none')}</p>`;
  return html`<ul class="servers">
    ${managed.map((g) => html`<li><a href="/guilds/${g.id}">${g.name}</a></li>`)}
  </ul>`;
}

/** An error page's content: what went wrong and the way back. */
export function errorView(page: PageContext, message: string): SafeHtml {
  return html`<p>${message}</p>
    <p><a href="/">${page.t('panel.error.back')}</a></p>`;
}
