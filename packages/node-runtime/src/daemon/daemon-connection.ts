import type { Socket } from 'node:net';
import { KwqmError, MAX_SERVER_FRAME_BYTES, type ProtocolResponse, type RequestId } from '@kwqm/core';
import { encodeFrame, NdjsonDecoder } from './ndjson-framing.js';

/** A client that stops reading is cut off once this much output is waiting for it. */
const MAX_BUFFERED_OUTPUT = 64 * 1024 * 1024;

/**
 * One client's socket as the daemon sees it: its framing, whether it said hello, what it is
 * subscribed to and the submits it is still waiting on. It knows nothing of the queue.
 */
export class DaemonConnection {
  readonly socket: Socket;
  /** The limit on frames this client sends; the daemon's own frames may be up to MAX_SERVER_FRAME_BYTES. */
  readonly maxFrameBytes: number;
  /** Set once a `hello` with the right protocol version arrived. */
  greeted = false;
  /** The client's name from `hello`, for the log. */
  clientName = '?';
  /** Subscribed to every job's events. */
  subscribedAll = false;
  /** Jobs this connection gets events of (its own submits and explicit subscriptions). */
  readonly jobIds = new Set<string>();
  /** Closes the connection if no `hello` arrives in time; cleared by the `hello`. */
  helloTimer: NodeJS.Timeout | undefined;
  /** Submits still waiting for room, by request id, so `abort-submit` or a hang-up can give them up. */
  readonly pendingSubmits = new Map<RequestId, AbortController>();
  #closed = false;

  readonly #beforeWrite: () => void;

  /**
   * `beforeWrite` runs before every frame goes out: the daemon flushes its journal there, so
   * nothing reaches a client before the journal records that explain it are written.
   */
  constructor(
    socket: Socket,
    maxFrameBytes: number,
    onFrame: (text: string) => void,
    beforeWrite: () => void,
  ) {
    this.socket = socket;
    this.maxFrameBytes = maxFrameBytes;
    this.#beforeWrite = beforeWrite;
    const decoder = new NdjsonDecoder(
      {
        onFrame,
        onOversized: (error) => {
          // The rest of the oversized line cannot be told from the next frame: answer, then hang up.
          this.respondError(null, error);
          this.end();
        },
      },
      maxFrameBytes,
    );
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
  }

  get closed(): boolean {
    return this.#closed || this.socket.destroyed;
  }

  /** Sends a response; a result too large for one frame becomes a `PROTOCOL_ERROR` response instead. */
  respond(id: RequestId, result: unknown): void {
    let text: string;
    try {
      text = encodeFrame({ id, ok: true, result } satisfies ProtocolResponse, MAX_SERVER_FRAME_BYTES);
    } catch (error) {
      this.respondError(id, KwqmError.from(error));
      return;
    }
    this.writeFrame(text);
  }

  respondError(id: RequestId | null, error: KwqmError): void {
    this.writeFrame(encodeFrame({ id, ok: false, error: error.toJSON() } satisfies ProtocolResponse));
  }

  /** Writes an already encoded frame (events are encoded once for every subscriber). */
  writeFrame(text: string): void {
    if (this.closed) return;
    if (this.socket.writableLength > MAX_BUFFERED_OUTPUT) {
      this.socket.destroy();
      return;
    }
    this.#beforeWrite();
    this.socket.write(text);
  }

  /** Closes after pending output is flushed. */
  end(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.socket.end();
    // A peer that never reads would keep the half-closed socket forever.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }
}
