import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GuildDigests, apiSubscription, parseSubscriptionFields, wholeNumber } from './digestsPort.js';
import { PanelError } from './errors.js';
import type { PanelDeps } from './server.js';
import { requireSignedIn, type SignedIn } from './session.js';

interface GuildRoute {
  Params: { guild: string; id?: string };
  Querystring: { page?: string; query?: string; document?: string; subscription?: string };
}
type GuildRequest = FastifyRequest<GuildRoute>;

/** The signed-in user and the server they may manage (re-checked with Discord, ≤ 60 s old), or 401/403/404. */
export async function guildOf(
  deps: PanelDeps,
  request: FastifyRequest<{ Params: { guild: string } }>,
): Promise<{ signedIn: SignedIn; digests: GuildDigests }> {
  const signedIn = requireSignedIn(request);
  const guildId = request.params.guild;
  if (!/^\d{1,20}$/.test(guildId))
    throw new PanelError(400, 'bad-request', 'guild: must be a server id', 'guild');
  await deps.access.require(signedIn.accessToken, guildId);
  return { signedIn, digests: new GuildDigests(deps.digests, deps.client, guildId) };
}

/**
 * The JSON API under /api (shapes in docs/panel.md; fields are only ever added). Every state-changing
 * request needs the session's CSRF token in `x-csrf-token`.
 */
export function registerApi(app: FastifyInstance, deps: PanelDeps): void {
  const csrf = { preHandler: app.csrfProtection.bind(app) };
  const sub = '/api/guilds/:guild/subscriptions';
  const id = (request: GuildRequest) => wholeNumber(request.params.id, 'id');

  app.get('/api/me', async (request, reply) => {
    const signedIn = requireSignedIn(request);
    const guilds = await deps.access.guilds(signedIn.accessToken);
    return { user: signedIn.user, guilds, csrfToken: reply.generateCsrf() };
  });

  app.get<GuildRoute>(sub, async (request) => {
    const { digests } = await guildOf(deps, request);
    return { subscriptions: (await digests.list()).map(apiSubscription) };
  });

  app.post<GuildRoute>(sub, csrf, async (request, reply) => {
    const { digests, signedIn } = await guildOf(deps, request);
    const created = await digests.create(parseSubscriptionFields(request.body), signedIn.user.id);
    return reply.code(201).send(apiSubscription(created));
  });

  app.patch<GuildRoute>(`${sub}/:id`, csrf, async (request) => {
    const { digests } = await guildOf(deps, request);
    const subscriptionId = id(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { status, ...fields } = body;
    if (status !== undefined && status !== 'active' && status !== 'paused')
      throw new PanelError(400, 'bad-request', 'status: must be "active" or "paused"', 'status');
    let view = await digests.get(subscriptionId);
    if (Object.keys(fields).length > 0) {
      const current = apiSubscription(view);
      view = await digests.update(subscriptionId, parseSubscriptionFields({ ...current, ...fields }));
    }
    if (status !== undefined && status !== view.status)
      view = await digests.setStatus(subscriptionId, status);
    return apiSubscription(view);
  });

  app.delete<GuildRoute>(`${sub}/:id`, csrf, async (request, reply) => {
    const { digests } = await guildOf(deps, request);
    await digests.remove(id(request));
    return reply.code(204).send();
  });

  app.post<GuildRoute>(`${sub}/:id/send`, csrf, async (request) => {
    const { digests } = await guildOf(deps, request);
    const subscriptionId = id(request);
    const outcome = await digests.send(subscriptionId);
    return { outcome, subscription: apiSubscription(await digests.get(subscriptionId)) };
  });

  app.get<GuildRoute>(`${sub}/:id/preview`, async (request) => {
    const { digests } = await guildOf(deps, request);
    return { items: await digests.preview(id(request), request.query.query) };
  });

  app.get<GuildRoute>('/api/guilds/:guild/deliveries', async (request) => {
    const { digests } = await guildOf(deps, request);
    return digests.deliveries(wholeNumber(request.query.page, 'page', 1));
  });

  app.get<GuildRoute>('/api/guilds/:guild/why', async (request) => {
    const { digests } = await guildOf(deps, request);
    const { document, subscription } = whyQuery(request.query);
    return digests.why(document, subscription);
  });
}

/**
 * The `document` (required) and `subscription` (optional) of a "why" request, or 400 naming the
 * one at fault. An id is what `/search` and the delivery log show: at most 200 characters.
 */
export function whyQuery(query: { document?: string; subscription?: string }): {
  document: string;
  subscription: number | undefined;
} {
  const document = typeof query.document === 'string' ? query.document.trim() : '';
  if (document === '' || document.length > 200)
    throw new PanelError(
      400,
      'bad-request',
      'document: must be a document id (1 to 200 characters)',
      'document',
    );
  const subscription =
    query.subscription === undefined || query.subscription === ''
      ? undefined
      : wholeNumber(query.subscription, 'subscription');
  return { document, subscription };
}
