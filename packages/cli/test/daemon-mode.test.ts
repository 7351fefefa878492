import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, KWQM_BIN, kwqmEnvironment, runKwqm, type Sandbox } from './run-kwqm.js';
import { stopTestDaemon } from './stop-test-daemon.js';

// The queue at hand: --detach, list, status, remove, priority, cancel, watch and the daemon
// commands against a real daemon in a private XDG_RUNTIME_DIR / XDG_STATE_HOME. The daemon runs
// one job at a time (KWQM_CONCURRENCY=1) so a big first job keeps the others queued.

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;
let daemonPid: number | undefined;

interface Snapshot {
  id: string;
  state: string;
  priority: string;
  operation: string;
  label?: string;
  error?: { code: string };
  result?: { digest?: string; output?: string };
}

const run = (args: string[], extra?: Record<string, string>) =>
  runKwqm(args, { cwd, env: { ...env, ...extra } });
const json = async <T>(args: string[], extra?: Record<string, string>): Promise<T> => {
  const result = await run([...args, '--json'], extra);
  return JSON.parse(result.stdout) as T;
};
const list = async (): Promise<Snapshot[]> => (await json<{ jobs: Snapshot[] }>(['list', '--all'])).jobs;

async function waitForState(id: string, states: readonly string[]): Promise<Snapshot> {
  for (;;) {
    const job = (await json<{ jobs: Snapshot[] }>(['status', id])).jobs[0];
    if (job !== undefined && states.includes(job.state)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  sandbox = await createSandbox();
  cwd = join(sandbox.dir, 'work');
  env = { ...sandbox.env, KWQM_CONCURRENCY: '1' };
  // Sparse: hashing 8 GiB of holes takes many seconds but no disk.
  await writeFile(join(cwd, 'big.bin'), '');
  await truncate(join(cwd, 'big.bin'), 8 * 1024 ** 3);
  await writeFile(join(cwd, 'small-1.txt'), 'one');
  await writeFile(join(cwd, 'small-2.txt'), 'two');
});

afterAll(async () => {
  await stopTestDaemon(sandbox, env, cwd);
  if (daemonPid !== undefined) {
    try {
      process.kill(daemonPid, 'SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
  await sandbox.cleanup();
});

describe('without a daemon', () => {
  it('daemon status says not running and exits 4', async () => {
    const result = await run(['daemon', 'status', '--json']);
    expect(result.code).toBe(4);
    expect(JSON.parse(result.stdout)).toEqual({
      running: false,
      socket: join(env.XDG_RUNTIME_DIR as string, 'kwqm', 'kwqm.sock'),
    });
  });

  it('--daemon and the management commands exit 4 with DAEMON_UNAVAILABLE; list is empty', async () => {
    for (const args of [
      ['hash', '--daemon', 'small-1.txt'],
      ['status', 'x'],
      ['remove', 'x'],
      ['cancel', 'x'],
      ['priority', 'x', 'low'],
    ]) {
      const result = await run(args);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/\(DAEMON_UNAVAILABLE\)\n$/);
    }
    expect(await json(['list'])).toEqual({ daemon: false, jobs: [] });
  });
});

describe('with a daemon', () => {
  let big: string;
  let first: string;
  let second: string;

  it('daemon start starts one, a second start finds it', async () => {
    const started = await json<{ running: boolean; started: boolean; pid: number }>(['daemon', 'start'], {});
    expect(started).toMatchObject({ running: true, started: true, pid: expect.any(Number) });
    daemonPid = started.pid;
    expect(await json(['daemon', 'start'])).toMatchObject({ started: false, pid: daemonPid });
    expect(await json(['daemon', 'status'])).toMatchObject({
      running: true,
      pid: daemonPid,
      jobs: { running: 0, queued: 0 },
    });
  });

  it('--detach prints ids and exits at once; the jobs queue behind a running one', async () => {
    const blocker = await run(['hash', '--detach', 'big.bin']);
    expect(blocker.code).toBe(0);
    big = blocker.stdout.split('\t')[0] as string;
    expect(blocker.stdout).toBe(`${big}\tbig.bin\n`);
    expect((await waitForState(big, ['running', 'succeeded', 'failed', 'canceled'])).state).toBe('running');

    const detached = await json<{ jobs: { id: string; file: string; state: string; operation: string }[] }>([
      'hash',
      '--detach',
      'small-1.txt',
      'small-2.txt',
    ]);
    expect(detached.jobs).toEqual([
      { file: 'small-1.txt', id: expect.any(String), operation: 'hash', state: 'queued' },
      { file: 'small-2.txt', id: expect.any(String), operation: 'hash', state: 'queued' },
    ]);
    [first, second] = detached.jobs.map((job) => job.id) as [string, string];
  });

  it('lists running then queued jobs in dispatch order, as a table and as JSON', async () => {
    const jobs = await list();
    expect(jobs.slice(0, 3).map((job) => [job.id, job.state])).toEqual([
      [big, 'running'],
      [first, 'queued'],
      [second, 'queued'],
    ]);
    const table = await run(['list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATE\s+PRIORITY\s+OPERATION\s+PROGRESS\s+AGE\s+FILE$/);
    expect(lines[1]).toMatch(
      new RegExp(`^${big}\\s+running\\s+medium\\s+hash\\s+\\S+\\s+\\d+[smhd]\\s+big\\.bin$`),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^${first}\\s+queued\\s+medium\\s+hash\\s+-\\s+\\d+[smhd]\\s+small-1\\.txt$`),
    );
  });

  it('priority moves a queued job ahead; it refuses a bad level and unknown ids', async () => {
    const moved = await run(['priority', second, 'high']);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toBe(`${second}: queued (priority high)\n`);
    expect((await list()).slice(0, 3).map((job) => job.id)).toEqual([big, second, first]);
    const unknown = await run(['priority', 'no-such-job', 'low', '--json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toEqual({
      jobs: [],
      errors: [{ id: 'no-such-job', error: expect.objectContaining({ code: 'JOB_NOT_FOUND' }) }],
    });
  });

  it('remove takes a queued job out and refuses a running one with INVALID_STATE', async () => {
    const removed = await json<{ jobs: Snapshot[]; errors: unknown[] }>(['remove', first]);
    expect(removed).toEqual({ jobs: [expect.objectContaining({ id: first, state: 'removed' })], errors: [] });
    const running = await run(['remove', big]);
    expect(running.code).toBe(1);
    expect(running.stderr).toBe(`kwqm: ${big}: ${running.stderr.slice(`kwqm: ${big}: `.length)}`);
    expect(running.stderr).toMatch(/\(INVALID_STATE\)\n$/);
  });

  it('status shows jobs by id and exits 1 for an unknown one', async () => {
    const result = await run(['status', first, 'no-such-job']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^id:\\s+${first}\\nstate:\\s+removed\\n`));
    expect(result.stderr).toBe('kwqm: no-such-job: no such job (JOB_NOT_FOUND)\n');
  });

  it('cancel stops the running job; the next one then runs to the end', async () => {
    const canceled = await run(['cancel', big]);
    expect(canceled.code).toBe(0);
    // Running: it is asked to stop and says so; it ends canceled once its worker has stopped.
    expect(canceled.stdout).toMatch(new RegExp(`^${big}: canceling \\(priority`));
    expect((await waitForState(big, ['canceled', 'failed', 'succeeded'])).state).toBe('canceled');
    const done = await waitForState(second, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    expect(`${done.result?.digest}  small-2.txt\n`).toBe(
      execFileSync('sha256sum', ['small-2.txt'], { cwd, encoding: 'utf8' }),
    );
  });

  it('runs jobs on the daemon by default when one is running, where everyone sees them', async () => {
    const result = await run(['hash', 'small-1.txt']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(execFileSync('sha256sum', ['small-1.txt'], { cwd, encoding: 'utf8' }));
    const seen = (await list()).filter(
      (job) => job.label === join(cwd, 'small-1.txt') && job.state === 'succeeded',
    );
    expect(seen.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps a detached job passphrase in daemon memory only, never in its journal', async () => {
    const detached = await json<{ jobs: { id: string }[] }>(
      ['encrypt', '--detach', '--work-factor', '10', '-o', 'detached.age', 'small-1.txt'],
      { KWQM_PASSPHRASE: 'held-in-memory-only' },
    );
    const id = detached.jobs[0]?.id as string;
    expect((await waitForState(id, ['succeeded', 'failed'])).state).toBe('succeeded');
    const back = await run(['decrypt', '-o', 'detached.txt', 'detached.age'], {
      KWQM_PASSPHRASE: 'held-in-memory-only',
    });
    expect(back.code).toBe(0);
    expect(await readFile(join(cwd, 'detached.txt'), 'utf8')).toBe('one');
    const stateDir = join(env.XDG_STATE_HOME as string, 'kwqm');
    for (const name of await readdir(stateDir)) {
      expect(await readFile(join(stateDir, name), 'utf8')).not.toContain('held-in-memory-only');
    }
  });

  it('watch prints the events of every client until Ctrl-C (exit 130)', async () => {
    const watcher: ChildProcess = spawn(process.execPath, [KWQM_BIN, 'watch', '--json'], {
      cwd,
      env: kwqmEnvironment(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => watcher.on('close', (code) => resolve(code)));
    const events = (): { type: string; job?: Snapshot }[] =>
      output
        .split('\n')
        .filter((line) => line.endsWith('}'))
        .map((line) => JSON.parse(line) as { type: string; job?: Snapshot });
    // A job whose whole life the watcher saw: queued, then succeeded.
    const wholeLife = (): string | undefined => {
      const seen = events();
      const queued = new Set(seen.filter((event) => event.type === 'queued').map((event) => event.job?.id));
      return seen.find((event) => event.type === 'succeeded' && queued.has(event.job?.id))?.job?.id;
    };
    watcher.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    // The watcher subscribes once connected; jobs submitted before that are not seen, so keep
    // submitting small jobs until one is seen from start to end.
    const submitted: string[] = [];
    for (let attempt = 0; attempt < 100 && wholeLife() === undefined; attempt += 1) {
      const job = await json<{ jobs: { id: string }[] }>(['hash', '--detach', 'small-2.txt']);
      submitted.push(job.jobs[0]?.id as string);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const seenId = wholeLife();
    expect(submitted).toContain(seenId);
    watcher.kill('SIGINT');
    expect(await exited).toBe(130);
  });

  it('Ctrl-C of a waiting command cancels its daemon job and leaves no partial output', async () => {
    const recipient = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
    const before = (await readdir(cwd)).sort();
    const child = spawn(
      process.execPath,
      [KWQM_BIN, 'encrypt', '--daemon', '--json', '-r', recipient, 'big.bin'],
      {
        cwd,
        env: kwqmEnvironment(env),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    for (;;) {
      if ((await readdir(cwd)).some((entry) => !before.includes(entry))) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect((await readdir(cwd)).sort()).toEqual(before);
    const document = JSON.parse(stdout) as { jobs: { id: string; state: string }[] };
    expect(document.jobs).toEqual([expect.objectContaining({ file: 'big.bin', state: 'canceled' })]);
    expect(
      (await json<{ jobs: Snapshot[] }>(['status', document.jobs[0]?.id as string])).jobs[0]?.state,
    ).toBe('canceled');
  });

  it('daemon stop stops it and waits until it is gone', async () => {
    const stopped = await json<{ running: boolean; stopped: boolean; pid: number }>(['daemon', 'stop']);
    expect(stopped).toMatchObject({ running: false, stopped: true, pid: daemonPid });
    expect((await run(['daemon', 'status'])).code).toBe(4);
    // The socket closes just before the process exits: give it a moment to be reaped.
    const isAlive = () => {
      try {
        process.kill(daemonPid as number, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let attempt = 0; attempt < 100 && isAlive(); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(isAlive()).toBe(false);
  });
});
