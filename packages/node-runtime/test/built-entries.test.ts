import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// esbuild comes with tsup, which builds this package.
import { type BuildOptions, build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The built package finds its worker entry next to itself (`new URL('./worker.js', import.meta.url)`,
// shimmed in the CJS build). Checked from both builds in a fresh process, as a user would load them.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const input = fileURLToPath(import.meta.url);

function hashWithBuiltPackage(script: string): string {
  return execFileSync(
    process.execPath,
    ['--input-type', script.includes('require(') ? 'commonjs' : 'module', '-e', script],
    {
      cwd: packageDir,
      encoding: 'utf8',
      env: { ...process.env, KWQM_TEST_INPUT: input },
    },
  ).trim();
}

describe('the built package', { timeout: 30_000 }, () => {
  it.each([
    [
      'ESM (dist/index.js)',
      "import { createKwqmQueue } from '@kwqm/node-runtime';\nconst queue = createKwqmQueue({ workers: 1 });\nconst job = await queue.submit({ operation: 'hash', params: { input: process.env.KWQM_TEST_INPUT } });\nconsole.log((await job.result).digest);\nawait queue.close();",
    ],
    [
      'CJS (dist/index.cjs)',
      "const { createKwqmQueue } = require('@kwqm/node-runtime');\n(async () => {\n  const queue = createKwqmQueue({ workers: 1 });\n  const job = await queue.submit({ operation: 'hash', params: { input: process.env.KWQM_TEST_INPUT } });\n  console.log((await job.result).digest);\n  await queue.close();\n})();",
    ],
  ])('%s runs jobs on its worker entry without a workerUrl', async (_build, script) => {
    const expected = createHash('sha256')
      .update(await readFile(input))
      .digest('hex');
    expect(hashWithBuiltPackage(script)).toBe(expected);
  });
});

describe("the built package's exports", { timeout: 30_000 }, () => {
  it.each([
    ['ESM', "import * as exports from '@kwqm/node-runtime';\n"],
    ['CJS', "const exports = require('@kwqm/node-runtime');\n"],
  ])('%s: every exported class and function has its export name (Node prints it)', (_build, load) => {
    const script = `${load}const wrong = Object.entries(exports).filter(([name, value]) => typeof value === 'function' && value.name !== name).map(([name, value]) => name + ' is ' + value.name);\nconsole.log(JSON.stringify(wrong));`;
    expect(JSON.parse(hashWithBuiltPackage(script))).toEqual([]);
  });
});

describe('a CommonJS bundle of the package (esbuild empties import.meta there)', { timeout: 60_000 }, () => {
  it('asks for workerUrl and daemonEntry with INVALID_OPTION instead of failing with a TypeError', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kwqm-cjs-bundle-'));
    try {
      // An app bundled as CommonJS that forgot to pass the entries' locations.
      const source = join(folder, 'app.mjs');
      writeFileSync(
        source,
        `import { connectOrStart, createKwqmQueue } from '@kwqm/node-runtime';
const codeOf = (promise) => promise.then(() => 'resolved', (error) => [error.code, error.details?.option ?? null]);
(async () => {
  const outcome = {};
  try {
    const queue = createKwqmQueue({ workers: 1 });
    const job = await queue.submit({ operation: 'hash', params: { input: process.env.KWQM_TEST_INPUT } });
    outcome.job = await codeOf(job.result);
    await queue.close();
  } catch (error) {
    outcome.job = ['threw', error.code ?? error.name, error.details?.option ?? null];
  }
  outcome.daemon = await codeOf(connectOrStart({ socketPath: process.env.KWQM_TEST_SOCKET, connectTimeoutMs: 500 }));
  console.log(JSON.stringify(outcome));
})();`,
      );
      const bundle = join(folder, 'app.cjs');
      await build({
        entryPoints: [source],
        outfile: bundle,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        logLevel: 'silent',
        // The source lives outside the repository: resolve the package from the workspace.
        nodePaths: [join(packageDir, '../../node_modules')],
      });
      const output = execFileSync(process.execPath, [bundle], {
        cwd: folder,
        encoding: 'utf8',
        env: { ...process.env, KWQM_TEST_INPUT: input, KWQM_TEST_SOCKET: join(folder, 'none.sock') },
      });
      expect(JSON.parse(output)).toEqual({
        job: ['threw', 'INVALID_OPTION', 'workerUrl'],
        daemon: ['INVALID_OPTION', 'daemonEntry'],
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('runs a daemon bundled as CommonJS, as the bundling guide says, when given KWQM_WORKER_URL', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kwqm-cjs-daemon-'));
    const socketPath = join(folder, 'd.sock');
    try {
      const source = join(folder, 'client.mjs');
      writeFileSync(
        source,
        `import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connectOrStart } from '@kwqm/node-runtime';
(async () => {
  const client = await connectOrStart({
    socketPath: process.env.KWQM_TEST_SOCKET,
    daemonEntry: join(__dirname, 'daemon.cjs'),
    env: { KWQM_STATE_DIR: join(__dirname, 'state'), KWQM_WORKER_URL: pathToFileURL(join(__dirname, 'worker.cjs')).href },
  });
  const job = await client.submit({ operation: 'hash', params: { input: process.env.KWQM_TEST_INPUT } });
  const { digest } = await job.result;
  await client.shutdown();
  client.close();
  console.log(digest);
})();`,
      );
      const common: BuildOptions = {
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        logLevel: 'silent',
        nodePaths: [join(packageDir, '../../node_modules')],
      };
      await build({ ...common, entryPoints: [source], outfile: join(folder, 'client.cjs') });
      await build({
        ...common,
        entryPoints: [join(packageDir, 'dist/worker.js')],
        outfile: join(folder, 'worker.cjs'),
      });
      await build({
        ...common,
        entryPoints: [join(packageDir, 'dist/daemon.js')],
        outfile: join(folder, 'daemon.cjs'),
      });
      const output = execFileSync(process.execPath, [join(folder, 'client.cjs')], {
        cwd: folder,
        encoding: 'utf8',
        env: { ...process.env, KWQM_TEST_INPUT: input, KWQM_TEST_SOCKET: socketPath },
      });
      const expected = createHash('sha256')
        .update(await readFile(input))
        .digest('hex');
      expect(output.trim()).toBe(expected);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
