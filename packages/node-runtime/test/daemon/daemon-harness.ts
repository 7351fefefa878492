// Starts real daemon processes (the built dist/daemon.js) in temp folders and remembers every
// pid, so each suite's afterAll can kill what it started. No mocks: real processes, real sockets.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DaemonClient, type DaemonClientOptions } from '../../src/daemon/daemon-client.js';

export const packageDir = fileURLToPath(new URL('../..', import.meta.url));
export const daemonEntry = join(packageDir, 'dist', 'daemon.js');
export const testOperations = fileURLToPath(
  new URL('./fixtures/daemon-test-operations.mjs', import.meta.url),
);

/**
 * Builds dist (tsup) when dist/daemon.js is missing. Staleness is the vitest global setup's job
 * (it rebuilds before any test file runs when a source is newer than the build); rebuilding here
 * mid-run would rewrite files that daemons of other test files are loading. Test files run in
 * parallel, so a lock folder makes one build while the others wait for it.
 */
export function ensureDaemonBuilt(): void {
  if (existsSync(daemonEntry)) return;
  const lock = join(packageDir, 'dist', '.daemon-build.lock');
  mkdirSync(join(packageDir, 'dist'), { recursive: true });
  try {
    mkdirSync(lock);
  } catch {
    const deadline = Date.now() + 120_000;
    while (existsSync(lock) && Date.now() < deadline) execFileSync('sleep', ['0.2']);
    return;
  }
  try {
    const tsup = createRequire(import.meta.url).resolve('tsup/dist/cli-default.js');
    execFileSync(process.execPath, [tsup, '--silent'], { cwd: packageDir, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A private temp folder per test: runtime dir, state dir, files. */
export interface DaemonHome {
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  readonly socketPath: string;
  readonly stateDir: string;
}

const homes: string[] = [];
const pids = new Set<number>();

export function makeDaemonHome(extraEnv: NodeJS.ProcessEnv = {}): DaemonHome {
  const root = mkdtempSync(join(tmpdir(), 'kwqm-daemon-test-'));
  homes.push(root);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_RUNTIME_DIR: join(root, 'run'),
    XDG_STATE_HOME: join(root, 'state'),
    KWQM_SOCKET: '',
    KWQM_STATE_DIR: '',
    KWQM_OPERATIONS: testOperations,
    KWQM_CONCURRENCY: '1',
    KWQM_LOG_LEVEL: 'debug',
    ...extraEnv,
  };
  return {
    root,
    env,
    socketPath: join(root, 'run', 'kwqm', 'kwqm.sock'),
    stateDir: join(root, 'state', 'kwqm'),
  };
}

/** A started daemon process. */
export interface DaemonProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
}

/** Spawns dist/daemon.js for `home` without waiting for it. */
export function spawnDaemon(home: DaemonHome): DaemonProcess {
  const child = spawn(process.execPath, [daemonEntry], {
    env: home.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const pid = child.pid as number;
  pids.add(pid);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      pids.delete(pid);
      resolve(code ?? signal ?? -1);
    });
  });
  return { child, pid, exited };
}

/** Spawns a daemon and waits until it answers `hello`. */
export async function startDaemon(home: DaemonHome): Promise<DaemonProcess> {
  const daemon = spawnDaemon(home);
  let exitedEarly: number | string | undefined;
  void daemon.exited.then((code) => {
    exitedEarly = code;
  });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exitedEarly !== undefined) throw new Error(`daemon exited early with ${exitedEarly}`);
    try {
      const client = await DaemonClient.connect({ socketPath: home.socketPath, reconnectTimeoutMs: 0 });
      client.close();
      return daemon;
    } catch {
      if (Date.now() > deadline) throw new Error('daemon did not answer in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Connects a client to `home`'s daemon. */
export function connectClient(home: DaemonHome, options: DaemonClientOptions = {}): Promise<DaemonClient> {
  return DaemonClient.connect({ socketPath: home.socketPath, ...options });
}

/** Remembers a pid this suite started some other way (e.g. a daemon spawned by connectOrStart). */
export function trackPid(pid: number): void {
  pids.add(pid);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills every daemon this suite started (by pid) and removes the temp folders. */
export function cleanUp(): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  pids.clear();
  for (const root of homes.splice(0)) rmSync(root, { recursive: true, force: true });
}
