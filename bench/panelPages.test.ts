import { describe, expect, it } from 'vitest';
import { DEFAULT_MULTILINGUAL_SHARE } from './multilingualCorpus.js';
import { linkedAssets, measurePanel, percentile } from './panelPages.js';
import { renderPanel } from './panelReport.js';

describe('panel benchmark', () => {
  describe('percentile', () => {
    it('takes the nearest rank, whatever the order of the samples', () => {
      const samples = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
      expect(percentile(samples, 0.5)).toBe(5);
      expect(percentile(samples, 0.9)).toBe(9);
      expect(percentile([4], 0.9)).toBe(4);
      expect(percentile([], 0.5)).toBeNaN();
    });
  });

  describe('linkedAssets', () => {
    it('finds the stylesheets and scripts a page links, not other links or inline script', () => {
      const html =
        '<head><link rel="icon" href="/favicon.ico"><link rel="stylesheet" href="/a.css" />' +
        '<script src="/a.js" defer></script><script>inline()</script></head>' +
        '<body><a href="/b.css">b</a><link rel="stylesheet" href="/c.css"></body>';
      expect(linkedAssets(html)).toEqual({ css: ['/a.css', '/c.css'], js: ['/a.js'] });
    });
  });

  describe('measurePanel', () => {
    it('times every page, fragment and API endpoint of the running panel, and weighs what pages link', async () => {
      const report = await measurePanel({
        size: 200,
        seed: 1,
        multilingualShare: DEFAULT_MULTILINGUAL_SHARE,
        rounds: 3,
        newPages: 20,
        log: () => undefined,
      });
      expect(report.endpoints.map((e) => e.label)).toEqual([
        'servers',
        'digests',
        'digest #1 (sent) + preview',
        'digest #2 (topic) + preview',
        'delivery log',
        'sources',
        'why',
        'live preview (fragment)',
        'GET /api/me',
        'GET subscriptions',
        'GET preview #2',
        'GET deliveries',
        'GET why',
      ]);
      for (const e of report.endpoints) {
        expect(e.samples, e.label).toBe(3);
        expect(e.ttfbMedianMs, e.label).toBeGreaterThan(0);
        expect(e.ttfbP90Ms, e.label).toBeGreaterThanOrEqual(e.ttfbMedianMs);
        expect(e.bytes, e.label).toBeGreaterThan(0);
        if (e.kind !== 'page') continue;
        expect(e.assets, e.label).toEqual(['/static/panel.css', '/static/panel.js']);
        expect(e.cssBytes, e.label).toBeGreaterThan(0);
        expect(e.jsBytes, e.label).toBeGreaterThan(0);
      }
      expect(report.assets.map((a) => a.path)).toEqual(['/static/panel.css', '/static/panel.js']);
      // The pages hold real state: a delivery made through the loopback Discord, previews with items.
      expect(report.documents).toBeGreaterThan(200);
      expect(report.deliveredItems).toBeGreaterThan(0);
      expect(report.previewItems.everyTopic + report.previewItems.onTopic).toBeGreaterThan(0);
      const table = renderPanel(report);
      for (const e of report.endpoints) expect(table).toContain(e.label);
    }, 60_000);
  });
});
