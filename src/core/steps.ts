/**
 * Long computations in the core are generators that yield between slices of work (an index merge,
 * a fingerprint over every record), so an adapter can let other work run between steps
 * (`runStepsInTurns` in src/util/timeSlices.ts). This runs one straight through, where nothing
 * else waits (a build at start, a test).
 */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
