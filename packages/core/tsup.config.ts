import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // esbuild renames a class that refers to itself inside its body (`KwqmError.fromJSON`) to
  // `_KwqmError`; Node prints that name for an uncaught error and `constructor.name` returns it.
  keepNames: true,
  clean: true,
  target: 'es2022',
  tsconfig: 'tsconfig.json',
});
