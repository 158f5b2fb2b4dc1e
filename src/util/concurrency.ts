import pLimit from 'p-limit';

/**
 * Runs `task` on every item with at most `limit` running at once (a new one starts as soon as one
 * ends, unlike fixed batches that wait for their slowest member); results come in input order.
 * The one bounded-concurrency helper of the tree: file reads and stats, deliveries, benchmarks.
 */
export function mapBounded<T, R>(
  items: Iterable<T>,
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  return pLimit(Math.max(1, Math.floor(limit))).map(items, task);
}

/** Lets timers, I/O callbacks and other queued work run before going on. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs a stepwise computation (a generator that yields between slices of work) to its end,
 * letting the event loop run between steps: a long job that never blocks for more than one step.
 */
export async function runStepsInTurns<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
  }
}
