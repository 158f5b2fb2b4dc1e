import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { BotMetrics } from './metrics.js';

export interface OpsServerOptions {
  /** Address to listen on (`0.0.0.0`, `127.0.0.1`, `::`). */
  readonly host: string;
  /** TCP port; 0 picks a free one (tests), read it back from {@link OpsServer.port}. */
  readonly port: number;
  readonly metrics: Pick<BotMetrics, 'scrape'>;
  /**
   * Why the process is not ready to serve yet (`index loading`, `Discord shard 0: Reconnecting`), or
   * undefined once it is. Asked on every `/healthz`.
   */
  readonly whyNotReady: () => string | undefined;
  readonly logger?: Logger | undefined;
}

export interface OpsServer {
  /** `http://host:port`, for logs and tests. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends open connections (a scrape in flight gets a second to finish). */
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';
/** How long close() lets a scrape in flight finish before cutting its connection. */
const CLOSE_GRACE_MS = 1_000;

/**
 * The health and metrics endpoints of one bot process, on node:http:
 * `GET /healthz` answers 200 `ok` once ready, else 503 with the reason; `GET /metrics` answers the
 * Prometheus text format. HEAD is accepted like GET, other methods get 405, other paths 404.
 * Resolves once listening; rejects when the address cannot be bound (EADDRINUSE, EACCES).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { metrics, whyNotReady, logger } = options;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/healthz' && path !== '/metrics') return send(response, 404, TEXT, 'not found\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, 405, TEXT, 'method not allowed\n');
    }
    if (path === '/healthz') {
      const reason = whyNotReady();
      return reason === undefined
        ? send(response, 200, TEXT, 'ok\n')
        : send(response, 503, TEXT, `not ready: ${reason}\n`);
    }
    const { contentType, body } = await metrics.scrape();
    return send(response, 200, contentType, body);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger?.error({ err: error, url: request.url }, 'health and metrics request failed');
      if (!response.headersSent) send(response, 500, TEXT, 'internal error\n');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger?.error({ err: error }, 'health and metrics server error'));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        cut.unref();
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
