import { basename, resolve } from 'node:path';
import { KwqmError } from '@kwqm/core';
import { COMPRESSION_EXTENSIONS, type CompressionFormat } from '@kwqm/node-runtime';
import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { parseChoice } from '../input/option-parsers.js';
import { runStream } from '../streams/run-stream.js';
import { readStreamPlan } from '../streams/stream-plan.js';
import { streamFileResult, streamResultLine } from '../streams/stream-result-line.js';
import { decompressStage } from '../streams/zlib-stage.js';
import { fileJob } from './file-job.js';
import { fileResultLine } from './file-result-line.js';
import { readJobOptions } from './job-options.js';
import { runFileJobs } from './run-file-jobs.js';

// The extension in any case, as gzip takes it: `LOGS.GZ` is gzip and decompresses to `LOGS`. A
// name that is only the extension (`.gz`) has nothing left to name the output.
function formatFromName(file: string): CompressionFormat | undefined {
  const name = basename(file).toLowerCase();
  for (const [format, extension] of Object.entries(COMPRESSION_EXTENSIONS)) {
    if (name.endsWith(extension) && name.length > extension.length) return format as CompressionFormat;
  }
  return undefined;
}

/**
 * `kwqm decompress FILE…`: the format from `--format`, else from the `.gz` / `.br` extension (in
 * any case); the output is the name without that extension.
 * `-`, or no FILE, decompresses standard input (gzip unless `--format brotli`, as `gzip -d`);
 * `-o -` writes standard output.
 */
export async function run(
  context: CliContext,
  options: Record<string, unknown>,
  files: string[],
): Promise<ExitCode> {
  const plan = readStreamPlan(context, options, files, { defaultOutput: 'stdout', binary: false });
  const jobOptions = readJobOptions(context, options, plan === undefined ? files : [plan.file]);
  const forced =
    options.format === undefined
      ? undefined
      : parseChoice(
          'format',
          Object.keys(COMPRESSION_EXTENSIONS) as CompressionFormat[],
          String(options.format),
        );
  if (plan !== undefined) {
    const format =
      forced ??
      (plan.inputPath === undefined || plan.inputIsPipe ? 'gzip' : formatFromName(plan.file)) ??
      undefined;
    if (format === undefined) {
      throw new KwqmError('INVALID_OPTION', `${plan.file}: no .gz or .br extension; give --format`, {
        details: { path: plan.file },
      });
    }
    return runStream(
      context,
      {
        operation: 'decompress',
        plan,
        overwrite: jobOptions.overwrite,
        createStage: () => decompressStage(format),
        result: streamFileResult,
        resultLine: streamResultLine(context, plan),
      },
      jobOptions,
    );
  }
  const jobs = files.map((file) => {
    const input = resolve(context.cwd, file);
    const fromName = formatFromName(file);
    const format = forced ?? fromName;
    if (format === undefined) {
      throw new KwqmError('INVALID_OPTION', `${file}: no .gz or .br extension; give --format`, {
        details: { path: file },
      });
    }
    let output = jobOptions.output;
    if (output === undefined) {
      if (fromName === undefined) {
        throw new KwqmError(
          'INVALID_OPTION',
          `${file}: no .gz or .br extension to strip; name the output with -o`,
          {
            details: { path: file },
          },
        );
      }
      output = input.slice(0, -COMPRESSION_EXTENSIONS[fromName].length);
    }
    return fileJob(file, jobOptions.priority, 'decompress', {
      input,
      output,
      overwrite: jobOptions.overwrite,
      format,
    });
  });
  return runFileJobs(context, jobs, jobOptions, fileResultLine(context));
}
