import { KwqmError } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import type { OpenedQueue } from './opened-queue.js';

// PROVISIONAL until the daemon client lands in @kwqm/node-runtime: no daemon is ever found.

/** Connects to a running daemon within `timeoutMs`; `undefined` when none answers. */
export async function connectDaemon(
  _context: CliContext,
  _timeoutMs: number,
): Promise<OpenedQueue | undefined> {
  return undefined;
}

/** Connects to the daemon, starting it (detached) when none runs. */
export async function startDaemon(_context: CliContext): Promise<OpenedQueue> {
  throw new KwqmError('DAEMON_UNAVAILABLE', 'The daemon cannot be started yet');
}
