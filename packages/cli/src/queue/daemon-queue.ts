import { KwqmError } from '@kwqm/core';
import { connectOrStart, DaemonClient, resolveDaemonPaths } from '@kwqm/node-runtime';
import type { CliContext } from '../cli-context.js';
import type { OpenedQueue } from './opened-queue.js';

const CLIENT_NAME = 'kwqm-cli';

/** The socket the daemon of this environment listens on (`KWQM_SOCKET`, `XDG_RUNTIME_DIR`, …). */
export function daemonSocketPath(context: CliContext): string {
  return resolveDaemonPaths({ env: context.env as NodeJS.ProcessEnv }).socketPath;
}

function wrap(client: DaemonClient): OpenedQueue {
  return {
    kind: 'daemon',
    service: client,
    close: async () => client.close(),
  };
}

/** The client of a running daemon; `undefined` when none answers within `timeoutMs`. */
export async function connectClient(
  context: CliContext,
  timeoutMs: number,
): Promise<DaemonClient | undefined> {
  try {
    return await DaemonClient.connect({
      socketPath: daemonSocketPath(context),
      connectTimeoutMs: timeoutMs,
      clientName: CLIENT_NAME,
    });
  } catch (error) {
    if (KwqmError.is(error) && error.code === 'DAEMON_UNAVAILABLE') return undefined;
    throw error;
  }
}

/** The queue of a running daemon; `undefined` when none answers within `timeoutMs`. */
export async function connectDaemon(
  context: CliContext,
  timeoutMs: number,
): Promise<OpenedQueue | undefined> {
  const client = await connectClient(context, timeoutMs);
  return client === undefined ? undefined : wrap(client);
}

/** Starts the daemon (detached, outliving this command) unless one answers; tells which happened. */
export async function ensureDaemon(context: CliContext): Promise<{ client: DaemonClient; started: boolean }> {
  const running = await connectClient(context, 1000);
  if (running !== undefined) return { client: running, started: false };
  // The daemon inherits this command's environment (its KWQM_* options), but not the passphrase
  // meant for this one command: a long-lived daemon would keep it readable in /proc/PID/environ.
  const client = await connectOrStart({
    socketPath: daemonSocketPath(context),
    clientName: CLIENT_NAME,
    env: { KWQM_PASSPHRASE: undefined },
  });
  return { client, started: true };
}

/** The daemon's queue, starting the daemon when none runs (`--detach`). */
export async function startDaemon(context: CliContext): Promise<OpenedQueue> {
  return wrap((await ensureDaemon(context)).client);
}
