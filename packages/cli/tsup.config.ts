import { defineConfig } from 'tsup';

// One ESM entry with code splitting: `dist/cli.js` stays tiny (commander + the command table) and every
// command's body is a separate chunk loaded by dynamic import() only when that command runs, so
// `kwqm --version` never loads node-runtime, cli-progress or the worker pool.
// The workspace packages and the two libraries stay external: they are real dependencies in node_modules.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  splitting: true,
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  tsconfig: 'tsconfig.json',
  external: ['@kwqm/core', '@kwqm/node-runtime', 'commander', 'cli-progress'],
});
