import { once } from 'node:events';
import type { AtomicOutput } from '@kwqm/node-runtime';

/** Consumes the output of a stream's last stage. */
export type StreamSink = (source: AsyncIterable<Uint8Array>) => Promise<void>;

/**
 * Writes to standard output, waiting for `drain` whenever the reader is slower than we are, so
 * memory stays bounded however large the stream. A write error (other than EPIPE, which ends the
 * process quietly, see cli.ts) or a Ctrl-C (`signal`) rejects the wait.
 */
export function stdoutSink(stdout: NodeJS.WritableStream, signal: AbortSignal): StreamSink {
  return async (source) => {
    for await (const chunk of source) {
      if (chunk.byteLength === 0) continue;
      if (!stdout.write(chunk)) await once(stdout, 'drain', { signal });
    }
  };
}

/**
 * Writes to the temporary file of an atomic output, in half-MiB batches as node-runtime's file
 * jobs do; the caller commits or aborts it.
 */
export function fileSink(output: AtomicOutput): StreamSink {
  return (source) => output.writeFrom(source);
}

/** Reads everything and keeps nothing (hash: its result is the digest). */
export const discardSink: StreamSink = async (source) => {
  for await (const _chunk of source);
};
