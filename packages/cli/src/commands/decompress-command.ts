import { resolve } from 'node:path';
import { KwqmError } from '@kwqm/core';
import { COMPRESSION_EXTENSIONS, type CompressionFormat } from '@kwqm/node-runtime';
import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { parseChoice } from '../input/option-parsers.js';
import { fileJob } from './file-job.js';
import { fileResultLine } from './file-result-line.js';
import { readJobOptions } from './job-options.js';
import { runFileJobs } from './run-file-jobs.js';

function formatFromName(file: string): CompressionFormat | undefined {
  for (const [format, extension] of Object.entries(COMPRESSION_EXTENSIONS)) {
    if (file.endsWith(extension) && file.length > extension.length) return format as CompressionFormat;
  }
  return undefined;
}

/** `kwqm decompress FILE…`: the format from `--format`, else from the `.gz` / `.br` extension. */
export async function run(
  context: CliContext,
  options: Record<string, unknown>,
  files: string[],
): Promise<ExitCode> {
  const jobOptions = readJobOptions(context, options, files);
  const forced =
    options.format === undefined
      ? undefined
      : parseChoice(
          'format',
          Object.keys(COMPRESSION_EXTENSIONS) as CompressionFormat[],
          String(options.format),
        );
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
