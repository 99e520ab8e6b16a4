import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Tests open real databases (PGlite boots in ~1 s, scratch PostgreSQL databases) and run
    // Prisma 6's offline diff (~1 s each): generous limits, separate processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The summary is the output; per-test timing lines are noise in CI logs.
    slowTestThreshold: 120_000,
  },
});
