import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UserError } from '../core/errors.js';
import { userErrorMessage } from '../discord/dispatch.js';
import { translator } from '../i18n/translate.js';
import { guildOf, whyQuery } from './api.js';
import { PANEL_CSS, PANEL_JS } from './assets.js';
import { parseSubscriptionFields, wholeNumber, type GuildDigests } from './digestsPort.js';
import { PanelError } from './errors.js';
import { pageLanguage } from './language.js';
import type { PanelDeps } from './server.js';
import { digestForm, digestsView, previewItems, previewView, type Choices } from './views/digests.js';
import { errorView, serversView, signedOutView } from './views/home.js';
import { html, type SafeHtml } from './views/html.js';
import { layout, type PageContext } from './views/layout.js';
import { deliveriesView, sourcesView } from './views/logs.js';
import { whyView, type WhyResult, type WhyRow } from './views/why.js';

interface GuildRoute {
  Params: { guild: string; id?: string; action?: string };
  Querystring: { page?: string; query?: string; document?: string; subscription?: string };
}
type GuildRequest = FastifyRequest<GuildRoute>;

/** What a server's page renders from: the request, its context, the server's digests. */
interface GuildPageInput {
  readonly deps: PanelDeps;
  readonly request: GuildRequest;
  readonly page: PageContext;
  readonly digests: GuildDigests;
}

/**
 * A server's pages, in navigation order: adding one is an entry here, its view, and its catalog
 * key `panel.nav.<name>`.
 */
const GUILD_PAGES: readonly {
  readonly name: string;
  readonly path: string;
  readonly render: (input: GuildPageInput) => Promise<{ title: string; content: SafeHtml }>;
}[] = [
  { name: 'digests', path: '', render: digestsPage },
  { name: 'deliveries', path: '/deliveries', render: deliveriesPage },
  { name: 'sources', path: '/sources', render: sourcesPage },
  { name: 'why', path: '/why', render: whyPage },
];

/** What the digest form offers: the server's channels and roles, and the library's languages. */
async function formChoices(deps: PanelDeps, digests: GuildDigests): Promise<Choices> {
  return { ...(await digests.choices()), languages: deps.library.languages };
}

async function digestsPage({ deps, page, digests }: GuildPageInput) {
  const [subs, choices] = await Promise.all([digests.list(), formChoices(deps, digests)]);
  return { title: page.t('panel.nav.digests'), content: digestsView(page, digests.guildId, subs, choices) };
}

async function deliveriesPage({ page, digests, request }: GuildPageInput) {
  const [log, choices] = await Promise.all([
    digests.deliveries(wholeNumber(request.query.page, 'page', 1)),
    digests.choices(),
  ]);
  const channelName = (id: string) => choices.channels.find((c) => c.id === id)?.name ?? id;
  return {
    title: page.t('panel.nav.deliveries'),
    content: deliveriesView(page, digests.guildId, log, channelName),
  };
}

async function sourcesPage({ page, deps }: GuildPageInput) {
  return {
    title: page.t('panel.nav.sources'),
    content: sourcesView(page, (await deps.sources?.list()) ?? []),
  };
}

/** The "why" page: the form alone, or with the answer for the document asked (`?document=`). */
async function whyPage({ page, digests, request }: GuildPageInput) {
  const title = page.t('panel.nav.why');
  const asked = request.query.document?.trim() ?? '';
  const choices = await digests.choices();
  const channelName = (id: string) => choices.channels.find((c) => c.id === id)?.name ?? id;
  if (asked === '')
    return { title, content: whyView(page, digests.guildId, '', { kind: 'none' }, channelName) };
  const { document, subscription } = whyQuery(request.query);
  let result: WhyResult;
  try {
    const rows = await whyRows(digests, channelName, document, subscription);
    result = { kind: 'answer', documentId: document, rows };
  } catch (error) {
    // An unknown id is a typo to correct in the form, not an error page.
    if (!(error instanceof UserError)) throw error;
    result = { kind: 'error', message: userErrorMessage(error, page.lang) };
  }
  return { title, content: whyView(page, digests.guildId, document, result, channelName) };
}

