import { createReadStream } from 'node:fs';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KwqmError } from '@kwqm/core';
import type { AtomicOutput, BuiltinOperationName, ChunkTransform } from '@kwqm/node-runtime';
import type { CliContext } from '../cli-context.js';
import { InterruptWatch } from '../commands/interrupt-watch.js';
import type { FileJobOutcome } from '../commands/run-file-jobs.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { cliErrorJSON } from '../output/cli-reason.js';
import { formatErrorLine } from '../output/error-line.js';
import type { StreamPlan } from './stream-plan.js';
import { discardSink, fileSink, type StreamSink, stdoutSink } from './stream-sink.js';
import { StreamSource } from './stream-source.js';

/** Read size for an input file streamed to standard output (as node-runtime's file jobs). */
const FILE_READ_BYTES = 512 * 1024;

/** The work between input and output: one of node-runtime's block transforms, or a node:zlib stream. */
export type StreamStage =
  | { readonly kind: 'chunks'; readonly transform: ChunkTransform }
  | {
      readonly kind: 'zlib';
      readonly stream: Transform;
      /** What the zlib stream's own errors mean: a damaged input when decoding, a bug when encoding. */
      readonly errorCode: 'CORRUPT_INPUT' | 'INTERNAL';
    };

/** Byte counts and the output path of a stream that ended well. */
export interface StreamCounts {
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Absolute path of the output file; `undefined` for standard output or no output. */
  readonly output: string | undefined;
}

/** One command's stream: what to run and how to report it. */
export interface StreamJob {
  readonly operation: BuiltinOperationName;
  readonly plan: StreamPlan;
  /** Standard input already wrapped by the command (decrypt reads the header first); else opened here. */
  readonly source?: StreamSource;
  /** Replace an existing `-o` file (`--force`). */
  readonly overwrite: boolean;
  /** Called once input and output are open, so costly setup (scrypt) is skipped when they are wrong. */
  createStage(): StreamStage;
  /** The `--json` result of a stream that ended well. */
  result(counts: StreamCounts): unknown;
  /** The line printed on standard output when it does not carry the data. */
  resultLine(result: unknown): string;
}

/** The flags that matter to a stream (the others — priority, quiet — have nothing to act on). */
export interface StreamRunOptions {
  readonly json: boolean;
  readonly debug: boolean;
}

function chunkStage(transform: ChunkTransform) {
  return async function* runTransform(source: AsyncIterable<Buffer>): AsyncGenerator<Uint8Array> {
    for await (const block of source) yield* transform.update(block);
    yield* transform.final();
  };
}

function classify(error: unknown, zlibError: unknown, stage: StreamStage | undefined): KwqmError {
  if (KwqmError.is(error)) return KwqmError.from(error);
  if (stage?.kind === 'zlib' && error !== undefined && error === zlibError) {
    return new KwqmError(stage.errorCode, (error as Error).message, { cause: error });
  }
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  return new KwqmError('IO_ERROR', error instanceof Error ? error.message : String(error), {
    cause: error,
    ...(errno === undefined ? {} : { errno }),
  });
}

/**
 * Runs one stream in this process: standard input or a file, through the stage, to standard
 * output or an atomic `-o` file, with backpressure end to end (memory stays bounded for any
 * size). On failure or Ctrl-C the `-o` file's temporary is removed, so no partial output is left;
 * standard output cannot be taken back, so there the exit status (1, or 130) is what tells a
 * consumer not to trust what it read.
 */
