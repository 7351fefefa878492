import { KwqmError } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { formatErrorLine } from '../output/error-line.js';
import { formatEvent } from '../output/format-event.js';
import { connectToDaemon } from '../queue/open-queue.js';
import { InterruptWatch } from './interrupt-watch.js';

/**
 * `kwqm watch`: every event of the daemon's queue as it happens, one line each (NDJSON with
 * `--json`), until Ctrl-C (exit 130). When the daemon restarts, the client reconnects and the
 * events go on; when it stops for good, one error line and exit 4 (`DAEMON_UNAVAILABLE`).
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
  let onIdle: (() => void) | undefined;
  try {
    const end = await new Promise<'interrupted' | 'gone'>((resolve) => {
      interrupt.onInterrupt(() => resolve('interrupted'));
      // The client reconnects to a restarted daemon on its own. When it gives up it holds no
      // handle any more and the event loop runs dry: the daemon is gone for good. (Without this
      // the process ended with Node's status 13 for an unsettled await, and no word.)
      onIdle = () => resolve('gone');
      process.once('beforeExit', onIdle);
    });
    if (end === 'interrupted') return interrupt.exitCode;
    const error = new KwqmError('DAEMON_UNAVAILABLE', 'The daemon stopped and did not come back');
    context.stderr.write(`${formatErrorLine(error, { colors: context.err })}\n`);
    return EXIT_CODES.daemonUnavailable;
  } finally {
    if (onIdle !== undefined) process.removeListener('beforeExit', onIdle);
    unsubscribe();
    interrupt.dispose();
    await queue.close();
  }
}
