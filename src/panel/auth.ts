import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { PanelError } from './errors.js';
import type { PanelDeps } from './server.js';

/** Sign-in attempts per address and minute, on /login and /auth/callback. */
const SIGN_IN_LIMIT = { max: 20, timeWindow: '1 minute' } as const;

/**
 * Sign-in with Discord (OAuth2 authorization code, scopes `identify guilds`): /login sends the
 * browser to Discord with a random `state` kept in the session; /auth/callback accepts only that
 * state, exchanges the code and starts the session; POST /logout (CSRF-checked) ends it.
 */
export function registerAuth(app: FastifyInstance, deps: PanelDeps): void {
  app.get('/login', { config: { rateLimit: SIGN_IN_LIMIT } }, async (request, reply) => {
    const state = randomBytes(24).toString('base64url');
    request.session.set('oauthState', state);
    return reply.redirect(deps.oauth.authorizeUrl(state));
  });

  app.get<{ Querystring: { state?: string; code?: string; error?: string } }>(
    '/auth/callback',
    { config: { rateLimit: SIGN_IN_LIMIT } },
    async (request, reply) => {
      const expected = request.session.get('oauthState');
      request.session.set('oauthState', undefined);
      const { state, code, error } = request.query;
      // A state we did not issue to this browser: a forged or replayed sign-in. No session.
      if (!expected || typeof state !== 'string' || state !== expected)
        throw new PanelError(
          403,
          'bad-state',
          'This sign-in was not started here (its state does not match). Sign in again.',
        );
      if (error !== undefined || typeof code !== 'string' || code === '')
        throw new PanelError(400, 'sign-in-refused', 'Discord did not sign you in. Sign in again.', 'code');
      const token = await deps.oauth.exchange(code);
      const user = await deps.oauth.user(token.accessToken);
      // A fresh session (and CSRF secret) for the signed-in user.
      request.session.regenerate();
      request.session.set('signedIn', { user, accessToken: token.accessToken, expiresAt: token.expiresAt });
      deps.logger.info({ user: user.id }, 'panel: signed in');
      return reply.redirect('/', 303);
    },
  );

  app.post('/logout', { preHandler: app.csrfProtection.bind(app) }, async (request, reply) => {
    request.session.delete();
    return reply.redirect('/', 303);
  });
}
