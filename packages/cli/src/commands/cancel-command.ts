import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { manageJobs } from './manage-jobs.js';

/**
 * `kwqm cancel ID…`: stops queued or running jobs. A queued one ends `canceled` at once; a running
 * one is shown `canceling` and ends `canceled` (outputs removed) when its worker has stopped, or
 * `succeeded` if it finished first.
 */
export function run(context: CliContext, options: Record<string, unknown>, ids: string[]): Promise<ExitCode> {
  return manageJobs(context, options, ids, (service, id) => service.cancel(id));
}
