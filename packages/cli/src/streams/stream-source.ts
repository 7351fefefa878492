import type { Readable } from 'node:stream';

/**
 * A byte stream read once, whose first bytes can be looked at before it is consumed: `decrypt`
 * reads the age header from a pipe (which cannot seek) to learn whether it needs a passphrase,
 * then feeds those same bytes on, ahead of the rest.
 */
export class StreamSource implements AsyncIterable<Buffer> {
  readonly #stream: Readable;
  readonly #iterator: AsyncIterator<Buffer>;
  #peeked: Buffer[] = [];
  #ended = false;

  constructor(stream: Readable) {
    this.#stream = stream;
    this.#iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /**
   * Reads ahead until `enough(bytesSoFar)`, `limit` bytes or the end of the stream, and answers
   * the bytes read so far (all of them are still delivered by iteration).
   */
  async peek(enough: (bytes: Buffer) => boolean, limit: number): Promise<Buffer> {
    let bytes = Buffer.concat(this.#peeked);
    while (!this.#ended && bytes.byteLength < limit && !enough(bytes)) {
      const next = await this.#iterator.next();
      if (next.done === true) {
        this.#ended = true;
        break;
      }
      this.#peeked.push(next.value);
      bytes = Buffer.concat([bytes, next.value]);
    }
    return bytes;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    const peeked = this.#peeked;
    this.#peeked = [];
    yield* peeked;
    if (this.#ended) return;
    for (;;) {
      const next = await this.#iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  }

  /** Stops reading and lets go of the stream, so a half-read pipe does not keep the process alive. */
  close(): void {
    this.#stream.destroy();
  }
}
