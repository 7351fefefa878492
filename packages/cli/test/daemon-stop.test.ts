import { spawn } from 'node:child_process';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isProcessAlive } from '../src/commands/is-process-alive.js';
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
  expect(isProcessAlive(first.value.pid)).toBe(false);

  const second = await json<{ started: boolean; pid: number }>(['daemon', 'start']);
  expect(second.code).toBe(0);
  expect(second.value.started).toBe(true);
  expect(second.value.pid).not.toBe(first.value.pid);
});

it('a command waiting on a job parked by daemon stop says the job is kept, and a new daemon runs it', async () => {
  expect((await run(['daemon', 'start'])).code).toBe(0);
  await writeFile(join(cwd, 'small.txt'), 'parked until the next start');
  // 8 GiB of holes: the hash runs for seconds whatever the machine's load, and uses no disk.
  await writeFile(join(cwd, 'huge.bin'), '');
  await truncate(join(cwd, 'huge.bin'), 8 * 1024 ** 3);
  // One worker: huge.bin runs while small.txt waits in the queue; the stop cancels the one and
  // parks the other.
  const waiting = spawn(process.execPath, [KWQM_BIN, 'hash', 'huge.bin', 'small.txt', '--json'], {
    cwd,
    env: kwqmEnvironment(env),
  });
  let stdout = '';
  waiting.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const exited = new Promise<number | null>((resolve) => waiting.on('close', (code) => resolve(code)));
  let states: string[] = [];
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    states = (await json<{ jobs: { state: string }[] }>(['list'])).value.jobs.map((job) => job.state);
    if (states.includes('running') && states.includes('queued')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(states.sort()).toEqual(['queued', 'running']);
  expect((await run(['daemon', 'stop', '--cancel-running'])).code).toBe(0);

  expect(await exited).toBe(1);
  type Outcome = { file: string; id: string; state: string; error?: { code: string; details?: unknown } };
  const outcomes = (JSON.parse(stdout) as { jobs: Outcome[] }).jobs;
  const parked = outcomes.find((outcome) => outcome.file === 'small.txt');
  expect(outcomes.find((outcome) => outcome.file === 'huge.bin')?.state).toBe('canceled');
  expect(parked?.error).toMatchObject({ code: 'CONNECTION_CLOSED', details: { jobId: parked?.id } });

  // What the message promises: the next daemon runs the parked job.
  expect((await run(['daemon', 'start'])).code).toBe(0);
  let job: { state: string; result?: { digest?: string } } | undefined;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    job = (await json<{ jobs: (typeof job)[] }>(['status', parked?.id as string])).value.jobs[0];
    if (job?.state !== 'queued' && job?.state !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(job?.state).toBe('succeeded');
  expect(job?.result?.digest).toMatch(/^[0-9a-f]{64}$/);
  expect((await run(['daemon', 'stop'])).code).toBe(0);
}, 90_000);

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
