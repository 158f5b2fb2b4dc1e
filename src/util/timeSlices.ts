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
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        sliceStart = performance.now();
        resolve();
      }),
    );
  };
}
