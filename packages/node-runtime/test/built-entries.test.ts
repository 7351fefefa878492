import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
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
