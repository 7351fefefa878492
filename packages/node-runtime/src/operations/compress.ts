import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { CompressionFormat, CompressParams, FileOutputResult } from './builtin-operation-types.js';
import { defineOperation } from './operation.js';
import {
  optionalChoice,
  optionalFlag,
  optionalIntegerInRange,
  optionalPath,
  requireParams,
  requirePath,
} from './param-checks.js';
import { zlibFilePipeline } from './zlib-file-pipeline.js';

/** The formats `compress` and `decompress` know, with their file extensions. */
export const COMPRESSION_EXTENSIONS: Readonly<Record<CompressionFormat, string>> = {
  gzip: '.gz',
  brotli: '.br',
};

/** The level range and default of each format: gzip as `gzip` (6), brotli as the `brotli` CLI (11). */
export const COMPRESSION_LEVELS: Readonly<
  Record<CompressionFormat, { min: number; max: number; default: number }>
> = {
  gzip: { min: 1, max: 9, default: 6 },
  brotli: { min: 0, max: 11, default: 11 },
};

/**
 * The LZ77 window the `brotli` CLI picks: the smallest of 2^10…2^24 bytes (minus 16) that holds
 * the whole input, so small files decode with small buffers and large ones get the largest
 * standard window (Node's own default is 2^22).
 */
export function brotliWindowBits(inputSize: number): number {
  let bits = constants.BROTLI_MIN_WINDOW_BITS;
  while (bits < 24 && 2 ** bits - 16 < inputSize) bits += 1;
  return bits;
}

/**
 * `compress`: gzip (`.gz`, readable by `gzip -d`) or brotli (`.br`, readable by `brotli -d`),
 * streamed in constant memory into an atomic output. Output defaults to `input` + the extension.
 */
export const compress = defineOperation<CompressParams, FileOutputResult>({
  name: 'compress',
  async run(rawParams, _secrets, { signal, reportProgress }) {
    const params = requireParams(rawParams, ['input', 'output', 'overwrite', 'format', 'level']);
    const input = requirePath('input', params.input);
    const format = optionalChoice('format', params.format, ['gzip', 'brotli'], 'gzip');
    const range = COMPRESSION_LEVELS[format];
    const level = optionalIntegerInRange('level', params.level, range.min, range.max, range.default);
    const output = optionalPath('output', params.output) ?? `${input}${COMPRESSION_EXTENSIONS[format]}`;
    const overwrite = optionalFlag('overwrite', params.overwrite);
    return zlibFilePipeline({
      input,
      output,
      overwrite,
      signal,
      reportProgress,
      streamErrorCode: 'INTERNAL',
      createStream: (inputSize) =>
        format === 'gzip'
          ? createGzip({ level, chunkSize: 64 * 1024 })
          : createBrotliCompress({
              chunkSize: 64 * 1024,
              params: {
                [constants.BROTLI_PARAM_QUALITY]: level,
                [constants.BROTLI_PARAM_LGWIN]: brotliWindowBits(inputSize),
                [constants.BROTLI_PARAM_SIZE_HINT]: Math.min(inputSize, 2 ** 32 - 1),
              },
            }),
    });
  },
});
