import { resolve } from 'node:path';
import { COMPRESSION_EXTENSIONS, COMPRESSION_LEVELS, type CompressionFormat } from '@kwqm/node-runtime';
import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { parseChoice, parseIntegerInRange } from '../input/option-parsers.js';
import { runStream } from '../streams/run-stream.js';
import { readStreamPlan } from '../streams/stream-plan.js';
import { streamFileResult, streamResultLine } from '../streams/stream-result-line.js';
import { compressStage } from '../streams/zlib-stage.js';
import { fileJob } from './file-job.js';
import { fileResultLine } from './file-result-line.js';
import { readJobOptions } from './job-options.js';
import { runFileJobs } from './run-file-jobs.js';

const FORMATS = Object.keys(COMPRESSION_EXTENSIONS) as CompressionFormat[];

/**
 * `kwqm compress FILE…`: gzip (`.gz`, levels 1–9) or brotli (`.br`, levels 0–11). `-`, or no
 * FILE, compresses standard input; `-o -` writes standard output.
 */
export async function run(
  context: CliContext,
  options: Record<string, unknown>,
  files: string[],
): Promise<ExitCode> {
  const plan = readStreamPlan(context, options, files, { defaultOutput: 'stdout', binary: true });
  const jobOptions = readJobOptions(context, options, plan === undefined ? files : [plan.file]);
  const format = parseChoice('format', FORMATS, String(options.format ?? 'gzip'));
  const range = COMPRESSION_LEVELS[format];
  const level =
    options.level === undefined
      ? undefined
      : parseIntegerInRange('level', range.min, range.max, String(options.level));
  if (plan !== undefined) {
    return runStream(
      context,
      {
        operation: 'compress',
        plan,
        overwrite: jobOptions.overwrite,
        createStage: () => compressStage(format, level ?? range.default),
        result: streamFileResult,
        resultLine: streamResultLine(context, plan),
      },
      jobOptions,
    );
  }
  const jobs = files.map((file) => {
    const input = resolve(context.cwd, file);
    return fileJob(file, jobOptions.priority, 'compress', {
      input,
      output: jobOptions.output ?? `${input}${COMPRESSION_EXTENSIONS[format]}`,
      overwrite: jobOptions.overwrite,
      format,
      ...(level === undefined ? {} : { level }),
    });
  });
  return runFileJobs(context, jobs, jobOptions, fileResultLine(context));
}
