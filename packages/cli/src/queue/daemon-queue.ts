import { KwqmError } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import { loadDaemonApi } from './load-daemon-api.js';
import type { OpenedQueue } from './opened-queue.js';

type DaemonClient = Awaited<ReturnType<Awaited<ReturnType<typeof loadDaemonApi>>['DaemonClient']['connect']>>;

const CLIENT_NAME = 'kwqm-cli';

/** The socket the daemon of this environment listens on (`KWQM_SOCKET`, `XDG_RUNTIME_DIR`, …). */
export async function daemonSocketPath(context: CliContext): Promise<string> {
  const { resolveDaemonPaths } = await loadDaemonApi();
  return resolveDaemonPaths({ env: context.env as NodeJS.ProcessEnv }).socketPath;
}

function wrap(client: DaemonClient): OpenedQueue {
  return {
    kind: 'daemon',
    service: client,
    // The client reconnects by itself after a daemon restart; it has no "gone for good" signal
    // yet, so a watcher ends only on Ctrl-C.
    closed: new Promise<void>(() => {}),
    close: async () => client.close(),
  };
}

/** Connects to a running daemon within `timeoutMs`; `undefined` when none answers. */
export async function connectDaemon(
  context: CliContext,
  timeoutMs: number,
): Promise<OpenedQueue | undefined> {
  try {
    const { DaemonClient } = await loadDaemonApi();
    const client = await DaemonClient.connect({
      socketPath: await daemonSocketPath(context),
      connectTimeoutMs: timeoutMs,
      clientName: CLIENT_NAME,
    });
    return wrap(client);
  } catch (error) {
    if (KwqmError.is(error) && error.code === 'DAEMON_UNAVAILABLE') return undefined;
    throw error;
  }
}

/** Connects to the daemon, starting it (detached, outliving this command) when none runs. */
export async function startDaemon(context: CliContext): Promise<OpenedQueue> {
  const { connectOrStart } = await loadDaemonApi();
  return wrap(await connectOrStart({ socketPath: await daemonSocketPath(context), clientName: CLIENT_NAME }));
}

/** The raw client of a running daemon, for `kwqm daemon status|stop`; `undefined` when none answers. */
export async function connectClient(
  context: CliContext,
  timeoutMs: number,
): Promise<DaemonClient | undefined> {
  try {
    const { DaemonClient } = await loadDaemonApi();
    return await DaemonClient.connect({
      socketPath: await daemonSocketPath(context),
      connectTimeoutMs: timeoutMs,
      clientName: CLIENT_NAME,
    });
  } catch (error) {
    if (KwqmError.is(error) && error.code === 'DAEMON_UNAVAILABLE') return undefined;
    throw error;
  }
}

/** Starts the daemon unless one answers; tells which happened. */
export async function ensureDaemon(context: CliContext): Promise<{ client: DaemonClient; started: boolean }> {
  const running = await connectClient(context, 1000);
  if (running !== undefined) return { client: running, started: false };
  const { connectOrStart } = await loadDaemonApi();
  const socketPath = await daemonSocketPath(context);
  return { client: await connectOrStart({ socketPath, clientName: CLIENT_NAME }), started: true };
}
