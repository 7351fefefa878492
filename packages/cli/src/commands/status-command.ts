import { type JobSnapshot, KwqmError } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { formatErrorLine } from '../output/error-line.js';
import { formatJobDetails } from '../output/job-view.js';
import { connectToDaemon } from '../queue/open-queue.js';

/** `kwqm status ID…`: each job's state, progress and result or error; exit 1 if an id is unknown. */
export async function run(
  context: CliContext,
  options: Record<string, unknown>,
  ids: string[],
): Promise<ExitCode> {
  const queue = await connectToDaemon(context, { required: true });
  const found: JobSnapshot[] = [];
  const errors: { id: string; error: KwqmError }[] = [];
  try {
    for (const id of ids) {
      const job = await queue.service.get(id);
      if (job === undefined)
        errors.push({ id, error: new KwqmError('JOB_NOT_FOUND', 'no such job', { details: { id } }) });
      else found.push(job);
    }
  } finally {
    await queue.close();
  }
  if (options.json === true) {
    const shown = { jobs: found, errors: errors.map(({ id, error }) => ({ id, error: error.toJSON() })) };
    context.stdout.write(`${JSON.stringify(shown)}\n`);
  } else {
    context.stdout.write(
      found.map((job) => `${formatJobDetails(job, context.now(), context.out, context.cwd)}\n`).join('\n'),
    );
    for (const { id, error } of errors) {
      context.stderr.write(`${formatErrorLine(error, { subject: id, colors: context.err })}\n`);
    }
  }
  return errors.length === 0 ? EXIT_CODES.ok : EXIT_CODES.jobFailed;
}
