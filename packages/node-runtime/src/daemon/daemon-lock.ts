import {
  closeSync,
  lstatSync,
  openSync,
  readFileSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { KwqmError } from '@kwqm/core';
import { isNamedPipe } from './daemon-paths.js';
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
 * killed with -9) is removed by whichever start first creates the takeover file (O_EXCL too), and
 * only while it still holds the dead pid; then the O_EXCL race decides again. (Moving the stale
 * lock aside and putting back a racer's fresh one, the first design, left a window in which a
 * third start could also win.) Once the lock is ours, a socket file nobody listens on is
 * a dead daemon's and is removed; one that answers means a daemon without our lock file is
 * live (its lock was deleted by hand), which also gives `DAEMON_ALREADY_RUNNING`.
 */
export async function acquireDaemonLock(lockPath: string, socketPath: string): Promise<DaemonLock> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (tryCreate(lockPath)) {
      if (await probeSocket(socketPath)) {
        removeIfOurs(lockPath);
        throw alreadyRunning(socketPath);
      }
      // A named pipe vanishes with its process; there is no file to clear.
      if (!isNamedPipe(socketPath)) {
        try {
          removeDeadSocket(socketPath);
        } catch (error) {
          removeIfOurs(lockPath);
          throw error;
        }
      }
      return { release: () => removeIfOurs(lockPath) };
    }
    const holder = readPid(lockPath);
    if (holder !== undefined && isAlive(holder)) throw alreadyRunning(socketPath, holder);
    // No pid yet: a racer created the file and is about to write its pid. Only an empty lock that
    // stays empty (its writer died in between) is stale.
    if (holder === undefined && ageMs(lockPath) < EMPTY_LOCK_GRACE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      continue;
    }
    if (!removeStaleLock(lockPath, holder)) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new KwqmError(
    'DAEMON_ALREADY_RUNNING',
    `Could not take the daemon lock ${lockPath}; another start keeps racing`,
    {
      details: { lockPath },
    },
  );
}

/** How long a lock file may hold no pid before it counts as a crashed start's. */
const EMPTY_LOCK_GRACE_MS = 2000;

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0; // Gone: the next attempt creates it.
  }
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

/**
 * Removes a dead daemon's lock, holding the takeover file while it checks and removes, so no
 * other start can remove a fresh lock by mistake. Returns false when another start holds the
 * takeover file (the caller waits and tries again).
 */
function removeStaleLock(lockPath: string, deadPid: number | undefined): boolean {
  const takeoverPath = `${lockPath}.takeover`;
  if (!tryCreate(takeoverPath)) {
    // A start that crashed while holding it would block every later start: clear a dead holder's.
    const holder = readPid(takeoverPath);
    if (holder !== undefined && !isAlive(holder)) removeIfPid(takeoverPath, holder);
    return false;
  }
  try {
    // Still the dead daemon's lock (nobody can replace it while it exists): remove it.
    if (readPid(lockPath) === deadPid) removeFile(lockPath);
  } finally {
    removeFile(takeoverPath);
  }
  return true;
}

function removeIfPid(path: string, pid: number): void {
  if (readPid(path) === pid) removeFile(path);
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
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A daemon killed with -9 stays a zombie until its parent (init, once the starter exited) reaps
 * it, and signal 0 still reaches a zombie: without this check a new start would take a dead
 * daemon's lock for a live one. Linux only (elsewhere: not a zombie as far as we can tell).
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may itself hold them.
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return false;
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

/**
 * Removes the socket file a dead daemon left, and only a socket: `KWQM_SOCKET` naming a regular
 * file (a typo for some other path) would otherwise cost the user that file. Anything else at the
 * path is refused with `EEXIST`.
 */
function removeDeadSocket(socketPath: string): void {
  let stats: Stats;
  try {
    stats = lstatSync(socketPath);
  } catch {
    return; // Nothing there.
  }
  if (!stats.isSocket()) {
    throw new KwqmError(
      'EEXIST',
      `Refusing to start a daemon on ${socketPath}: something other than a socket is there (${stats.isDirectory() ? 'a folder' : stats.isSymbolicLink() ? 'a symbolic link' : 'a file'}); remove it or choose another KWQM_SOCKET`,
      { errno: 'EEXIST', details: { path: socketPath } },
    );
  }
  removeFile(socketPath);
}

function alreadyRunning(socketPath: string, pid?: number): KwqmError {
  return new KwqmError(
    'DAEMON_ALREADY_RUNNING',
    `A kwqm daemon is already running on ${socketPath}${pid === undefined ? '' : ` (pid ${pid})`}`,
    { details: pid === undefined ? { socketPath } : { socketPath, pid } },
  );
}
