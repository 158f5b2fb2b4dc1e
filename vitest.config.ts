import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // bench/ keeps the tests of its own tools (the synthetic corpus, the sides it compares).
    include: ['test/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One real PostgreSQL server for the run; tests that need it take a database each.
    globalSetup: ['test/support/postgresServer.ts'],
  },
});
