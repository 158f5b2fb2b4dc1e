/**
 * The contract between the connectors (feed, iom, reliefweb, article pages) and the polite HTTP
 * client that fetches for them. Connectors only ever see this interface, so the bot and the tests
 * use the same connectors over the same client, pointed at the real web or at a loopback server.
 */

/** One request. `etag` / `lastModified` are sent back as If-None-Match / If-Modified-Since. */
export interface WebRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  /** Extra request headers (e.g. Accept, Content-Type for a POST). */
  readonly headers?: Readonly<Record<string, string>>;
  /** A POST body (JSON text). */
  readonly body?: string;
  readonly etag?: string | null;
  readonly lastModified?: string | null;
}

/** A fetched body (decompressed, decoded as UTF-8 unless the charset says otherwise). */
export interface WebPage {
  readonly kind: 'ok';
  /** The URL after redirects. */
  readonly url: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

/** The server said 304: nothing changed since the validators we sent. */
export interface WebNotModified {
  readonly kind: 'not-modified';
  readonly url: string;
}

export type WebResponse = WebPage | WebNotModified;

/** Why a fetch failed; each kind gets its own message a user can act on. */
export type WebFailureKind =
  | 'http' // any other non-2xx status
  | 'rate-limited' // 429 or 503, with retryAfterMs when the server said
  | 'timeout'
  | 'too-large' // body over the size cap: refused, not read
  | 'too-many-redirects'
  | 'bad-url' // not http(s), or unparsable
  | 'robots' // disallowed by robots.txt
  | 'forbidden-address' // a non-public address the operator did not allow (FETCH_ALLOW_NETWORKS)
  | 'network'; // DNS, refused connection, reset

export class WebError extends Error {
  override readonly name = 'WebError';
  constructor(
    readonly kind: WebFailureKind,
    message: string,
    readonly url: string,
    readonly status: number | null = null,
    /** From Retry-After on 429/503, in milliseconds. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** Fetches politely (see politeClient.ts); throws WebError, never anything else, on failure. */
export interface WebClient {
  fetch(request: WebRequest): Promise<WebResponse>;
}
