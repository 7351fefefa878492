import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { manageJobs } from './manage-jobs.js';

/** `kwqm cancel ID…`: stops queued or running jobs (they end `canceled`, outputs removed). */
export function run(context: CliContext, options: Record<string, unknown>, ids: string[]): Promise<ExitCode> {
  return manageJobs(context, options, ids, (service, id) => service.cancel(id));
}
