import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { connectClient, daemonSocketPath } from '../queue/daemon-queue.js';

/**
 * `kwqm daemon stop [--cancel-running]`: asks the daemon to stop — it stops accepting, lets
 * running jobs finish (or cancels them), keeps queued ones in its journal for the next start —
 * and waits until its socket stops answering. Not running is fine (exit 0).
 */
export async function run(context: CliContext, options: Record<string, unknown>): Promise<ExitCode> {
  const socket = daemonSocketPath(context);
  const client = await connectClient(context, 1000);
  let pid: number | null = null;
  if (client !== undefined) {
    pid = client.serverPid;
    try {
      await client.shutdown({ cancelRunning: options.cancelRunning === true });
    } finally {
      client.close();
    }
    // The answer comes before the daemon is gone; wait until it no longer accepts connections.
    for (;;) {
      const probe = await connectClient(context, 1000);
      if (probe === undefined) break;
      probe.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  if (options.json === true) {
    context.stdout.write(
      `${JSON.stringify({ running: false, stopped: client !== undefined, pid, socket })}\n`,
    );
  } else {
    context.stdout.write(client === undefined ? `not running (socket ${socket})\n` : `stopped: pid ${pid}\n`);
  }
  return EXIT_CODES.ok;
}
