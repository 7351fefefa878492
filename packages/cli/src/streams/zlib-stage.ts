import { constants, createBrotliCompress, createBrotliDecompress, createGunzip, createGzip } from 'node:zlib';
import type { CompressionFormat } from '@kwqm/node-runtime';
import type { StreamStage } from './run-stream.js';

/** zlib's output chunk size, as node-runtime's compress and decompress operations use. */
const CHUNK_SIZE = 64 * 1024;

/**
 * The `node:zlib` stream of a compress stream. The input size is unknown, so brotli keeps Node's
 * default window (4 MiB) instead of sizing it from the input as the file job does.
 */
export function compressStage(format: CompressionFormat, level: number): StreamStage {
  return {
    kind: 'zlib',
    errorCode: 'INTERNAL',
    stream:
      format === 'gzip'
        ? createGzip({ level, chunkSize: CHUNK_SIZE })
        : createBrotliCompress({
            chunkSize: CHUNK_SIZE,
            params: { [constants.BROTLI_PARAM_QUALITY]: level },
          }),
  };
}

/** The `node:zlib` stream of a decompress stream; its errors mean a damaged input (`CORRUPT_INPUT`). */
export function decompressStage(format: CompressionFormat): StreamStage {
  return {
    kind: 'zlib',
    errorCode: 'CORRUPT_INPUT',
    stream:
      format === 'gzip'
        ? createGunzip({ chunkSize: CHUNK_SIZE })
        : createBrotliDecompress({ chunkSize: CHUNK_SIZE }),
  };
}
