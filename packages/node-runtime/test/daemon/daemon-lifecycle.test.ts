import { execFile } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KwqmError } from '@kwqm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOrStart } from '../../src/daemon/connect-or-start.js';
import {
  cleanUp,
  connectClient,
  daemonEntry,
  ensureDaemonBuilt,
  isAlive,
  makeDaemonHome,
  packageDir,
  spawnDaemon,
  startDaemon,
  trackPid,
} from './daemon-harness.js';

const execFileAsync = promisify(execFile);

beforeAll(() => ensureDaemonBuilt(), 120_000);
afterAll(() => cleanUp());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return (error as KwqmError).code;
  }
}

/** Pids of live daemon processes started for `root` (found through their environment). */
function daemonsOf(root: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!command.includes(daemonEntry)) continue;
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').includes(root)) continue;
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(' ')[2];
      if (state !== 'Z') found.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

describe('one daemon per socket', () => {
  it('refuses a second start with DAEMON_ALREADY_RUNNING (exit code 3) while the first keeps serving', async () => {
    const home = makeDaemonHome();
    const first = await startDaemon(home);
    const second = spawnDaemon(home);
    let stderr = '';
    second.child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    expect(await second.exited).toBe(3);
    expect(stderr).toContain('DAEMON_ALREADY_RUNNING');
    const client = await connectClient(home);
    expect(client.serverPid).toBe(first.pid);
    client.close();
    // Two node processes start here; under a loaded CI machine that outlasts the 5 s default.
  }, 60_000);

  it('starts exactly one daemon when 8 processes call connectOrStart() at once, also over a killed one', async () => {
    const home = makeDaemonHome();
    // The built package, as a real caller would import it.
    const bundle = join(packageDir, 'dist', 'index.js');
    const script = `
      const { connectOrStart } = await import(${JSON.stringify(bundle)});
      const client = await connectOrStart({ daemonEntry: ${JSON.stringify(daemonEntry)}, startTimeoutMs: 30000 });
      process.stdout.write(String(client.serverPid));
      client.close();
    `;
    async function race(): Promise<number> {
      const runs = Array.from({ length: 8 }, () =>
        execFileAsync(process.execPath, ['--input-type=module', '-e', script], { env: home.env }),
      );
      const pids = (await Promise.all(runs)).map((run) => Number(run.stdout));
      for (const pid of pids) trackPid(pid);
      expect(new Set(pids).size).toBe(1);
      const winner = pids[0] as number;
      expect(isAlive(winner)).toBe(true);
      // Losing daemons (if any were spawned) exit on their own right after losing the lock.
      await expect.poll(() => daemonsOf(home.root), { timeout: 10_000 }).toEqual([winner]);
      return winner;
    }

    const first = await race();
    // kill -9 leaves a stale lock and socket file: the next race must take them over exactly once.
    process.kill(first, 'SIGKILL');
    await expect.poll(() => daemonsOf(home.root), { timeout: 10_000 }).toEqual([]);
    const second = await race();
    expect(second).not.toBe(first);
  }, 90_000);
});

describe('connectOrStart in this process', () => {
  it('starts the daemon, and starts it again after a crash while a result is awaited', async () => {
    const home = makeDaemonHome();
    const client = await connectOrStart({
      socketPath: home.socketPath,
      daemonEntry,
      env: home.env,
      reconnectTimeoutMs: 30_000,
    });
    const first = client.serverPid;
    trackPid(first);
    const gate = join(home.root, 'gate');
    const job = await client.submit({ operation: 'wait-for-file', params: { path: gate } });
    process.kill(first, 'SIGKILL');
    writeFileSync(gate, 'go');
    // Nobody else starts a daemon: the client does, reconnects and resubscribes.
    expect(await job.result).toEqual({ released: gate });
    expect(client.serverPid).not.toBe(first);
    trackPid(client.serverPid);
    client.close();
  }, 60_000);
});

