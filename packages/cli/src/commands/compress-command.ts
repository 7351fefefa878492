import { resolve } from 'node:path';
import type { CompressionFormat } from '@kwqm/node-runtime';
import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { parseChoice, parseIntegerInRange } from '../input/option-parsers.js';
import { fileResultLine } from './file-result-line.js';
import { readJobOptions } from './job-options.js';
import { type FileJob, runFileJobs } from './run-file-jobs.js';

/** The formats, and the file extension each writes. */
export const COMPRESSION_EXTENSIONS: Readonly<Record<CompressionFormat, string>> = {
  gzip: '.gz',
  brotli: '.br',
};
const FORMATS = Object.keys(COMPRESSION_EXTENSIONS) as CompressionFormat[];

/** `kwqm compress FILE…`: gzip (`.gz`, levels 1–9) or brotli (`.br`, levels 0–11). */
export async function run(
  context: CliContext,
  options: Record<string, unknown>,
  files: string[],
): Promise<ExitCode> {
  const jobOptions = readJobOptions(context, options, files);
  const format = parseChoice('format', FORMATS, String(options.format ?? 'gzip'));
  const level =
    options.level === undefined
      ? undefined
      : format === 'gzip'
        ? parseIntegerInRange('level', 1, 9, String(options.level))
        : parseIntegerInRange('level', 0, 11, String(options.level));
  const jobs: FileJob[] = files.map((file) => {
    const input = resolve(context.cwd, file);
    return {
      file,
      spec: {
        operation: 'compress',
        label: input,
        priority: jobOptions.priority,
        params: {
          input,
          output: jobOptions.output ?? `${input}${COMPRESSION_EXTENSIONS[format]}`,
          overwrite: jobOptions.overwrite,
          format,
          ...(level === undefined ? {} : { level }),
        },
      },
    };
  });
  return runFileJobs(context, jobs, jobOptions, fileResultLine(context));
}
