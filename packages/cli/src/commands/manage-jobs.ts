import { type JobSnapshot, KwqmError, type QueueService } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { formatErrorLine } from '../output/error-line.js';
import { connectToDaemon } from '../queue/open-queue.js';

/**
 * Applies one management call (remove, cancel, priority) to each id on the daemon and reports
 * per id: `<id>: <state>` lines, or `{ jobs, errors }` with `--json`. Exit 1 when any id failed
 * (`JOB_NOT_FOUND`, `INVALID_STATE`), so scripts notice a job that had already started.
 */
export async function manageJobs(
  context: CliContext,
  options: Record<string, unknown>,
  ids: readonly string[],
  call: (service: QueueService, id: string) => Promise<JobSnapshot>,
): Promise<ExitCode> {
  const queue = await connectToDaemon(context, { required: true });
  const changed: JobSnapshot[] = [];
  const errors: { id: string; error: KwqmError }[] = [];
  try {
    for (const id of ids) {
      try {
        changed.push(await call(queue.service as unknown as QueueService, id));
      } catch (error) {
        errors.push({ id, error: KwqmError.from(error, 'INTERNAL') });
      }
    }
  } finally {
    await queue.close();
  }
  if (options.json === true) {
    const shown = { jobs: changed, errors: errors.map(({ id, error }) => ({ id, error: error.toJSON() })) };
    context.stdout.write(`${JSON.stringify(shown)}\n`);
  } else {
    for (const job of changed)
      context.stdout.write(`${job.id}: ${shownState(job)} (priority ${job.priority})\n`);
    for (const { id, error } of errors) {
      context.stderr.write(
        `${formatErrorLine(error, { subject: id, colors: context.err, debug: options.debug === true })}\n`,
      );
    }
  }
  return errors.length === 0 ? EXIT_CODES.ok : EXIT_CODES.jobFailed;
}

/** A running job asked to stop is still running until its worker has stopped: say so. */
function shownState(job: JobSnapshot): string {
  return job.state === 'running' && job.cancelRequested === true ? 'canceling' : job.state;
}
