import { resolve } from 'node:path';
import { HASH_ALGORITHMS, type HashResult } from '@kwqm/node-runtime';
import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { parseChoice } from '../input/option-parsers.js';
import { fileJob } from './file-job.js';
import { readJobOptions } from './job-options.js';
import { runFileJobs } from './run-file-jobs.js';

/** `kwqm hash FILE…`: prints `<hex>  <file>` per file, the lines `sha256sum -c` reads. */
export async function run(
  context: CliContext,
  options: Record<string, unknown>,
  files: string[],
): Promise<ExitCode> {
  const jobOptions = readJobOptions(context, options, files);
  const algorithm = parseChoice('algorithm', HASH_ALGORITHMS, String(options.algorithm ?? 'sha256'));
  const jobs = files.map((file) => {
    const input = resolve(context.cwd, file);
    return fileJob(file, jobOptions.priority, 'hash', {
      input,
      algorithm,
      ...(jobOptions.output === undefined
        ? {}
        : { output: jobOptions.output, overwrite: jobOptions.overwrite }),
    });
  });
  return runFileJobs(
    context,
    jobs,
    jobOptions,
    (job, result) => `${(result as HashResult).digest}  ${job.file}`,
  );
}
