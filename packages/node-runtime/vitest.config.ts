import { defineConfig } from 'vitest/config';

// Pool tests start real worker threads, and a worker cannot load TypeScript: they run the built
// dist/worker.js while the tests themselves import the pool from src. The global setup rebuilds
// dist when any source file is newer than the built worker, so `npx vitest run` works on its own;
// `npm test` through turbo builds first anyway.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['test/build-worker.global-setup.ts'],
    // Many tests start real processes (daemons, age, node): seconds each on a loaded 2-core CI
    // machine, where vitest's 5 s default once cut one short. A hang still fails, after 30 s.
    testTimeout: 30_000,
  },
});
