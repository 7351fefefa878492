import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { formatEvent } from '../output/format-event.js';
import { connectToDaemon } from '../queue/open-queue.js';
import { InterruptWatch } from './interrupt-watch.js';

/**
 * `kwqm watch`: every event of the daemon's queue as it happens, one line each (NDJSON with
 * `--json`), until Ctrl-C (exit 130). When the daemon restarts, the client reconnects and the
 * events go on.
 */
export async function run(context: CliContext, options: Record<string, unknown>): Promise<ExitCode> {
  const queue = await connectToDaemon(context, { required: true });
  const interrupt = new InterruptWatch();
  const json = options.json === true;
  const unsubscribe = queue.service.subscribe((event) => {
    if (json) {
      context.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    const line = formatEvent(event, new Date(context.now()), context.out, context.cwd);
    if (line !== undefined) context.stdout.write(`${line}\n`);
  });
  if (!json) context.stderr.write('kwqm: watching the queue; Ctrl-C to stop\n');
  try {
    await new Promise<void>((resolve) => interrupt.onInterrupt(resolve));
    return EXIT_CODES.interrupted;
  } finally {
    unsubscribe();
    interrupt.dispose();
    await queue.close();
  }
}
