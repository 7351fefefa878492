import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDaemonLock } from './daemon-lock.js';

let dir: string;
let lockPath: string;
let socketPath: string;
const servers: Server[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kwqm-lock-'));
  lockPath = join(dir, 'kwqm.sock.lock');
  socketPath = join(dir, 'kwqm.sock');
});
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

/** The one-letter state /proc gives for `pid` ('S', 'R', 'Z'…), or undefined when not listed. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return undefined;
  }
}

function listen(path: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  return new Promise((resolve) => server.listen(path, () => resolve()));
}

/** Leaves a socket file nobody listens on, as a daemon killed with -9 does (a closed server removes its own). */
async function leaveStaleSocket(path: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

describe('acquireDaemonLock', () => {
  it('creates the lock with our pid and releases it', async () => {
    const lock = await acquireDaemonLock(lockPath, socketPath);
    expect(readFileSync(lockPath, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('refuses while a live process holds the lock', async () => {
    const lock = await acquireDaemonLock(lockPath, socketPath);
    await expect(acquireDaemonLock(lockPath, socketPath)).rejects.toMatchObject({
      code: 'DAEMON_ALREADY_RUNNING',
    });
    lock.release();
  });

  it('takes over a dead daemon’s lock and removes its stale socket file', async () => {
    writeFileSync(lockPath, `${deadPid()}\n`);
    await leaveStaleSocket(socketPath);
    expect(lstatSync(socketPath).isSocket()).toBe(true);
    const lock = await acquireDaemonLock(lockPath, socketPath);
    expect(readFileSync(lockPath, 'utf8').trim()).toBe(String(process.pid));
    expect(existsSync(socketPath)).toBe(false);
    lock.release();
  });

  it('refuses a regular file at the socket path (EEXIST), keeping it and releasing the lock', async () => {
    writeFileSync(socketPath, 'notes\n');
    await expect(acquireDaemonLock(lockPath, socketPath)).rejects.toMatchObject({
      code: 'EEXIST',
      details: { path: socketPath },
    });
    expect(readFileSync(socketPath, 'utf8')).toBe('notes\n');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('refuses when something answers on the socket even without a lock file', async () => {
    await listen(socketPath);
    await expect(acquireDaemonLock(lockPath, socketPath)).rejects.toMatchObject({
      code: 'DAEMON_ALREADY_RUNNING',
    });
    expect(existsSync(lockPath)).toBe(false);
  });

  it('lets one of several callers take over a stale lock; the others find it held', async () => {
    // Across processes this race is tested by the 8-process connectOrStart test after a kill -9.
    writeFileSync(lockPath, `${deadPid()}\n`);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => acquireDaemonLock(lockPath, socketPath)),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected')
        expect(result.reason).toMatchObject({ code: 'DAEMON_ALREADY_RUNNING' });
    }
    expect(readFileSync(lockPath, 'utf8').trim()).toBe(String(process.pid));
  });
  it('takes over the lock of a daemon killed with -9 that is still a zombie', async (context) => {
    // `sh` starts `sleep 30` in the background and becomes `sleep 60`, which never reaps it:
    // once killed, the background sleep stays a zombie, as a daemon killed with -9 does until
    // init reaps it. Signal 0 still reaches a zombie.
    const parent = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 60'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const zombie = await new Promise<number>((resolve) => {
        parent.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      });
      // Inside some sandboxes /proc belongs to another pid namespace and lists none of our
      // processes; there a zombie cannot be told from a live process, and nothing is tested.
      if (processState(parent.pid as number) === undefined) {
        context.skip('/proc does not list the processes this test starts');
      }
      process.kill(zombie, 'SIGKILL');
      // Some init systems reap it at once (then it is simply dead); otherwise it is a zombie.
      await expect.poll(() => processState(zombie) ?? 'gone').toMatch(/^(Z|gone)$/);
      writeFileSync(lockPath, `${zombie}\n`);
      const lock = await acquireDaemonLock(lockPath, socketPath);
      expect(readFileSync(lockPath, 'utf8').trim()).toBe(String(process.pid));
      lock.release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('waits for a racer that created the lock but has not written its pid yet', async () => {
    writeFileSync(lockPath, '');
    // A live racer: it writes its pid a moment later, and then holds the lock.
    setTimeout(() => writeFileSync(lockPath, `${process.ppid}\n`), 100);
    await expect(acquireDaemonLock(lockPath, socketPath)).rejects.toMatchObject({
      code: 'DAEMON_ALREADY_RUNNING',
    });
    expect(readFileSync(lockPath, 'utf8').trim()).toBe(String(process.ppid));
  });
});