export async function runStream(
  context: CliContext,
  job: StreamJob,
  options: StreamRunOptions,
): Promise<ExitCode> {
  const { plan } = job;
  const interrupt = new InterruptWatch();
  let source: StreamSource | undefined = job.source;
  let closeInputFile: (() => Promise<void>) | undefined;
  let output: AtomicOutput | undefined;
  let stage: StreamStage | undefined;
  let zlibError: unknown;
  let bytesIn = 0;
  let bytesOut = 0;
  let outcome: FileJobOutcome;
  try {
    const { openAtomicOutput, openInput } = await import('@kwqm/node-runtime');
    if (source === undefined) {
      if (plan.inputPath === undefined) source = new StreamSource(context.stdin);
      else if (plan.inputIsPipe) source = new StreamSource(createReadStream(plan.inputPath));
      else {
        const input = await openInput(plan.inputPath);
        closeInputFile = () => input.handle.close();
        source = new StreamSource(
          input.handle.createReadStream({ start: 0, highWaterMark: FILE_READ_BYTES, autoClose: false }),
        );
      }
    }
    if (plan.output.kind === 'file') {
      output = await openAtomicOutput(plan.output.path, { overwrite: job.overwrite });
    }
    stage = job.createStage();
    if (stage.kind === 'zlib') {
      stage.stream.once('error', (error) => {
        zlibError = error;
      });
    }
    const input = source;
    // The stages are plain async iterables, which pipeline's signal cannot stop: a Ctrl-C ends
    // the input instead (a stalled pipe included), and every block checks the signal.
    interrupt.onInterrupt(() => input.close());
    // A Ctrl-C during the setup above (scrypt, opening the output) came before that listener.
    if (interrupt.interrupted) input.close();
    async function* countIn(): AsyncGenerator<Buffer> {
      for await (const chunk of input) {
        if (interrupt.interrupted) break;
        bytesIn += chunk.byteLength;
        yield chunk;
      }
      if (interrupt.interrupted) throw interrupt.signal.reason;
    }
    let sink: StreamSink;
    if (output !== undefined) sink = fileSink(output);
    else if (plan.output.kind === 'stdout') sink = stdoutSink(context.stdout, interrupt.signal);
    else sink = discardSink;
    const countOut = async function* (chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunks) {
        if (interrupt.interrupted) throw interrupt.signal.reason;
        bytesOut += chunk.byteLength;
        yield chunk;
      }
    };
    if (stage.kind === 'chunks') {
      await pipeline(countIn, chunkStage(stage.transform), countOut, sink, { signal: interrupt.signal });
    } else {
      await pipeline(countIn, stage.stream, countOut, sink, { signal: interrupt.signal });
    }
    if (interrupt.interrupted) throw interrupt.signal.reason;
    await output?.commit();
    const result = job.result({ bytesIn, bytesOut, output: output?.path });
    outcome = { file: plan.file, id: null, operation: job.operation, state: 'succeeded', result };
  } catch (error) {
    await output?.abort();
    const kwqmError = interrupt.interrupted
      ? new KwqmError('ABORTED', (interrupt.signal.reason as Error).message, { cause: error })
      : classify(error, zlibError, stage);
    outcome = {
      file: plan.file,
      id: null,
      operation: job.operation,
      state: kwqmError.code === 'ABORTED' ? 'canceled' : 'failed',
      error: cliErrorJSON(kwqmError),
    };
  } finally {
    interrupt.dispose();
    source?.close();
    await closeInputFile?.().catch(() => undefined);
  }
  const status = report(context, job, outcome, options);
  return outcome.state === 'canceled' ? interrupt.exitCode : status;
}

function report(
  context: CliContext,
  job: StreamJob,
  outcome: FileJobOutcome,
  options: StreamRunOptions,
): ExitCode {
  // Standard output carries the data when it is the output: then the JSON document goes to standard error.
  const dataOnStdout = job.plan.output.kind === 'stdout';
  if (options.json) {
    (dataOnStdout ? context.stderr : context.stdout).write(`${JSON.stringify({ jobs: [outcome] })}\n`);
  } else if (outcome.state === 'succeeded') {
    if (!dataOnStdout) context.stdout.write(`${job.resultLine(outcome.result)}\n`);
  } else if (outcome.error !== undefined) {
    const error = KwqmError.fromJSON(outcome.error);
    context.stderr.write(
      `${formatErrorLine(error, { subject: job.plan.file, colors: context.err, debug: options.debug })}\n`,
    );
  }
  if (outcome.state === 'canceled') return EXIT_CODES.interrupted;
  return outcome.state === 'succeeded' ? EXIT_CODES.ok : EXIT_CODES.jobFailed;
}
