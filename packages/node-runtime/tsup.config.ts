import { defineConfig } from 'tsup';

// Two entries: the library (`index`) and the worker-thread entry (`worker`), which `WorkerPool`
// loads at run time from next to the built library file (`new URL('./worker.js', import.meta.url)`).
// `shims: true` gives the CJS build an `import.meta.url`. Dependencies (@kwqm/core, @scure/base)
// stay external: the worker resolves them from node_modules like the library does.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    worker: 'src/worker.ts',
    // The detached daemon process that connectOrStart() spawns; finds ./worker.js next to itself.
    daemon: 'src/daemon/daemon-main.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  shims: true,
  // No shared chunks: dist/worker.js stands alone (only node_modules imports), so it can be
  // copied or bundled by itself.
  splitting: false,
  sourcemap: true,
  // The exported classes keep their names (esbuild renames a self-referencing one, `_DaemonClient`).
  keepNames: true,
  // Not `clean`: vitest runs of this package (possibly several at once) load dist/worker.js,
  // and a rebuild must not delete it under them. tsup overwrites every output it makes.
  clean: false,
  target: 'es2022',
  tsconfig: 'tsconfig.json',
});
