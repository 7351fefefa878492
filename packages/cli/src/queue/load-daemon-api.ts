import { KwqmError } from '@kwqm/core';

/** The part of @kwqm/node-runtime's daemon API the CLI uses. */
export interface DaemonApi {
  readonly DaemonClient: typeof import('../../../node-runtime/src/daemon/daemon-client.js').DaemonClient;
  readonly connectOrStart: typeof import('../../../node-runtime/src/daemon/connect-or-start.js').connectOrStart;
  readonly resolveDaemonPaths: typeof import('../../../node-runtime/src/daemon/daemon-paths.js').resolveDaemonPaths;
}

/**
 * Loads the daemon client from @kwqm/node-runtime. TRANSITIONAL: the package index does not
 * export the daemon API yet (the daemon and pool helpers add it); until then this fails with
 * `DAEMON_UNAVAILABLE`, so the default mode falls back to running jobs in-process.
 */
export async function loadDaemonApi(): Promise<DaemonApi> {
  const runtime = (await import('@kwqm/node-runtime')) as unknown as Partial<DaemonApi>;
  const { DaemonClient, connectOrStart, resolveDaemonPaths } = runtime;
  if (DaemonClient === undefined || connectOrStart === undefined || resolveDaemonPaths === undefined) {
    throw new KwqmError('DAEMON_UNAVAILABLE', 'This @kwqm/node-runtime build has no daemon client');
  }
  return { DaemonClient, connectOrStart, resolveDaemonPaths };
}
