import { defineConfig } from 'vitest/config';

// Unit tests of the plain modules only; the end-to-end suite in test/e2e runs a real VS Code
// (code-server) and is started by `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
  },
});
