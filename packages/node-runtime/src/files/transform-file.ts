import type { JobProgress } from '@kwqm/core';
import { KwqmError } from '@kwqm/core';
import { type AtomicOutput, openAtomicOutput } from './atomic-output.js';
import { checkReadToTheEnd } from './check-read-to-the-end.js';
import type { ChunkTransform } from './chunk-transform.js';
import { fileError } from './file-error.js';
import { openInput } from './open-input.js';
import { OutputGatherer } from './output-gatherer.js';

/**
 * Default read size: large enough that per-call overhead vanishes (eight age chunks), small
 * enough that the four block-sized buffers stay a small part of a job's memory. 1 MiB measured
 * no faster on a 1 GiB file here and raised the peak RSS of a 1 GiB job 3–4 MiB above a 64 MiB
 * one (+8 % against +4–5 % now).
 */
export const DEFAULT_BLOCK_SIZE = 512 * 1024;
/** The largest read size (1 GiB): a block is one buffer, and Node makes none above 4 GiB. */
const MAX_BLOCK_SIZE = 2 ** 30;

/** Room beyond the block size in each output buffer: headers, tags and small expansions fit. */
const GATHER_SLACK = 64 * 1024;

/** Options of {@link transformFile}. */
export interface TransformFileOptions {
  /** The file to read. Never modified. */
  readonly input: string;
  /** Where to write, atomically. Absent: the transform's output is discarded (hashing). */
  readonly output?: string;
  /** Replace an existing output. @default false */
  readonly overwrite?: boolean;
  /** Permission bits of the output. @default 0o644 */
  readonly mode?: number;
  /** Checked between blocks; when aborted the job stops, the temporary output is removed and the call rejects. */
  readonly signal?: AbortSignal;
  /** Called after each block with `{ done: bytesIn, total: inputSize, unit: 'bytes' }`. */
  readonly onProgress?: (progress: JobProgress) => void;
  /** Read size in bytes, an integer from 1 to 2^30 (1 GiB). @default 524288 */
  readonly blockSize?: number;
  /**
   * Receives the input block by block; may throw a KwqmError to fail the job. A function is
   * called once the input and output are open, so costly setup (key derivation) is skipped when
   * the files are wrong.
   */
  readonly transform: ChunkTransform | (() => ChunkTransform);
}

/** What {@link transformFile} did. */
export interface TransformFileResult {
  /** Absolute input path. */
  readonly input: string;
  /** Absolute output path, when there was one. */
  readonly output?: string;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

/**
 * Streams a file through a {@link ChunkTransform} into an atomic output, in constant memory.
 *
 * Reads are asynchronous into two reused buffers, so the next read runs while the transform
 * works on the current block; the event loop turns between blocks, which is when an abort is
 * noticed. Writes are synchronous, in pieces of at most 128 KiB
 * ({@link AtomicOutput.writeSync}): a job runs in a worker thread, where blocking costs nothing,
 * and a hand-over to the thread pool per write cost more CPU than the write itself. On any error
 * or abort the temporary output is removed and the error (or the signal's reason, as a
 * `CANCELED` KwqmError) is thrown. An input that ends before the size it had when opened (cut
 * short by another process meanwhile) fails with `IO_ERROR`.
 */
export async function transformFile(options: TransformFileOptions): Promise<TransformFileResult> {
  const { signal, onProgress } = options;
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
    throw new KwqmError(
      'INVALID_OPTION',
      `Expected \`blockSize\` to be an integer from 1 to ${MAX_BLOCK_SIZE}, got \`${blockSize}\` (${typeof blockSize})`,
      { details: { option: 'blockSize' } },
    );
  }
  throwIfAborted(signal);
  const input = await openInput(
    options.input,
    options.output === undefined ? {} : { outputPath: options.output },
  );
  let output: AtomicOutput | undefined;
  let pendingRead: Promise<number> | undefined;
  try {
    if (options.output !== undefined) {
      output = await openAtomicOutput(options.output, {
        ...(options.overwrite === undefined ? {} : { overwrite: options.overwrite }),
        ...(options.mode === undefined ? {} : { mode: options.mode }),
      });
    }
    const transform = typeof options.transform === 'function' ? options.transform() : options.transform;
    throwIfAborted(signal);
    let currentBuffer = Buffer.allocUnsafe(blockSize);
    let spareBuffer = Buffer.allocUnsafe(blockSize);
    const read = async (target: Buffer, position: number): Promise<number> => {
      try {
        return (await input.handle.read(target, 0, blockSize, position)).bytesRead;
      } catch (error) {
        throw fileError(error, input.path);
      }
    };
    // A block's output (an encrypted one is a few 16-byte tags longer than its input) is written
    // from a reused buffer; see OutputGatherer for why.
    const gatherer = output === undefined ? undefined : new OutputGatherer(blockSize + GATHER_SLACK);
    const write = (chunks: readonly Uint8Array[]): void => {
      if (output === undefined || gatherer === undefined || chunks.length === 0) return;
      output.writeSync(gatherer.gather(chunks));
    };

    let bytesIn = 0;
    pendingRead = read(currentBuffer, 0);
    for (;;) {
      const bytesRead = await pendingRead;
      pendingRead = undefined;
      throwIfAborted(signal);
      if (bytesRead === 0) break;
      const block = currentBuffer.subarray(0, bytesRead);
      bytesIn += bytesRead;
      [currentBuffer, spareBuffer] = [spareBuffer, currentBuffer];
      // Overlap: the next read runs on the thread pool during the transform and the write.
      pendingRead = read(currentBuffer, bytesIn);
      write(transform.update(block));
      onProgress?.({ done: bytesIn, total: Math.max(input.size, bytesIn), unit: 'bytes' });
    }
    checkReadToTheEnd(input, bytesIn);
    write(transform.final());
    throwIfAborted(signal);
    await output?.commit();
    return {
      input: input.path,
      ...(output === undefined ? {} : { output: output.path }),
      bytesIn,
      bytesOut: output?.bytesWritten ?? 0,
    };
  } catch (error) {
    // Let an in-flight read settle before closing its handle; its error is superseded by this one.
    await pendingRead?.catch(() => undefined);
    await output?.abort();
    throw KwqmError.is(error) ? KwqmError.from(error) : KwqmError.from(error, 'INTERNAL');
  } finally {
    await input.handle.close().catch(() => undefined);
  }
}

/** Throws the abort reason as a `CANCELED` KwqmError when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted !== true) return;
  const reason: unknown = signal.reason;
  if (KwqmError.is(reason)) throw KwqmError.from(reason);
  throw new KwqmError('CANCELED', 'The job was canceled', { cause: reason });
}
