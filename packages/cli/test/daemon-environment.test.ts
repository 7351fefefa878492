import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSandbox, runKwqm, type Sandbox } from './run-kwqm.js';
import { stopTestDaemon } from './stop-test-daemon.js';

// A daemon that `kwqm` starts on demand inherits the command's environment for its KWQM_*
// options, but must not keep the passphrase of the command that happened to start it.

let sandbox: Sandbox;
let cwd: string;

beforeAll(async () => {
  sandbox = await createSandbox();
  cwd = join(sandbox.dir, 'work');
  await writeFile(join(cwd, 'notes.txt'), 'notes');
});

afterAll(async () => {
  await stopTestDaemon(sandbox, sandbox.env, cwd);
  await sandbox.cleanup();
});

it.skipIf(process.platform !== 'linux')(
  'a daemon started by --detach does not inherit KWQM_PASSPHRASE, but does inherit its options',
  async () => {
    const env = { ...sandbox.env, KWQM_PASSPHRASE: 'not-for-the-daemon', KWQM_CONCURRENCY: '1' };
    const submitted = await runKwqm(['encrypt', '--detach', '--work-factor', '1', 'notes.txt'], { cwd, env });
    expect(submitted.code).toBe(0);
    const status = await runKwqm(['daemon', 'status', '--json'], { cwd, env: sandbox.env });
    const { pid } = JSON.parse(status.stdout) as { pid: number };
    const environment = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
    expect(environment).toContain('KWQM_CONCURRENCY=1');
    expect(environment.filter((entry) => entry.startsWith('KWQM_PASSPHRASE='))).toEqual([]);
  },
);

it('with a socket path too long for a socket address, runs jobs in this process; list and --daemon name the path', async () => {
  // A daemon could never listen there, so for the default mode there is none (Node would have cut the path).
  const env = { ...sandbox.env, KWQM_SOCKET: join(sandbox.dir, 'x'.repeat(120), 'kwqm.sock') };
  const hashed = await runKwqm(['hash', '--json', 'notes.txt'], { cwd, env });
  expect(hashed.code).toBe(0);
  expect(JSON.parse(hashed.stdout)).toMatchObject({
    jobs: [{ state: 'succeeded', result: { algorithm: 'sha256' } }],
  });
  for (const args of [['list'], ['hash', '--daemon', 'notes.txt']]) {
    const refused = await runKwqm(args, { cwd, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('(INVALID_OPTION)');
  }
});
