import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { KwqmError } from '@kwqm/core';
import type { CompressionFormat, DecompressParams, FileOutputResult } from './builtin-operation-types.js';
import { COMPRESSION_EXTENSIONS } from './compress.js';
import { nameWithoutExtension } from './name-without-extension.js';
import { defineOperation } from './operation.js';
import { optionalChoice, optionalFlag, optionalPath, requireParams, requirePath } from './param-checks.js';
import { zlibFilePipeline } from './zlib-file-pipeline.js';

const FORMATS: readonly CompressionFormat[] = ['gzip', 'brotli'];

/**
 * The format a file name's extension names (`.gz` → gzip, `.br` → brotli, in any case), if any;
 * a name that is only the extension names none.
 */
export function formatFromExtension(path: string): CompressionFormat | undefined {
  return FORMATS.find((format) => nameWithoutExtension(path, COMPRESSION_EXTENSIONS[format]) !== undefined);
}

/**
 * `decompress`: gzip or brotli (from `format`, else from the extension) into an atomic output,
 * streamed in constant memory. Output defaults to the input without its extension. A damaged or
 * truncated input fails with `CORRUPT_INPUT` and leaves no output.
 */
export const decompress = defineOperation<DecompressParams, FileOutputResult>({
  name: 'decompress',
  async run(rawParams, _secrets, { signal, reportProgress }) {
    const params = requireParams(rawParams, ['input', 'output', 'overwrite', 'format']);
    const input = requirePath('input', params.input);
    const named = formatFromExtension(input);
    const format =
      params.format === undefined ? named : optionalChoice('format', params.format, FORMATS, 'gzip');
    if (format === undefined) {
      throw new KwqmError(
        'INVALID_JOB',
        `Cannot tell the format of ${input}: give \`format\` ('gzip' or 'brotli') or use a .gz or .br name`,
        { details: { field: 'format', path: input } },
      );
    }
    let output = optionalPath('output', params.output);
    if (output === undefined) {
      const extension = COMPRESSION_EXTENSIONS[format];
      output = nameWithoutExtension(input, extension);
      if (output === undefined) {
        throw new KwqmError('INVALID_JOB', `Give \`output\`: ${input} does not end in ${extension}`, {
          details: { field: 'output', path: input },
        });
      }
    }
    return zlibFilePipeline({
      input,
      output,
      overwrite: optionalFlag('overwrite', params.overwrite),
      signal,
      reportProgress,
      streamErrorCode: 'CORRUPT_INPUT',
      createStream: () =>
        format === 'gzip'
          ? createGunzip({ chunkSize: 64 * 1024 })
          : createBrotliDecompress({ chunkSize: 64 * 1024 }),
    });
  },
});
