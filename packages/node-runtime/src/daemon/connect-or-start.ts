import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type AnyOperationMap, KwqmError, type OperationMap } from '@kwqm/core';
import { moduleUrl } from '../module-url.js';
import { checkConnectOrStartOptions } from './check-client-options.js';
import { checkDaemonOptions } from './check-daemon-options.js';
import { DaemonClient, type DaemonClientOptions } from './daemon-client.js';
import { daemonOptionsFromEnv } from './daemon-options-from-env.js';
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
  checkConnectOrStartOptions(options);
  const { startTimeoutMs, daemonEntry: givenEntry, env, ...connectOptions } = options;
  const socketPath = connectOptions.socketPath ?? resolveDaemonPaths().socketPath;
  const daemonEnv: NodeJS.ProcessEnv = { ...process.env, ...env, KWQM_SOCKET: socketPath };
  // A daemon that exits at start for a reason other than a lost race (bad options, a socket folder
  // it refuses) would only be seen as silence until the start timeout; its exit code ends the wait.
  let failedStart: number | undefined;
  const start = (): void =>
    startDetached(daemonEntry(givenEntry), daemonEnv, (code) => {
      if (code !== 0 && code !== EXIT_ALREADY_RUNNING) failedStart ??= code;
    });
  // The client restarts the daemon itself if it later finds it gone (a crash) while it waits for
  // results; there an entry that vanished meanwhile just means no restart (the reconnect times out).
  const restartDaemon = (): void => {
    try {
      start();
    } catch {
      // Nothing to start: the client's reconnect fails the awaited jobs with CONNECTION_CLOSED.
    }
  };
  const clientOptions: DaemonClientOptions = { ...connectOptions, socketPath, restartDaemon };
  try {
    return await DaemonClient.connect<Ops>(clientOptions);
  } catch (error) {
    if (!KwqmError.is(error) || error.code !== 'DAEMON_UNAVAILABLE') throw error;
  }
  // A bad KWQM_* value would make the daemon exit before it has a log to say why in: refuse it
  // here, naming the variable, before anything is spawned.
  checkDaemonOptions(daemonOptionsFromEnv(daemonEnv));
  start();

  const deadline = Date.now() + (startTimeoutMs ?? 10_000);
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
    if (failedStart !== undefined) {
      const { logPath } = resolveDaemonPaths({ env: daemonEnv });
      // No log when the daemon could not make its folders (it reports those on its stderr only).
      const why = existsSync(logPath)
        ? `its log ${logPath} says why`
        : `it wrote no log at ${logPath} (run \`node ${daemonEntry(givenEntry)}\` with the same KWQM_* environment to see its error)`;
      throw new KwqmError(
        'DAEMON_UNAVAILABLE',
        `The kwqm daemon for ${socketPath} exited at start with code ${failedStart}; ${why}`,
        { cause: lastError, details: { socketPath, exitCode: failedStart, logPath } },
      );
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

/**
 * The script to start: `given`, else `daemon.js` beside the built package (or beside a CommonJS
 * bundle, see module-url.ts). A script that does not exist fails at once with `INVALID_OPTION`
 * rather than as a daemon that never answers (`DAEMON_UNAVAILABLE` after the whole start timeout).
 */
function daemonEntry(given: string | undefined): string {
  const here = moduleUrl(import.meta.url);
  const entry = given ?? (here === undefined ? undefined : fileURLToPath(new URL('./daemon.js', here)));
  if (entry === undefined || !existsSync(entry)) {
    throw new KwqmError(
      'INVALID_OPTION',
      `Cannot start the kwqm daemon: its entry script ${entry ?? '(unknown: this code runs from a bundle)'} does not exist; pass \`daemonEntry\` (see docs/guides/bundling.md)`,
      { details: { option: 'daemonEntry', ...(entry === undefined ? {} : { path: entry }) } },
    );
  }
  return entry;
}

/** How long to wait for a started daemon before starting another (ms). */
const RESTART_INTERVAL_MS = 1500;

/** daemon-main's exit code when another daemon won the lock: the normal end of a lost race. */
const EXIT_ALREADY_RUNNING = 3;

/**
 * Spawns the daemon detached from this process: its own session, no stdio, not waited for.
 * `onExit` hears its exit code if it ends while this process runs (it does not keep it alive).
 */
function startDetached(entry: string, env: NodeJS.ProcessEnv, onExit: (code: number) => void): void {
  const child = spawn(process.execPath, [entry], { detached: true, stdio: 'ignore', env });
  child.on('error', () => {});
  child.on('exit', (code) => {
    if (code !== null) onExit(code);
  });
  child.unref();
}