/** Each digest's answer with its channel's name and, when a digest carried it, its place in the log. */
async function whyRows(
  digests: GuildDigests,
  channelName: (id: string) => string,
  document: string,
  subscription?: number,
): Promise<WhyRow[]> {
  const [answer, subs] = await Promise.all([digests.why(document, subscription), digests.list()]);
  const channelOf = new Map(subs.map((s) => [s.id, s.channelId]));
  return Promise.all(
    answer.results.map(async (r) => ({
      subscriptionId: r.subscriptionId,
      channelName: channelName(channelOf.get(r.subscriptionId) ?? '—'),
      answer: r,
      deliveryHref:
        r.deliveryId === undefined
          ? undefined
          : `/guilds/${digests.guildId}/deliveries?page=${await digests.deliveryPage(r.deliveryId)}#delivery-${r.deliveryId}`,
    })),
  );
}

/** The context of a page: language (browser, else the server's setting), user, CSRF token, notice. */
async function pageContext(
  deps: PanelDeps,
  request: FastifyRequest,
  reply: FastifyReply | undefined,
  guildId?: string,
): Promise<PageContext> {
  const guildLanguage = guildId ? await deps.store.guildSettings.language(guildId) : null;
  const lang = pageLanguage(request, guildLanguage, deps.config.botLanguage);
  const signedIn = request.session.get('signedIn');
  const flash = request.session.get('flash');
  if (flash) request.session.set('flash', undefined);
  return { t: translator(lang), lang, user: signedIn?.user, csrfToken: reply?.generateCsrf(), flash };
}

const sendPage = (reply: FastifyReply, body: string) => reply.type('text/html; charset=utf-8').send(body);

/** The error page (401 and 403 included), in the browser's language. */
export async function renderErrorPage(
  deps: PanelDeps,
  request: FastifyRequest,
  status: number,
  message: string,
) {
  const page = await pageContext(deps, request, undefined);
  return layout(
    { ...page, csrfToken: undefined, user: undefined },
    page.t('panel.error.title', { status }),
    errorView(page, message),
  );
}

