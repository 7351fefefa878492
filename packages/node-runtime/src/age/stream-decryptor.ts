import { createDecipheriv } from 'node:crypto';
import { KwqmError } from '@kwqm/core';
import type { ChunkTransform } from '../files/chunk-transform.js';
import { keepFreedMemoryForReuse } from '../files/keep-freed-memory.js';
import { TAG_SIZE } from './age-crypto.js';
import { SEALED_CHUNK_SIZE, setStreamNonce } from './stream-encryptor.js';

/** How many stray bytes after a short final chunk are recognised as trailing data. */
const TRAILING_SEARCH = 64;

/**
 * age's STREAM decryption. Each chunk is authenticated before any of its plaintext is returned.
 * Failures: a chunk that does not authenticate is `AGE_PAYLOAD_AUTH_FAILED`; a stream that ends
 * at a chunk boundary without a last chunk is `AGE_TRUNCATED`; bytes after a full-size last
 * chunk, or up to 64 bytes after a short one, are `AGE_TRAILING_DATA`. (A file cut inside a chunk cannot be told from a modified
 * one: STREAM records no length, so that is `AGE_PAYLOAD_AUTH_FAILED`.)
 */
export class StreamDecryptor implements ChunkTransform {
  readonly #key: Buffer;
  readonly #nonce = Buffer.alloc(12);
  readonly #carry = Buffer.allocUnsafe(SEALED_CHUNK_SIZE);
  #carried = 0;
  #counter = 0;
  #finished = false;
  #failure: KwqmError | undefined;

  constructor(payloadKey: Buffer) {
    // Every opened chunk is a fresh allocation: let the freed ones be reused.
    keepFreedMemoryForReuse();
    this.#key = payloadKey;
  }

  update(block: Uint8Array): Uint8Array[] {
    if (this.#failure !== undefined) throw this.#failure;
    const out: Uint8Array[] = [];
    try {
      this.#consume(block, out);
    } catch (error) {
      // Chunks that authenticated before the failure are released; the error comes next call.
      if (out.length === 0 || !KwqmError.is(error)) throw error;
      this.#failure = error;
    }
    return out;
  }

  #consume(block: Uint8Array, out: Uint8Array[]): void {
    let offset = 0;
    while (offset < block.byteLength) {
      if (this.#finished) throw trailingData();
      if (this.#carried === 0 && block.byteLength - offset >= SEALED_CHUNK_SIZE) {
        out.push(this.#openFull(block.subarray(offset, offset + SEALED_CHUNK_SIZE)));
        offset += SEALED_CHUNK_SIZE;
        continue;
      }
      const take = Math.min(SEALED_CHUNK_SIZE - this.#carried, block.byteLength - offset);
      this.#carry.set(block.subarray(offset, offset + take), this.#carried);
      this.#carried += take;
      offset += take;
      if (this.#carried === SEALED_CHUNK_SIZE) {
        out.push(this.#openFull(this.#carry));
        this.#carried = 0;
      }
    }
  }

  final(): Uint8Array[] {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#finished) return [];
    const sealed = this.#carry.subarray(0, this.#carried);
    if (sealed.byteLength < TAG_SIZE) {
      throw new KwqmError(
        'AGE_TRUNCATED',
        'The encrypted file is truncated: the payload ends without its final chunk',
      );
    }
    const plaintext = this.#open(sealed, true);
    if (plaintext === undefined) {
      if (this.#endsEarlier(sealed)) throw trailingData();
      throw authFailed(this.#counter);
    }
    if (plaintext.byteLength === 0 && this.#counter > 0) {
      throw new KwqmError(
        'AGE_PAYLOAD_AUTH_FAILED',
        'The final payload chunk is empty, which only an empty file may have',
      );
    }
    this.#finished = true;
    this.#counter += 1;
    return [plaintext];
  }

  /**
   * Whether the final chunk authenticates without its last few bytes: a few stray bytes appended
   * to the file (a newline an editor added). STREAM records no length, so only a short search
   * ({@link TRAILING_SEARCH} bytes, a few milliseconds) is affordable; longer garbage after a
   * short final chunk is reported as `AGE_PAYLOAD_AUTH_FAILED`. Nothing opened here is released.
   */
  #endsEarlier(sealed: Uint8Array): boolean {
    const shortest = this.#counter === 0 ? TAG_SIZE : TAG_SIZE + 1;
    for (let cut = 1; cut <= TRAILING_SEARCH && sealed.byteLength - cut >= shortest; cut += 1) {
      if (this.#open(sealed.subarray(0, sealed.byteLength - cut), true) !== undefined) return true;
    }
    return false;
  }

  /**
   * Opens a full-size chunk as soon as it is complete: as a middle chunk, or else as the last one
   * (a tag authenticates only one of the two nonces, so the answer is unambiguous).
   */
  #openFull(sealed: Uint8Array): Buffer {
    const middle = this.#open(sealed, false);
    if (middle !== undefined) {
      this.#counter += 1;
      return middle;
    }
    const last = this.#open(sealed, true);
    if (last === undefined) throw authFailed(this.#counter);
    this.#finished = true;
    this.#counter += 1;
    return last;
  }

  #open(sealed: Uint8Array, last: boolean): Buffer | undefined {
    setStreamNonce(this.#nonce, this.#counter, last);
    const split = sealed.byteLength - TAG_SIZE;
    const decipher = createDecipheriv('chacha20-poly1305', this.#key, this.#nonce, {
      authTagLength: TAG_SIZE,
    });
    decipher.setAuthTag(sealed.subarray(split));
    const plaintext = decipher.update(sealed.subarray(0, split));
    try {
      decipher.final();
    } catch {
      return undefined;
    }
    return plaintext;
  }
}

function trailingData(): KwqmError {
  return new KwqmError('AGE_TRAILING_DATA', 'The encrypted file has data after its final chunk');
}

function authFailed(chunk: number): KwqmError {
  return new KwqmError(
    'AGE_PAYLOAD_AUTH_FAILED',
    `Payload chunk ${chunk} failed authentication: the file was modified or cut`,
    {
      details: { chunk },
    },
  );
}
