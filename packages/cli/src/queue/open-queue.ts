import { KwqmError } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import type { OpenedQueue } from './opened-queue.js';
import type { QueueMode } from './queue-mode.js';

// How long `auto` mode waits for a daemon to answer before running the jobs in-process. A live
// daemon answers a local socket in well under a millisecond; a missing one fails at once
// (ENOENT / ECONNREFUSED), so this only bounds a daemon that is alive but stuck. It was 500 ms:
// on a loaded 2-core machine (load average ~9) a live daemon's hello took longer now and then,
// and the jobs ran in-process, out of every other `kwqm list`, without a word.
const PROBE_TIMEOUT_MS = 3000;

/** Opens the queue a file command submits to, following `--embedded` / `--daemon` / `--detach`. */
export async function openQueue(mode: QueueMode, context: CliContext): Promise<OpenedQueue> {
  if (mode === 'embedded') return openEmbedded();
  if (mode === 'detach') {
    const { startDaemon } = await import('./daemon-queue.js');
    return startDaemon(context);
  }
  const { connectDaemon } = await import('./daemon-queue.js');
  const daemon = await connectDaemon(context, PROBE_TIMEOUT_MS).catch((error: unknown) => {
    // No daemon can listen on a socket path longer than a socket address holds: for `auto` that
    // is no daemon, and the jobs run here; `--daemon` (and `list`, …) report the path instead.
    if (mode === 'auto' && isUnusableSocketPath(error)) return undefined;
    throw error;
  });
  if (daemon !== undefined) return daemon;
  if (mode === 'daemon') throw daemonUnavailable();
  return openEmbedded();
}

function isUnusableSocketPath(error: unknown): boolean {
  return KwqmError.is(error) && error.code === 'INVALID_OPTION' && error.details?.option === 'socketPath';
}

async function openEmbedded(): Promise<OpenedQueue> {
  const { openEmbeddedQueue } = await import('./embedded-queue.js');
  return openEmbeddedQueue();
}

function daemonUnavailable(): KwqmError {
  return new KwqmError(
    'DAEMON_UNAVAILABLE',
    'No kwqm daemon is running (start one with `kwqm daemon start`)',
  );
}

/**
 * Connects to a running daemon for the management commands. With `required`, no daemon is
 * `DAEMON_UNAVAILABLE` (exit 4); without, it answers `undefined`.
 */
export async function connectToDaemon(context: CliContext, options: { required: true }): Promise<OpenedQueue>;
export async function connectToDaemon(
  context: CliContext,
  options: { required: boolean },
): Promise<OpenedQueue | undefined>;
export async function connectToDaemon(
  context: CliContext,
  options: { required: boolean },
): Promise<OpenedQueue | undefined> {
  const { connectDaemon } = await import('./daemon-queue.js');
  const daemon = await connectDaemon(context, PROBE_TIMEOUT_MS);
  if (daemon === undefined && options.required) throw daemonUnavailable();
  return daemon;
}
