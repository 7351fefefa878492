import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { manageJobs } from './manage-jobs.js';

/** `kwqm remove ID…`: takes queued jobs out (they end `removed`); a running job is `INVALID_STATE`. */
export function run(context: CliContext, options: Record<string, unknown>, ids: string[]): Promise<ExitCode> {
  return manageJobs(context, options, ids, (service, id) => service.remove(id));
}
