import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { parsePriority } from '../input/option-parsers.js';
import { manageJobs } from './manage-jobs.js';

/** `kwqm priority ID LEVEL`: moves a queued job to the tail of another level, as the original did. */
export function run(
  context: CliContext,
  options: Record<string, unknown>,
  operands: string[],
): Promise<ExitCode> {
  const [id, level] = operands as [string, string];
  const priority = parsePriority(level, 'level');
  return manageJobs(context, options, [id], (service, jobId) => service.setPriority(jobId, priority));
}
