import { hkdfSync } from 'node:crypto';
import type {} from '@fastify/secure-session';
import type { FastifyRequest } from 'fastify';
import { unauthorized } from './errors.js';

/** What a signed-in session holds, sealed in its cookie (any process with the secret can read it). */
export interface SignedIn {
  readonly user: { readonly id: string; readonly username: string };
  /** The user's OAuth2 token, to ask Discord what they may manage (never sent to the browser). */
  readonly accessToken: string;
  /** Epoch ms after which Discord no longer honours the token: the session ends then. */
  readonly expiresAt: number;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    signedIn: SignedIn;
    /** The `state` of the sign-in in progress. */
    oauthState: string;
    /** A one-time notice shown on the next page (after a form's redirect). */
    flash: { readonly kind: 'ok' | 'error'; readonly text: string };
    _csrf: string;
  }
}

/** The 32-byte key that seals session cookies, derived from PANEL_SESSION_SECRET. */
export function sessionKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'migration-news-bot', 'panel session cookie', 32));
}

/** The signed-in user of this request, or 401. */
export function requireSignedIn(request: FastifyRequest, now = Date.now()): SignedIn {
  const signedIn = request.session.get('signedIn');
  if (!signedIn || signedIn.expiresAt <= now) throw unauthorized();
  return signedIn;
}
