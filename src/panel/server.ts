import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySecureSession from '@fastify/secure-session';
import type { Client } from 'discord.js';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import type { Config, PanelConfig } from '../config.js';
import { UserError } from '../core/errors.js';
import type { Library } from '../core/library.js';
import type { DigestService } from '../digests/service.js';
import type { SourcesView } from '../sources/sourcesView.js';
import type { Store } from '../store/store.js';
import { registerApi } from './api.js';
import { registerAuth } from './auth.js';
import { DiscordOAuth, DiscordOAuthError } from './discordOAuth.js';
import { PanelError } from './errors.js';
import { fieldOf } from './digestsPort.js';
import { registerPages, renderErrorPage } from './pages.js';
import { GuildAccess } from './permissions.js';
import { sessionKey } from './session.js';
import { userErrorMessage } from '../discord/dispatch.js';

/** What the panel runs on: the app's own store, digests, sources and Discord client. */
export interface PanelDeps {
  readonly config: Config;
  readonly panel: PanelConfig;
  readonly logger: Logger;
  readonly store: Store;
  readonly digests: DigestService;
  readonly sources: SourcesView | undefined;
  readonly client: Client;
  /** The languages the library holds now (a count per tag, no scan), offered by the digest form. */
  readonly library: Pick<Library, 'languages'>;
  readonly oauth: DiscordOAuth;
  readonly access: GuildAccess;
}

export interface PanelServer {
  /** Where it listens (`http://127.0.0.1:8090`). */
  readonly address: string;
  close(): Promise<void>;
}

/** Seven days: as long as Discord's access token lives. */
const SESSION_SECONDS = 7 * 24 * 3600;

/**
 * Builds the panel's Fastify instance: security headers (CSP without inline script, no framing),
 * a sealed session cookie, CSRF tokens, sign-in rate limits, then sign-in, the JSON API and pages.
 */
export async function buildPanel(deps: Omit<PanelDeps, 'oauth' | 'access'>): Promise<FastifyInstance> {
  const { panel, config } = deps;
  const oauth = new DiscordOAuth(panel, config.discordApiBase, config.discordToken ?? '');
  const full: PanelDeps = { ...deps, oauth, access: new GuildAccess(oauth) };
  const log: FastifyBaseLogger = deps.logger.child({ component: 'panel' });
  // Request lines are not logged: /auth/callback's carries a sign-in code.
  const app = Fastify({
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    trustProxy: false,
  });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: panel.secureCookies ? undefined : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifySecureSession, {
    key: sessionKey(panel.sessionSecret),
    cookieName: 'mnb_session',
    cookie: {
      path: '/',
      httpOnly: true,
      secure: panel.secureCookies,
      sameSite: 'lax',
      maxAge: SESSION_SECONDS,
    },
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/secure-session',
    // Only our header or the form's hidden field, nothing else a request could carry.
    getToken: (request) =>
      (request.body as { _csrf?: string } | undefined)?._csrf ??
      (request.headers['x-csrf-token'] as string | undefined),
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  app.setErrorHandler((error, request, reply) => handleError(full, error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    handleError(
      full,
      new PanelError(404, 'not-found', `Nothing at ${request.method} ${request.url.split('?')[0]}.`),
      request,
      reply,
    ),
  );
  registerAuth(app, full);
  registerApi(app, full);
  registerPages(app, full);
  return app;
}

/** Builds and starts the panel on PANEL_HOST:PANEL_PORT; says where in the log. */
export async function startPanel(deps: Omit<PanelDeps, 'oauth' | 'access'>): Promise<PanelServer> {
  const app = await buildPanel(deps);
  const address = await app.listen({ host: deps.panel.host, port: deps.panel.port });
  deps.logger.info({ address, panelUrl: deps.panel.url }, 'serving the web panel');
  return { address, close: () => app.close() };
}

/** The one catch point: JSON `{ error, message }` under /api, a page elsewhere; bugs logged, 500. */
async function handleError(
  deps: PanelDeps,
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const known = toPanelError(error);
  if (!known) {
    const rateLimited = (error as { statusCode?: number }).statusCode === 429;
    if (!rateLimited)
      deps.logger.error({ err: error, route: request.routeOptions.url }, 'panel: request failed');
    const status = rateLimited ? 429 : 500;
    const body = rateLimited
      ? { error: 'rate-limited', message: 'Too many sign-in attempts; wait a minute.' }
      : { error: 'internal', message: 'Something went wrong on our side; it was logged.' };
    return respond(deps, request, reply, status, body);
  }
  if (known.status === 401 && !request.url.startsWith('/api/') && request.method === 'GET')
    return reply.redirect('/', 303);
  const body = { error: known.code, message: known.message, ...(known.field ? { field: known.field } : {}) };
  return respond(deps, request, reply, known.status, body);
}

async function respond(
  deps: PanelDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  body: { error: string; message: string },
): Promise<FastifyReply> {
  if (request.url.startsWith('/api/')) return reply.code(status).send(body);
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(await renderErrorPage(deps, request, status, body.message));
}

/** The UserErrors that mean "no such thing here": 404, not 400. */
const NOT_FOUND_CODES: ReadonlySet<string> = new Set(['unknown-subscription', 'unknown-document']);

function toPanelError(error: unknown): PanelError | undefined {
  if (error instanceof PanelError) return error;
  if (error instanceof UserError)
    return NOT_FOUND_CODES.has(error.code)
      ? new PanelError(404, error.code, userErrorMessage(error, 'en'))
      : new PanelError(400, error.code, userErrorMessage(error, 'en'), fieldOf(error));
  if (error instanceof DiscordOAuthError)
    return error.status === 401
      ? new PanelError(401, 'unauthorized', 'Discord no longer accepts this sign-in. Sign in again.')
      : undefined;
  const code = (error as { code?: string }).code;
  if (code === 'FST_CSRF_MISSING_SECRET' || code === 'FST_CSRF_INVALID_TOKEN')
    return new PanelError(403, 'csrf', 'Missing or wrong CSRF token: send x-csrf-token from GET /api/me.');
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 400 || status === 413 || status === 415)
    return new PanelError(400, 'bad-request', (error as Error).message, 'body');
  return undefined;
}
