import type { BenchSide, SideName } from './side.js';

/**
 * The side by name. Ours is imported lazily so the harness runs (raw only) while our library's
 * adapter is missing; it returns null then and the report says so.
 */
export async function loadSide(name: SideName): Promise<BenchSide | null> {
  if (name === 'raw') {
    const { createRawSide } = await import('./rawSide.js');
    return createRawSide();
  }
  try {
    // A variable specifier: the adapter may not exist yet, and the type checker must not insist.
    const specifier = './oursSide.js';
    const adapter = (await import(specifier)) as { createOursSide: () => BenchSide };
    return adapter.createOursSide();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw error;
  }
}
