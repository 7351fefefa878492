import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { KwqmError } from '@kwqm/core';
import { probeSocket } from './socket-probe.js';

/** The lock a running daemon holds: released on a clean stop; left behind by a crash, and then taken over. */
export interface DaemonLock {
  /** Removes the lock file if it is still ours. */
  release(): void;
}

/**
 * Makes this process the one daemon for `socketPath`. The lock is a file created with O_EXCL
 * holding our pid, so of any number of racing starts exactly one wins; the others find the
 * winner's pid alive and fail with `DAEMON_ALREADY_RUNNING`. A lock whose pid is dead (a daemon
 * killed with -9) is moved aside atomically and retaken; if the moved file turns out to be a
 * racer's fresh lock, it is put back. Once the lock is ours, a socket file nobody listens on is
 * a dead daemon's and is removed; one that answers means a daemon without our lock file is
 * live (its lock was deleted by hand), which also gives `DAEMON_ALREADY_RUNNING`.
 */
export async function acquireDaemonLock(lockPath: string, socketPath: string): Promise<DaemonLock> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lockPath)) {
      if (await probeSocket(socketPath)) {
        removeIfOurs(lockPath);
        throw alreadyRunning(socketPath);
      }
      removeFile(socketPath);
      return { release: () => removeIfOurs(lockPath) };
    }
    const holder = readPid(lockPath);
    if (holder !== undefined && isAlive(holder)) throw alreadyRunning(socketPath, holder);
    takeOverStale(lockPath, holder);
  }
  throw new KwqmError(
    'DAEMON_ALREADY_RUNNING',
    `Could not take the daemon lock ${lockPath}; another start keeps racing`,
    {
      details: { lockPath },
    },
  );
}

function tryCreate(lockPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw KwqmError.from(error, 'IO_ERROR');
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Moves a dead daemon's lock aside; restores it if a racer replaced it between our read and the move. */
function takeOverStale(lockPath: string, deadPid: number | undefined): void {
  const aside = `${lockPath}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // Gone already: someone else moved it; the next O_EXCL attempt decides.
  }
  const moved = readPid(aside);
  if (moved !== deadPid && moved !== undefined && isAlive(moved)) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // A third start holds the lock now; the live daemon keeps its socket, so nothing breaks.
    }
  }
  removeFile(aside);
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeIfOurs(lockPath: string): void {
  if (readPid(lockPath) === process.pid) removeFile(lockPath);
}

function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function alreadyRunning(socketPath: string, pid?: number): KwqmError {
  return new KwqmError(
    'DAEMON_ALREADY_RUNNING',
    `A kwqm daemon is already running on ${socketPath}${pid === undefined ? '' : ` (pid ${pid})`}`,
    { details: pid === undefined ? { socketPath } : { socketPath, pid } },
  );
}
