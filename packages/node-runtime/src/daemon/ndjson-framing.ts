import { KwqmError, MAX_FRAME_BYTES } from '@kwqm/core';

const NEWLINE = 0x0a;

/** What an {@link NdjsonDecoder} reports. */
export interface NdjsonDecoderHandlers {
  /** One complete line, decoded as UTF-8, without its newline. Empty lines are skipped. */
  onFrame(text: string): void;
  /**
   * A line grew past the limit before its newline arrived. The decoder stops: the rest of that
   * line cannot be told apart from the next frame cheaply, so the caller closes the connection.
   */
  onOversized(error: KwqmError): void;
}

/**
 * Splits a byte stream into newline-delimited frames with a size limit. Bytes are kept as
 * buffers until a newline arrives, so a multi-byte UTF-8 character split across chunks decodes
 * correctly and a flood without newlines is cut off at `maxFrameBytes` instead of growing memory.
 */
export class NdjsonDecoder {
  readonly #handlers: NdjsonDecoderHandlers;
  readonly #maxFrameBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #stopped = false;

  constructor(handlers: NdjsonDecoderHandlers, maxFrameBytes: number = MAX_FRAME_BYTES) {
    this.#handlers = handlers;
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** Feeds the next chunk read from the socket. */
  push(chunk: Buffer): void {
    let start = 0;
    while (!this.#stopped) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.#keep(chunk.subarray(start));
        return;
      }
      const lineStart = start;
      start = newline + 1;
      if (this.#pendingBytes === 0) {
        // The common case, a whole line inside one chunk: decode it in place (no Buffer view made;
        // this runs before every request is answered).
        const length = newline - lineStart;
        if (length > this.#maxFrameBytes) {
          this.#oversize();
          return;
        }
        if (length > 1 || (length === 1 && chunk[lineStart] !== 0x0d)) {
          this.#handlers.onFrame(chunk.toString('utf8', lineStart, newline));
        }
        continue;
      }
      const piece = chunk.subarray(lineStart, newline);
      if (this.#pendingBytes + piece.length > this.#maxFrameBytes) {
        this.#oversize();
        return;
      }
      this.#pending.push(piece);
      const line = Buffer.concat(this.#pending, this.#pendingBytes + piece.length);
      this.#pending = [];
      this.#pendingBytes = 0;
      if (line.length > 0 && !(line.length === 1 && line[0] === 0x0d)) {
        this.#handlers.onFrame(line.toString('utf8'));
      }
    }
  }

  #keep(rest: Buffer): void {
    if (rest.length === 0) return;
    if (this.#pendingBytes + rest.length > this.#maxFrameBytes) {
      this.#oversize();
      return;
    }
    // Copy: the socket may reuse the chunk's memory after this callback.
    this.#pending.push(Buffer.from(rest));
    this.#pendingBytes += rest.length;
  }

  #oversize(): void {
    this.#stopped = true;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#handlers.onOversized(
      new KwqmError('PROTOCOL_ERROR', `A frame is longer than the limit of ${this.#maxFrameBytes} bytes`, {
        details: { maxFrameBytes: this.#maxFrameBytes },
      }),
    );
  }
}

/**
 * One frame: the value as JSON and a newline. Throws `PROTOCOL_ERROR` when the frame would be
 * longer than `maxFrameBytes`, so a sender never emits what its peer must reject.
 */
export function encodeFrame(value: unknown, maxFrameBytes: number = MAX_FRAME_BYTES): string {
  const text = JSON.stringify(value);
  // Cheap bound first: a UTF-8 byte length is at most 3 per UTF-16 unit.
  if (text.length * 3 > maxFrameBytes && Buffer.byteLength(text, 'utf8') > maxFrameBytes) {
    throw new KwqmError(
      'PROTOCOL_ERROR',
      `A message is longer than the frame limit of ${maxFrameBytes} bytes`,
      {
        details: { maxFrameBytes },
      },
    );
  }
  return `${text}\n`;
}
