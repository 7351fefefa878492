import { spawn } from 'node:child_process';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSandbox, KWQM_BIN, kwqmEnvironment, runKwqm, type Sandbox } from './run-kwqm.js';
import { stopTestDaemon } from './stop-test-daemon.js';

// `daemon stop` while a job runs: the daemon closes its socket at once but lives (holding its
// lock) until the job ends. `stop` must return only once it is gone, so `start` can follow it.

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;

const run = (args: string[]) => runKwqm(args, { cwd, env });
const json = async <T>(args: string[]): Promise<{ code: number | null; value: T }> => {
  const result = await run([...args, '--json']);
  return { code: result.code, value: JSON.parse(result.stdout) as T };
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  sandbox = await createSandbox();
  cwd = join(sandbox.dir, 'work');
  env = { ...sandbox.env, KWQM_CONCURRENCY: '1' };
  // Sparse: hashing 1 GiB of holes keeps the job running for a few seconds, with no disk used.
  await writeFile(join(cwd, 'big.bin'), '');
  await truncate(join(cwd, 'big.bin'), 1024 ** 3);
});

afterAll(async () => {
  await stopTestDaemon(sandbox, env, cwd);
  await sandbox.cleanup();
});

it('daemon stop returns once the process has exited, so daemon start right after starts a new one', async () => {
  const first = await json<{ started: boolean; pid: number }>(['daemon', 'start']);
  expect(first.value.started).toBe(true);
  const submitted = await json<{ jobs: { id: string }[] }>(['hash', '--detach', 'big.bin']);
  const id = submitted.value.jobs[0]?.id as string;
  for (;;) {
    const status = await json<{ jobs: { state: string }[] }>(['status', id]);
    if (status.value.jobs[0]?.state === 'running') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const stopped = await json<{ stopped: boolean; pid: number }>(['daemon', 'stop']);
  expect(stopped).toEqual({
    code: 0,
    value: expect.objectContaining({ stopped: true, pid: first.value.pid }),
  });
  expect(isAlive(first.value.pid)).toBe(false);

  const second = await json<{ started: boolean; pid: number }>(['daemon', 'start']);
  expect(second.code).toBe(0);
  expect(second.value.started).toBe(true);
  expect(second.value.pid).not.toBe(first.value.pid);
});

it('a command waiting on a job parked by daemon stop says the job is kept, and a new daemon runs it', async () => {
  expect((await run(['daemon', 'start'])).code).toBe(0);
  await writeFile(join(cwd, 'small.txt'), 'parked until the next start');
  // One worker: big.bin runs while small.txt waits in the queue, and stop parks it.
  const waiting = spawn(process.execPath, [KWQM_BIN, 'hash', 'big.bin', 'small.txt', '--json'], {
    cwd,
    env: kwqmEnvironment(env),
  });
  let stdout = '';
  waiting.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const exited = new Promise<number | null>((resolve) => waiting.on('close', (code) => resolve(code)));
  for (;;) {
    const listed = await json<{ jobs: { state: string }[] }>(['list']);
    if (listed.value.jobs.some((job) => job.state === 'running') && listed.value.jobs.length === 2) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect((await run(['daemon', 'stop'])).code).toBe(0);

  expect(await exited).toBe(1);
  const outcomes = (
    JSON.parse(stdout) as {
      jobs: { file: string; id: string; error?: { code: string; details?: unknown } }[];
    }
  ).jobs;
  const big = outcomes.find((outcome) => outcome.file === 'big.bin');
  const parked = outcomes.find((outcome) => outcome.file === 'small.txt');
  expect(big?.error).toBeUndefined();
  expect(parked?.error).toMatchObject({ code: 'CONNECTION_CLOSED', details: { jobId: parked?.id } });

  // What the message promises: the next daemon runs the parked job.
  expect((await run(['daemon', 'start'])).code).toBe(0);
  for (;;) {
    const status = await json<{ jobs: { state: string; result?: { digest?: string } }[] }>([
      'status',
      parked?.id as string,
    ]);
    const job = status.value.jobs[0];
    if (job?.state === 'succeeded') {
      expect(job.result?.digest).toMatch(/^[0-9a-f]{64}$/);
      break;
    }
    expect(['queued', 'running']).toContain(job?.state);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect((await run(['daemon', 'stop'])).code).toBe(0);
}, 60_000);

it('watch ends with DAEMON_UNAVAILABLE, exit 4, when the daemon stops for good', async () => {
  expect((await run(['daemon', 'start'])).code).toBe(0);
  const watch = spawn(process.execPath, [KWQM_BIN, 'watch'], { cwd, env: kwqmEnvironment(env) });
  let stderr = '';
  const watching = new Promise<void>((resolve) => {
    watch.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('\n')) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) => watch.on('close', (code) => resolve(code)));
  await watching;
  expect((await run(['daemon', 'stop'])).code).toBe(0);
  expect(await exited).toBe(4);
  expect(stderr).toMatch(/\(DAEMON_UNAVAILABLE\)\n$/);
});
