/**
 * Longest stretch of synchronous work between two yields to the event loop. An interaction that
 * arrives meanwhile waits at most about this long; Discord gives it 3 s, the bot aims well under.
 */
export const SLICE_MS = 20;

/**
 * For a long loop that must not hold the event loop: call the returned function after each step
 * and await it; it yields (setImmediate, so I/O and timers run) once the current slice has taken
 * `sliceMs`, and is a no-op otherwise, so short loops cost nothing.
 */
export function timeSlicer(sliceMs = SLICE_MS): () => Promise<void> | undefined {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < sliceMs) return undefined;
    return yieldToEventLoop().then(() => {
      sliceStart = performance.now();
    });
  };
}

/** Lets timers, I/O callbacks and other queued work run before going on. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs a stepwise computation (a generator that yields between slices of work, such as an index
 * compaction) to its end, letting the event loop run between steps.
 */
export async function runStepsInTurns<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
  }
}
