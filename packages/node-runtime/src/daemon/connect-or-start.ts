import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type AnyOperationMap, KwqmError, type OperationMap } from '@kwqm/core';
import { DaemonClient, type DaemonClientOptions } from './daemon-client.js';
import { resolveDaemonPaths } from './daemon-paths.js';

/** Options of {@link connectOrStart}. */
export interface ConnectOrStartOptions extends DaemonClientOptions {
  /** How long to wait for a started daemon to answer, in ms. @default 10000 */
  readonly startTimeoutMs?: number;
  /** The daemon entry script. @default the built package's daemon.js, next to this file */
  readonly daemonEntry?: string;
  /**
   * Extra environment for a started daemon (its options: `KWQM_CONCURRENCY`, `KWQM_OPERATIONS`, …;
   * see docs/guides/daemon.md). The socket path is always passed as `KWQM_SOCKET`. @default {}
   */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Connects to the user's daemon, starting it first when none answers — as ssh-agent and
 * gpg-agent are started on demand. The daemon runs detached (it outlives this process) with
 * its output going nowhere but its log. Safe to call from many processes at once: each may
 * spawn a daemon, but the daemon's lock lets exactly one of them run (the others exit at
 * once), and every caller polls until that one answers. `DAEMON_UNAVAILABLE` after
 * `startTimeoutMs`.
 */
export async function connectOrStart<Ops extends OperationMap = AnyOperationMap>(
  options: ConnectOrStartOptions = {},
): Promise<DaemonClient<Ops>> {
  const socketPath = options.socketPath ?? resolveDaemonPaths().socketPath;
  const entry = options.daemonEntry ?? fileURLToPath(new URL('./daemon.js', import.meta.url));
  const start = (): void => startDetached(entry, { ...process.env, ...options.env, KWQM_SOCKET: socketPath });
  // The client restarts the daemon itself if it later finds it gone (a crash) while it waits for results.
  const clientOptions: DaemonClientOptions = { ...options, socketPath, restartDaemon: start };
  try {
    return await DaemonClient.connect<Ops>(clientOptions);
  } catch (error) {
    if (!KwqmError.is(error) || error.code !== 'DAEMON_UNAVAILABLE') throw error;
  }
  start();

  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  let delay = 10;
  let lastError: unknown;
  let startedAt = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 200);
    // The daemon we started may have lost the lock to one that then died before answering:
    // start another now and then. A start that finds a live daemon's lock exits at once.
    if (Date.now() - startedAt >= RESTART_INTERVAL_MS) {
      start();
      startedAt = Date.now();
    }
    try {
      return await DaemonClient.connect<Ops>(clientOptions);
    } catch (error) {
      if (!KwqmError.is(error) || error.code !== 'DAEMON_UNAVAILABLE') throw error;
      lastError = error;
    }
  }
  throw new KwqmError(
    'DAEMON_UNAVAILABLE',
    `Started a kwqm daemon for ${socketPath}, but it did not answer in time`,
    {
      cause: lastError,
      details: { socketPath },
    },
  );
}

/** How long to wait for a started daemon before starting another (ms). */
const RESTART_INTERVAL_MS = 1500;

/** Spawns the daemon detached from this process: its own session, no stdio, not waited for. */
function startDetached(entry: string, env: NodeJS.ProcessEnv): void {
  const child = spawn(process.execPath, [entry], { detached: true, stdio: 'ignore', env });
  child.on('error', () => {});
  child.unref();
}
