import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { connectClient, daemonSocketPath } from '../queue/daemon-queue.js';

/**
 * `kwqm daemon status`: whether the daemon answers, its pid and socket, and how many jobs run
 * and wait. Exit 0 when running, 4 when not (so scripts can test it).
 */
export async function run(context: CliContext, options: Record<string, unknown>): Promise<ExitCode> {
  const socket = daemonSocketPath(context);
  const client = await connectClient(context, 1000);
  if (client === undefined) {
    if (options.json === true) context.stdout.write(`${JSON.stringify({ running: false, socket })}\n`);
    else context.stdout.write(`not running (socket ${socket})\n`);
    return EXIT_CODES.daemonUnavailable;
  }
  try {
    const jobs = await client.list();
    const running = jobs.filter((job) => job.state === 'running').length;
    const queued = jobs.filter((job) => job.state === 'queued').length;
    const pid = client.serverPid;
    if (options.json === true) {
      context.stdout.write(`${JSON.stringify({ running: true, pid, socket, jobs: { running, queued } })}\n`);
    } else {
      context.stdout.write(`running: pid ${pid}, socket ${socket}, ${running} running, ${queued} queued\n`);
    }
    return EXIT_CODES.ok;
  } finally {
    client.close();
  }
}
