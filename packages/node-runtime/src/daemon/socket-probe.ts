import { connect } from 'node:net';

/**
 * Tries to connect to a Unix socket and hangs up at once: `true` when something listens there.
 * `ECONNREFUSED` (a socket file nobody listens on: a dead daemon's) and `ENOENT` give `false`.
 */
export function probeSocket(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(alive: boolean): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(alive);
    }
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
