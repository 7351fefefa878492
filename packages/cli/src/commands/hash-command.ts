import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { checksumLine, HASH_ALGORITHMS, type HashResult } from '@kwqm/node-runtime';
import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { parseChoice } from '../input/option-parsers.js';
import { runStream } from '../streams/run-stream.js';
import { readStreamPlan, STANDARD_STREAM } from '../streams/stream-plan.js';
import { fileJob } from './file-job.js';
import { readJobOptions } from './job-options.js';
import { runFileJobs } from './run-file-jobs.js';

/**
 * `kwqm hash FILE…`: prints `<hex>  <file>` per file, the lines `sha256sum -c` reads. `-`, or no
 * FILE, hashes standard input and prints `<hex>  -`, as `sha256sum` does.
 */
export async function run(
  context: CliContext,
  rawOptions: Record<string, unknown>,
  files: string[],
): Promise<ExitCode> {
  // The line is printed on standard output anyway: `-o -` asks for nothing more.
  const options = rawOptions.output === STANDARD_STREAM ? { ...rawOptions, output: undefined } : rawOptions;
  const plan = readStreamPlan(context, options, files, { defaultOutput: 'none', binary: false });
  const jobOptions = readJobOptions(context, options, plan === undefined ? files : [plan.file]);
  const algorithm = parseChoice('algorithm', HASH_ALGORITHMS, String(options.algorithm ?? 'sha256'));

  if (plan !== undefined) {
    let digest = '';
    return runStream(
      context,
      {
        operation: 'hash',
        plan,
        overwrite: jobOptions.overwrite,
        createStage: () => {
          const hasher = createHash(algorithm);
          return {
            kind: 'chunks',
            transform: {
              update: (block) => {
                hasher.update(block);
                return [];
              },
              // With -o FILE the stream's output is the checksum line, written atomically like any output.
              final: () => {
                digest = hasher.digest('hex');
                return plan.output.kind === 'file' ? [Buffer.from(checksumLine(digest, plan.file))] : [];
              },
            },
          };
        },
        result: ({ bytesIn, output }): HashResult => ({
          algorithm,
          digest,
          bytesIn,
          ...(output === undefined ? {} : { output }),
        }),
        resultLine: () => checksumLine(digest, plan.file).slice(0, -1),
      },
      jobOptions,
    );
  }

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
    // Escaped as sha256sum escapes a name with `\` or a line break, so `sha256sum -c` reads it.
    (job, result) => checksumLine((result as HashResult).digest, job.file).slice(0, -1),
  );
}
