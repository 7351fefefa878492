// Builds the extension: two esbuild bundles and, with --package, the .vsix.
//   dist/extension.cjs  src/extension.ts, the editor glue (the extension host loads CommonJS;
//                       `vscode` is provided by the host). Kept light: activation loads only this.
//   dist/engine.cjs     src/engine-module.ts: the queue and node-runtime (@kwqm/* inlined), loaded
//                       with require() on first use, since node:crypto and friends are slow to load
//   dist/worker.js      node-runtime's worker-thread entry (CommonJS, as this package is not
//                       "type": "module"), which the extension passes to the pool as `workerUrl`:
//                       the crypto, hashing and compression run there, never on the extension
//                       host thread.
//   dist/daemon.mjs     node-runtime's daemon process, started for `kwqm.useDaemon: always`.
// --package then runs `vsce package --no-dependencies` with no terminal input, so it cannot hang
// on a prompt. vsce needs a LICENSE next to the manifest: the root one is copied in.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const distDir = join(packageDir, 'dist');
const shouldPackage = process.argv.includes('--package');
const require = createRequire(import.meta.url);

rmSync(distDir, { recursive: true, force: true });
mkdirSync(distDir, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
  sourcemap: false,
};

await build({
  ...common,
  entryPoints: [join(packageDir, 'src/extension.ts')],
  outfile: join(distDir, 'extension.cjs'),
  format: 'cjs',
  external: ['vscode', './engine.cjs'],
  // Marks around the whole bundle, so the logged activation time includes evaluating our code,
  // not only `activate()` (the extension host's own work in between is not counted). The first
  // `require('vscode')` builds the API object for the extension — the host's cost, paid by every
  // extension — so it is timed apart. CPU time is recorded too: on a busy machine wall time
  // mostly measures waiting for a core.
  banner: {
    js: "'use strict'; var __kwqmBundleStart = performance.now(); require('vscode'); var __kwqmApiLoaded = performance.now(); var __kwqmCpuStart = process.cpuUsage();",
  },
  footer: {
    js: 'var __kwqmBundleEnd = performance.now(); var __kwqmCpuBundle = process.cpuUsage(__kwqmCpuStart);',
  },
});

await build({
  ...common,
  entryPoints: [join(packageDir, 'src/engine-module.ts')],
  outfile: join(distDir, 'engine.cjs'),
  format: 'cjs',
  // node-runtime's ESM build reads import.meta.url only for its default worker location; the
  // extension always passes its own `workerUrl`, so the empty value in CJS is never used.
  logOverride: { 'empty-import-meta': 'silent' },
});

await build({
  ...common,
  entryPoints: [require.resolve('@kwqm/node-runtime/worker')],
  outfile: join(distDir, 'worker.js'),
  format: 'cjs',
});

// The daemon process `kwqm.useDaemon: always` starts (node-runtime's dist/daemon.js, not in its
// exports map, so found from its package.json). ESM, so its default worker URL — `./worker.js`
// next to itself — is dist/worker.js.
await build({
  ...common,
  entryPoints: [join(dirname(require.resolve('@kwqm/node-runtime/package.json')), 'dist/daemon.js')],
  outfile: join(distDir, 'daemon.mjs'),
  format: 'esm',
  // Bundled CommonJS dependencies may call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __kwqmCreateRequire } from 'node:module'; const require = __kwqmCreateRequire(import.meta.url);",
  },
});

copyFileSync(join(packageDir, '../../LICENSE'), join(packageDir, 'LICENSE'));
console.log('built dist/extension.cjs, dist/engine.cjs, dist/worker.js and dist/daemon.mjs');

if (shouldPackage) {
  // The README's relative links (docs/images, docs/reference) point into the monorepo; vsce
  // rewrites them against the repository URL, which it cannot infer for a non-GitHub remote.
  const { repository } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const repositoryUrl = repository.url.replace(/\.git$/, '');
  const vsce = spawnSync(
    process.execPath,
    [
      require.resolve('@vscode/vsce/vsce'),
      'package',
      '--no-dependencies',
      '--baseContentUrl',
      `${repositoryUrl}/blob/main/packages/vscode-ext`,
      '--baseImagesUrl',
      `${repositoryUrl}/raw/main/packages/vscode-ext`,
      '--out',
      join(distDir, 'kwqm-vscode.vsix'),
    ],
    { cwd: packageDir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CI: '1' } },
  );
  if (vsce.status !== 0) {
    console.error(`vsce package failed (exit ${vsce.status ?? vsce.signal})`);
    process.exit(1);
  }
}
