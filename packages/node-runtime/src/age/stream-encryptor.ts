import { createCipheriv } from 'node:crypto';
import type { ChunkTransform } from '../files/chunk-transform.js';
import { keepFreedMemoryForReuse } from '../files/keep-freed-memory.js';
import { TAG_SIZE } from './age-crypto.js';

/** Plaintext bytes per STREAM chunk. */
export const CHUNK_SIZE = 64 * 1024;
/** Ciphertext bytes per full STREAM chunk. */
export const SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;

/** Writes the STREAM nonce for chunk `counter` (11-byte big-endian counter, then the last-chunk flag). */
export function setStreamNonce(nonce: Buffer, counter: number, last: boolean): void {
  nonce.fill(0, 0, 5);
  // Counters above 2^48 would take 16 EiB of data; the top bytes stay zero.
  nonce.writeUIntBE(counter, 5, 6);
  nonce[11] = last ? 1 : 0;
}

/**
 * age's STREAM encryption of the payload: 64 KiB chunks, each sealed with ChaCha20-Poly1305 under
 * a counter nonce; the final chunk carries the last flag and is empty only for an empty payload.
 * `prefix` (the header and the payload nonce) is emitted before the first chunk.
 */
export class StreamEncryptor implements ChunkTransform {
  readonly #key: Buffer;
  readonly #nonce = Buffer.alloc(12);
  // Plaintext not yet sealed: at most one chunk, kept until we know whether more follows.
  readonly #carry = Buffer.allocUnsafe(CHUNK_SIZE);
  #carried = 0;
  #counter = 0;
  #prefix: Buffer | undefined;

  constructor(payloadKey: Buffer, prefix: Buffer) {
    // Every sealed chunk is a fresh allocation: let the freed ones be reused.
    keepFreedMemoryForReuse();
    this.#key = payloadKey;
    this.#prefix = prefix;
  }

  update(block: Uint8Array): Uint8Array[] {
    const out = this.#takePrefix();
    let offset = 0;
    if (this.#carried > 0) {
      const take = Math.min(CHUNK_SIZE - this.#carried, block.byteLength);
      this.#carry.set(block.subarray(0, take), this.#carried);
      this.#carried += take;
      offset = take;
      // A full carry is sealed only once more input proves it is not the last chunk.
      if (this.#carried === CHUNK_SIZE && offset < block.byteLength) {
        this.#seal(this.#carry, false, out);
        this.#carried = 0;
      }
    }
    while (block.byteLength - offset > CHUNK_SIZE) {
      this.#seal(block.subarray(offset, offset + CHUNK_SIZE), false, out);
      offset += CHUNK_SIZE;
    }
    if (offset < block.byteLength) {
      this.#carry.set(block.subarray(offset), this.#carried);
      this.#carried += block.byteLength - offset;
    }
    return out;
  }

  final(): Uint8Array[] {
    const out = this.#takePrefix();
    this.#seal(this.#carry.subarray(0, this.#carried), true, out);
    this.#carried = 0;
    return out;
  }

  #takePrefix(): Uint8Array[] {
    const prefix = this.#prefix;
    this.#prefix = undefined;
    return prefix === undefined ? [] : [prefix];
  }

  #seal(plaintext: Uint8Array, last: boolean, out: Uint8Array[]): void {
    setStreamNonce(this.#nonce, this.#counter, last);
    this.#counter += 1;
    const cipher = createCipheriv('chacha20-poly1305', this.#key, this.#nonce, { authTagLength: TAG_SIZE });
    out.push(cipher.update(plaintext));
    cipher.final();
    out.push(cipher.getAuthTag());
  }
}
