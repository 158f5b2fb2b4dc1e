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