describe('stopping', () => {
  it('stops on SIGTERM with exit 0, keeps queued jobs in the journal and runs them after a restart', async () => {
    const home = makeDaemonHome();
    const daemon = await startDaemon(home);
    const client = await connectClient(home, { reconnectTimeoutMs: 0 });
    const gate = join(home.root, 'gate');
    const running = await client.submit({ operation: 'wait-for-file', params: { path: gate } });
    const queued = await client.submit({ operation: 'noop', params: { kept: true } });
    await expect.poll(async () => (await client.get(running.id))?.state).toBe('running');

    process.kill(daemon.pid, 'SIGTERM');
    // Once it is stopping (queued jobs parked), let the running job finish: the daemon waits for it.
    const log = join(home.stateDir, 'daemon.log');
    await expect.poll(() => readFileSync(log, 'utf8').includes('Daemon stopping')).toBe(true);
    writeFileSync(gate, 'go');
    expect(await daemon.exited).toBe(0);
    expect(await running.result).toEqual({ released: gate });
    expect(await codeOf(queued.result)).toBe('CONNECTION_CLOSED');

    await startDaemon(home);
    const again = await connectClient(home);
    expect(await again.waitForResult(queued.id)).toBeNull();
    again.close();
  });

  it('stops on a shutdown request, canceling running jobs when asked', async () => {
    const home = makeDaemonHome();
    const daemon = await startDaemon(home);
    const client = await connectClient(home, { reconnectTimeoutMs: 0 });
    const running = await client.submit({
      operation: 'wait-for-file',
      params: { path: join(home.root, 'never') },
    });
    await expect.poll(async () => (await client.get(running.id))?.state).toBe('running');
    await client.shutdown({ cancelRunning: true });
    expect(await codeOf(running.result)).toBe('CANCELED');
    expect(await daemon.exited).toBe(0);
    expect(readdirSync(join(home.root, 'run', 'kwqm'))).toEqual([]);
  });
});

describe('starting', () => {
  async function refusedStart(
    prepare: (runtimeDir: string, home: ReturnType<typeof makeDaemonHome>) => void,
  ) {
    const home = makeDaemonHome();
    const runtimeDir = join(home.root, 'run', 'kwqm');
    mkdirSync(join(home.root, 'run'), { recursive: true });
    prepare(runtimeDir, home);
    const daemon = spawnDaemon(home);
    let stderr = '';
    daemon.child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    expect(await daemon.exited).toBe(1);
    expect(existsSync(home.socketPath)).toBe(false);
    return stderr;
  }

  it('refuses a socket folder that is a symlink', async () => {
    const stderr = await refusedStart((runtimeDir, home) => {
      const elsewhere = join(home.root, 'elsewhere');
      mkdirSync(elsewhere, { mode: 0o700 });
      symlinkSync(elsewhere, runtimeDir);
    });
    expect(stderr).toContain('EACCES');
  });

  it.runIf(process.getuid?.() === 0)('refuses a socket folder owned by another user', async () => {
    const stderr = await refusedStart((runtimeDir) => {
      mkdirSync(runtimeDir, { mode: 0o700 });
      chownSync(runtimeDir, 65534, 65534);
    });
    expect(stderr).toContain('EACCES');
  });

  it('skips corrupt journal lines with a warning and restores the rest', async () => {
    const home = makeDaemonHome();
    mkdirSync(home.stateDir, { recursive: true, mode: 0o700 });
    const job = {
      id: 'old-1',
      operation: 'noop',
      params: {},
      priority: 'low',
      createdAt: 1,
      hadSecrets: false,
    };
    writeFileSync(
      join(home.stateDir, 'journal.ndjson'),
      [
        '{"type":"queued","job":{"id":"broken"',
        'garbage',
        JSON.stringify({ type: 'queued', job }),
        '{"type":"started","id":"old-1","at":',
      ].join('\n'),
    );
    await startDaemon(home);
    const client = await connectClient(home);
    expect(await client.waitForResult('old-1')).toBeNull();
    expect((await client.get('old-1'))?.priority).toBe('low');
    client.close();
    const warnings = readFileSync(join(home.stateDir, 'daemon.log'), 'utf8')
      .split('\n')
      .filter((line) => line.includes(' WARN '));
    expect(warnings).toHaveLength(3);
  });
});
