import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { formatJobTable } from '../output/job-view.js';
import { connectToDaemon } from '../queue/open-queue.js';

/**
 * `kwqm list [--all]`: the daemon's queue — running jobs, then queued ones in dispatch order,
 * then (with `--all`) finished ones, newest first. With no daemon running nothing can be queued
 * (embedded jobs live and die with their command), so the list is empty, not an error.
 */
export async function run(context: CliContext, options: Record<string, unknown>): Promise<ExitCode> {
  const queue = await connectToDaemon(context, { required: false });
  const jobs =
    queue === undefined
      ? []
      : await queue.service.list({ includeFinished: options.all === true }).finally(() => queue.close());
  if (options.json === true) {
    context.stdout.write(`${JSON.stringify({ daemon: queue !== undefined, jobs })}\n`);
  } else if (queue === undefined) {
    context.stderr.write(
      'kwqm: no daemon is running, so nothing is queued (start one with `kwqm daemon start`)\n',
    );
  } else if (jobs.length === 0) {
    context.stderr.write(
      `kwqm: the queue is empty${options.all === true ? '' : ' (--all shows finished jobs)'}\n`,
    );
  } else {
    context.stdout.write(`${formatJobTable(jobs, context.now(), context.out, context.cwd)}\n`);
  }
  return EXIT_CODES.ok;
}
