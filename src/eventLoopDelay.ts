import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from 'pino';

/** How often the longest stall of the last window is logged. */
const WINDOW_MS = 1000;

/**
 * At debug level, logs once a second the longest event-loop delay of the past second
 * (`event loop delay`, `maxMs`): a stall there delays every interaction, and Discord gives each 3 s.
 * Benchmarks read it; at other levels nothing is measured. Returns a function that stops it.
 */
export function logEventLoopDelay(logger: Logger): () => void {
  if (!logger.isLevelEnabled('debug')) return () => undefined;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const timer = setInterval(() => {
    // The histogram counts in nanoseconds; its max includes the 10 ms sampling resolution.
    logger.debug({ maxMs: Math.round(histogram.max / 1e6) }, 'event loop delay');
    histogram.reset();
  }, WINDOW_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    histogram.disable();
  };
}
