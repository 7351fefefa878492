import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { daemonSocketPath, ensureDaemon } from '../queue/daemon-queue.js';

/** `kwqm daemon start`: starts the per-user daemon, detached; already running is fine (exit 0). */
export async function run(context: CliContext, options: Record<string, unknown>): Promise<ExitCode> {
  const { client, started } = await ensureDaemon(context);
  const pid = client.serverPid;
  client.close();
  const socket = daemonSocketPath(context);
  if (options.json === true) {
    context.stdout.write(`${JSON.stringify({ running: true, started, pid, socket })}\n`);
  } else {
    context.stdout.write(`${started ? 'started' : 'already running'}: pid ${pid}, socket ${socket}\n`);
  }
  return EXIT_CODES.ok;
}
