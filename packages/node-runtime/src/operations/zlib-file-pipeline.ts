import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type JobProgress, KwqmError } from '@kwqm/core';
import { type AtomicOutput, openAtomicOutput } from '../files/atomic-output.js';
import { checkReadToTheEnd } from '../files/check-read-to-the-end.js';
import { fileError } from '../files/file-error.js';
import { keepFreedMemoryForReuse } from '../files/keep-freed-memory.js';
import { openInput } from '../files/open-input.js';
import { throwIfAborted } from '../files/transform-file.js';
import type { FileOutputResult } from './builtin-operation-types.js';

/** Read size and write batch size: big enough that per-call overhead vanishes. */
const BLOCK_SIZE = 1024 * 1024;

/** Options of {@link zlibFilePipeline}. */
export interface ZlibFilePipelineOptions {
  readonly input: string;
  readonly output: string;
  readonly overwrite: boolean;
  readonly signal: AbortSignal;
  readonly reportProgress: (progress: JobProgress) => void;
  /** Makes the zlib stream, given the input's size (brotli sizes its window from it). */
  readonly createStream: (inputSize: number) => Transform;
  /** What the zlib stream's own errors mean: `CORRUPT_INPUT` when decoding, `INTERNAL` when encoding. */
  readonly streamErrorCode: 'CORRUPT_INPUT' | 'INTERNAL';
}

/**
 * Streams a file through a `node:zlib` stream into an atomic output, in constant memory: the
 * input checks and the temp-file-then-rename output of `files/`, with compression on libuv's
 * thread pool. It does not use the files/ block runner because zlib's streaming API is
 * asynchronous only; the upside is that the worker's event loop stays free while brotli works
 * on a block, so a cancel is seen at once. Any failure or abort removes the temporary output; an
 * input cut short while it was read fails with `IO_ERROR`.
 */
export async function zlibFilePipeline(options: ZlibFilePipelineOptions): Promise<FileOutputResult> {
  const { signal, reportProgress } = options;
  throwIfAborted(signal);
  // zlib returns every output chunk in a fresh allocation: let the freed ones be reused.
  keepFreedMemoryForReuse();
  const input = await openInput(options.input, { outputPath: options.output });
  let output: AtomicOutput | undefined;
  let streamError: unknown;
  try {
    output = await openAtomicOutput(options.output, { overwrite: options.overwrite });
    const sink = output;
    const zlibStream = options.createStream(input.size);
    zlibStream.once('error', (error) => {
      streamError = error;
    });
    let bytesIn = 0;
    await pipeline(
      input.handle.createReadStream({ start: 0, highWaterMark: BLOCK_SIZE, autoClose: false }),
      async function* countInput(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytesIn += chunk.byteLength;
          reportProgress({ done: bytesIn, total: Math.max(input.size, bytesIn), unit: 'bytes' });
          yield chunk;
        }
        checkReadToTheEnd(input, bytesIn);
      },
      zlibStream,
      // zlib emits chunks of its `chunkSize`; gathered into about one block per write (which the
      // output cuts into system calls of at most 128 KiB).
      (source: AsyncIterable<Buffer>) => sink.writeFrom(source, BLOCK_SIZE),
      { signal },
    );
    throwIfAborted(signal);
    await output.commit();
    return { output: output.path, bytesIn, bytesOut: output.bytesWritten };
  } catch (error) {
    await output?.abort();
    throwIfAborted(signal);
    if (KwqmError.is(error)) throw KwqmError.from(error);
    if (error === streamError) {
      throw new KwqmError(options.streamErrorCode, `${input.path}: ${(error as Error).message}`, {
        cause: error,
        details: { path: input.path },
      });
    }
    throw fileError(error, input.path);
  } finally {
    await input.handle.close().catch(() => undefined);
  }
}
