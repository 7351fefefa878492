import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { connectClient, daemonSocketPath } from '../queue/daemon-queue.js';
import { isProcessAlive } from './is-process-alive.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForExit(context: CliContext, pid: number, message: string | undefined): Promise<void> {
  for (let waited = 0; isProcessAlive(pid); waited += 50) {
    if (waited === 1000 && message !== undefined) context.stderr.write(`kwqm: ${message}\n`);
    await pause(50);
  }
}

/**
 * `kwqm daemon stop [--cancel-running]`: asks the daemon to stop — it stops accepting, lets
 * running jobs finish (or cancels them), keeps queued ones in its journal for the next start —
 * and waits until its socket stops answering and its process has exited, so a `daemon start`
 * right after it starts a new one. Not running is fine (exit 0).
 */
export async function run(context: CliContext, options: Record<string, unknown>): Promise<ExitCode> {
  const socket = daemonSocketPath(context);
  const client = await connectClient(context, 1000);
  let pid: number | null = null;
  if (client !== undefined) {
    pid = client.serverPid;
    let running = 0;
    try {
      running = (await client.list()).filter((job) => job.state === 'running').length;
      await client.shutdown({ cancelRunning: options.cancelRunning === true });
    } finally {
      client.close();
    }
    // The answer comes before the daemon is gone; wait until it no longer accepts connections.
    for (;;) {
      const probe = await connectClient(context, 1000);
      if (probe === undefined) break;
      probe.close();
      await pause(50);
    }
    // The socket closes as soon as it stops accepting, but the process lives (and holds its lock)
    // until its running jobs end: a `daemon start` before then could not take the lock.
    const jobs = `${running} running job${running === 1 ? '' : 's'}`;
    await waitForExit(
      context,
      pid,
      running === 0
        ? undefined
        : options.cancelRunning === true
          ? `waiting for the daemon (pid ${pid}) to cancel its ${jobs}`
          : `waiting for the daemon (pid ${pid}) to finish its ${jobs} (--cancel-running cancels them)`,
    );
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
