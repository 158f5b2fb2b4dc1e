/** A request the panel refuses, with its HTTP status: rendered as JSON under /api, as a page elsewhere. */
export class PanelError extends Error {
  override readonly name = 'PanelError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409,
    /** Machine-readable: `bad-request`, `unauthorized`, `forbidden`, `not-found`, or a UserError code. */
    readonly code: string,
    message: string,
    /** The request field at fault (400). */
    readonly field?: string,
  ) {
    super(message);
  }
}

export const unauthorized = () => new PanelError(401, 'unauthorized', 'Sign in first: GET /login.');
export const forbidden = (message = 'You may not manage this server.') =>
  new PanelError(403, 'forbidden', message);
export const notFound = (message: string) => new PanelError(404, 'not-found', message);