/** Server-rendered pages and the no-JS forms; every form carries the session's CSRF token. */
export function registerPages(app: FastifyInstance, deps: PanelDeps): void {
  app.get('/static/panel.css', (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PANEL_CSS),
  );
  app.get('/static/panel.js', (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(PANEL_JS),
  );

  app.get('/', async (request, reply) => {
    const page = await pageContext(deps, request, reply);
    const signedIn = request.session.get('signedIn');
    if (!signedIn || signedIn.expiresAt <= Date.now())
      return sendPage(
        reply,
        layout({ ...page, user: undefined }, page.t('panel.home.signedOutTitle'), signedOutView(page)),
      );
    const guilds = await deps.access.guilds(signedIn.accessToken);
    return sendPage(reply, layout(page, page.t('panel.home.title'), serversView(page, guilds)));
  });

  for (const entry of GUILD_PAGES) {
    app.get<GuildRoute>(`/guilds/:guild${entry.path}`, async (request, reply) => {
      const { digests } = await guildOf(deps, request);
      const page = await guildPageContext(deps, request, reply, entry.name);
      const { title, content } = await entry.render({ deps, request, page, digests });
      return sendPage(reply, layout(page, title, content));
    });
  }

  app.get<GuildRoute>('/guilds/:guild/digests/:id', async (request, reply) => {
    const { digests } = await guildOf(deps, request);
    const id = wholeNumber(request.params.id, 'id');
    const [s, choices] = await Promise.all([digests.get(id), formChoices(deps, digests)]);
    const page = await guildPageContext(deps, request, reply, 'digests');
    const base = `/guilds/${digests.guildId}/digests/${id}`;
    const query = request.query.query ?? '';
    const items = await digests.preview(id, query || undefined);
    const content = [
      digestForm(page, base, s, choices),
      previewView(page, digests.guildId, base, query, items),
    ];
    return sendPage(reply, layout(page, page.t('panel.digests.editTitle', { id }), html`${content}`));
  });

  // The preview's list alone, for panel.js to swap in as the topic is typed.
  app.get<GuildRoute>('/guilds/:guild/digests/:id/preview', async (request, reply) => {
    const { digests } = await guildOf(deps, request);
    const page = await pageContext(deps, request, undefined, digests.guildId);
    const items = await digests.preview(
      wholeNumber(request.params.id, 'id'),
      request.query.query || undefined,
    );
    return sendPage(reply, previewItems(page, digests.guildId, items).text);
  });

  registerForms(app, deps);
}

async function guildPageContext(
  deps: PanelDeps,
  request: GuildRequest,
  reply: FastifyReply,
  current: string,
) {
  const page = await pageContext(deps, request, reply, request.params.guild);
  const nav = GUILD_PAGES.map((p) => ({
    href: `/guilds/${request.params.guild}${p.path}`,
    label: page.t(`panel.nav.${p.name}`),
    current: p.name === current,
  }));
  return { ...page, nav };
}

/** The forms' POSTs: each changes through the same calls as the API, then redirects back with a notice. */
function registerForms(app: FastifyInstance, deps: PanelDeps): void {
  const csrf = { preHandler: app.csrfProtection.bind(app) };
  const back = (request: GuildRequest) => `/guilds/${request.params.guild}`;

  const handle =
    (work: (digests: GuildDigests, request: GuildRequest, t: PageContext['t']) => Promise<string>) =>
    async (request: GuildRequest, reply: FastifyReply) => {
      const { digests } = await guildOf(deps, request);
      const page = await pageContext(deps, request, undefined, digests.guildId);
      try {
        request.session.set('flash', { kind: 'ok', text: await work(digests, request, page.t) });
      } catch (error) {
        if (!(error instanceof UserError) && !(error instanceof PanelError && error.status === 400))
          throw error;
        const text = error instanceof UserError ? userErrorMessage(error, page.lang) : error.message;
        request.session.set('flash', { kind: 'error', text });
      }
      return reply.redirect(back(request), 303);
    };

  app.post<GuildRoute>(
    '/guilds/:guild/digests',
    csrf,
    handle(async (digests, request, t) => {
      const signedIn = request.session.get('signedIn')!;
      const s = await digests.create(parseSubscriptionFields(request.body), signedIn.user.id);
      return t('panel.flash.created', { id: s.id });
    }),
  );

  app.post<GuildRoute>(
    '/guilds/:guild/digests/:id',
    csrf,
    handle(async (digests, request, t) => {
      const s = await digests.update(
        wholeNumber(request.params.id, 'id'),
        parseSubscriptionFields(request.body),
      );
      return t('panel.flash.updated', { id: s.id });
    }),
  );

  app.post<GuildRoute>(
    '/guilds/:guild/digests/:id/:action',
    csrf,
    handle(async (digests, request, t) => {
      const id = wholeNumber(request.params.id, 'id');
      switch (request.params.action) {
        case 'pause':
        case 'resume':
          await digests.setStatus(id, request.params.action === 'pause' ? 'paused' : 'active');
          return t(`panel.flash.${request.params.action}d`, { id });
        case 'remove':
          await digests.remove(id);
          return t('panel.flash.removed', { id });
        case 'send': {
          const outcome = await digests.send(id);
          if (outcome.kind === 'delivered')
            return t('panel.flash.sent.delivered', { id, items: outcome.items });
          if (outcome.kind === 'nothing-new') return t('panel.flash.sent.nothingNew', { id });
          return t('panel.flash.sent.other', {
            id,
            reason: 'reason' in outcome ? outcome.reason : outcome.kind,
          });
        }
        default:
          throw new PanelError(404, 'not-found', `No action ${request.params.action}.`);
      }
    }),
  );
}
