/**
 * The web panel benchmark's report (bench/panelPages.ts) and its table, apart from the benchmark
 * so `bench/run.ts` renders a child's figures without loading the program.
 */

/** One endpoint's figures. */
export interface EndpointFigures {
  readonly label: string;
  readonly kind: 'page' | 'fragment' | 'api';
  readonly path: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly ttfbMedianMs: number;
  readonly ttfbP90Ms: number;
  readonly samples: number;
  /** Pages: the stylesheets and scripts the HTML links, and their bytes. */
  readonly cssBytes?: number;
  readonly jsBytes?: number;
  readonly assets?: readonly string[];
}

export interface PanelReport {
  readonly size: number;
  /** Documents in the library once the new pages are in. */
  readonly documents: number;
  readonly newPages: number;
  readonly seed: number;
  readonly node: string;
  readonly cpus: number;
  /** createApp and start, to the panel listening (the library built over the corpus). */
  readonly startSeconds: number;
  /** Untimed requests before each endpoint's timed ones. */
  readonly warmup: number;
  /** The second digest's topic. */
  readonly topic: string;
  /** What the timed pages hold: items in each digest's preview, items of the delivery sent. */
  readonly previewItems: { readonly everyTopic: number; readonly onTopic: number };
  readonly deliveredItems: number;
  readonly whyDocument: string;
  /** The assets pages link, and their bytes (identity and gzip). */
  readonly assets: readonly { path: string; bytes: number; gzipBytes: number }[];
  readonly endpoints: readonly EndpointFigures[];
}

const kb = (bytes: number | undefined) => (bytes === undefined ? '-' : (bytes / 1024).toFixed(1));
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));

/** The report as a table: TTFB and bytes per endpoint, then what the pages held. */
export function renderPanel(report: PanelReport): string {
  const header = ['endpoint', 'TTFB p50', 'p90', 'HTML/body KiB', 'gzip', 'CSS KiB', 'JS KiB', 'total KiB'];
  const rows = report.endpoints.map((e) => [
    e.label,
    ms(e.ttfbMedianMs),
    ms(e.ttfbP90Ms),
    kb(e.bytes),
    kb(e.gzipBytes),
    kb(e.cssBytes),
    kb(e.jsBytes),
    e.kind === 'page' ? kb(e.bytes + (e.cssBytes ?? 0) + (e.jsBytes ?? 0)) : '-',
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
  return [
    `Web panel at ${report.documents.toLocaleString('en-US')} documents (corpus ${report.size.toLocaleString('en-US')} ` +
      `+ ${report.newPages} new pages), node ${report.node}, ${report.cpus} CPUs; program up in ${report.startSeconds.toFixed(1)} s`,
    `TTFB in ms (request sent to response head, keep-alive), ${report.endpoints[0]?.samples ?? 0} requests after ${report.warmup} warm-up ones; ` +
      `bytes as sent (the panel does not compress; gzip for reference)`,
    `previews: digest #1 ${report.previewItems.everyTopic} items, digest #2 (topic "${report.topic}") ${report.previewItems.onTopic}; ` +
      `delivery sent: ${report.deliveredItems} items; why: ${report.whyDocument}`,
    '',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    `assets: ${report.assets.map((a) => `${a.path} ${a.bytes} B (gzip ${a.gzipBytes} B)`).join(', ')}`,
  ].join('\n');
}
