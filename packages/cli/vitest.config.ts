import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The end-to-end tests run the built binary; the global setup refuses to start without it.
    globalSetup: ['test/global-setup.ts'],
    // Each end-to-end file spawns real processes (workers, daemons, scrypt); two files at a time
    // is what two shared cores take without timing out.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
