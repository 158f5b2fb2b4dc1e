import { afterEach, describe, expect, it } from 'vitest';
import { startOpsServer, type OpsServer } from '../../src/ops/httpServer.js';
import { createBotMetrics, type BotMetrics } from '../../src/ops/metrics.js';
import { sample } from './scrape.js';

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(whyNotReady: () => string | undefined, metrics: BotMetrics = createBotMetrics()) {
  server = await startOpsServer({ host: '127.0.0.1', port: 0, metrics, whyNotReady });
  return server;
}

describe('ops/httpServer', () => {
  describe('startOpsServer', () => {
    it('answers /healthz 503 with the reason until ready, then 200 ok', async () => {
      let reason: string | undefined = 'index loading';
      const { url } = await start(() => reason);
      const notReady = await fetch(`${url}/healthz`);
      expect(notReady.status).toBe(503);
      expect(notReady.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await notReady.text()).toBe('not ready: index loading\n');

      reason = 'Discord shard 1: Reconnecting';
      expect(await (await fetch(`${url}/healthz`)).text()).toBe('not ready: Discord shard 1: Reconnecting\n');

      reason = undefined;
      const ready = await fetch(`${url}/healthz?probe=k8s`);
      expect(ready.status).toBe(200);
      expect(await ready.text()).toBe('ok\n');
    });

    it('serves /metrics in the Prometheus text format, gauges read at scrape time', async () => {
      const metrics = createBotMetrics();
      let documents = 12;
      metrics.collectDocuments(() => documents);
      metrics.collectFailingSources(() => Promise.resolve(2));
      const { url } = await start(() => undefined, metrics);
      const first = await fetch(`${url}/metrics`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const body = await first.text();
      expect(body).toContain('# TYPE migration_news_commands_total counter');
      expect(body).toContain('# TYPE migration_news_command_duration_seconds histogram');
      expect(sample(body, 'migration_news_library_documents')).toBe(12);
      expect(sample(body, 'migration_news_sources_failing')).toBe(2);
      expect(sample(body, 'migration_news_digests_delivered_total')).toBe(0);
      expect(sample(body, 'process_resident_memory_bytes')).toBeGreaterThan(0);

      documents = 13;
      metrics.sourceFetched('not-modified');
      const second = await (await fetch(`${url}/metrics`)).text();
      expect(sample(second, 'migration_news_library_documents')).toBe(13);
      expect(sample(second, 'migration_news_source_fetches_total', { status: 'not-modified' })).toBe(1);
    });

    it('keeps the metrics of two processes apart (one registry each)', async () => {
      const a = createBotMetrics();
      const b = createBotMetrics();
      a.digestsDelivered(3);
      const { url } = await start(() => undefined, b);
      expect(
        sample(await (await fetch(`${url}/metrics`)).text(), 'migration_news_digests_delivered_total'),
      ).toBe(0);
      expect(sample((await a.scrape()).body, 'migration_news_digests_delivered_total')).toBe(3);
    });

    it('answers 404 for other paths and 405 with Allow for other methods; HEAD like GET without a body', async () => {
      const { url } = await start(() => undefined);
      const missing = await fetch(`${url}/`);
      expect([missing.status, await missing.text()]).toEqual([404, 'not found\n']);
      expect((await fetch(`${url}/metrics/extra`)).status).toBe(404);
      const post = await fetch(`${url}/metrics`, { method: 'POST', body: 'x' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      expect((await fetch(`${url}/healthz`, { method: 'DELETE' })).status).toBe(405);
      const head = await fetch(`${url}/healthz`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    });

    it('answers 500 when a gauge cannot be read, and keeps serving', async () => {
      const metrics = createBotMetrics();
      let broken = true;
      metrics.collectPendingDigests(() => {
        if (broken) throw new Error('database is closed');
        return 1;
      });
      const { url } = await start(() => undefined, metrics);
      expect((await fetch(`${url}/metrics`)).status).toBe(500);
      broken = false;
      expect(sample(await (await fetch(`${url}/metrics`)).text(), 'migration_news_digests_pending')).toBe(1);
    });

    it('closes: the port refuses connections afterwards, even with a keep-alive connection open', async () => {
      const opened = await start(() => undefined);
      expect((await fetch(`${opened.url}/healthz`)).status).toBe(200); // leaves a keep-alive socket
      await opened.close();
      server = undefined;
      await expect(fetch(`${opened.url}/healthz`)).rejects.toThrow();
    });

    it('rejects when the address is taken', async () => {
      const first = await start(() => undefined);
      await expect(
        startOpsServer({
          host: '127.0.0.1',
          port: first.port,
          metrics: createBotMetrics(),
          whyNotReady: () => undefined,
        }),
      ).rejects.toThrow(/EADDRINUSE/);
    });
  });
});
