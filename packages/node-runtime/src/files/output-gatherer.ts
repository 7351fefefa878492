/**
 * Copies a block's output chunks into one reused buffer, so the file is written from memory that
 * stays mapped and warm instead of from the chunks a transform just allocated.
 *
 * Why: node:crypto returns every 64 KiB chunk in a fresh allocation; once freed, glibc gives the
 * memory back to the kernel and the next chunks fault it in again. Measured on this project's VM
 * (1 GiB encryption, four alternating pairs): writing from reused buffers cost 556–619 ms of
 * system time against 700–841 ms from the fresh chunks, and avoided the runs where the kernel
 * copy from fresh memory took seconds. The extra user-space copy is ~0.1 s per GiB.
 *
 * Output larger than the buffer (armor, decompression) is passed through as it is.
 */
export class OutputGatherer {
  readonly #buffer: Buffer;

  /** @param capacity - Bytes in the buffer: a block's usual output, with room to spare. */
  constructor(capacity: number) {
    this.#buffer = Buffer.allocUnsafeSlow(capacity);
  }

  /**
   * The chunks as one chunk in the buffer, or unchanged when they do not fit. The returned view
   * is valid until the next call: write it (synchronously) before gathering again.
   */
  gather(chunks: readonly Uint8Array[]): readonly Uint8Array[] {
    if (chunks.length === 0) return chunks;
    let total = 0;
    for (const chunk of chunks) total += chunk.byteLength;
    if (total > this.#buffer.byteLength) return chunks;
    let offset = 0;
    for (const chunk of chunks) {
      this.#buffer.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return [this.#buffer.subarray(0, total)];
  }
}
