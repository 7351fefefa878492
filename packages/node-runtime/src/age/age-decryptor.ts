import { KwqmError } from '@kwqm/core';
import { type ChunkTransform, chainTransforms, transformBytes } from '../files/chunk-transform.js';
import { hkdf } from './age-crypto.js';
import { parseHeader } from './age-header.js';
import { checkOptionalSecretString, checkOptionalStringList, readAgeOptions } from './age-option-checks.js';
import { ARMOR_BEGIN, ArmorDecoder } from './armor.js';
import { parseIdentities } from './identity-file.js';
import { DEFAULT_MAX_WORK_FACTOR } from './scrypt-stanza.js';
import { StreamDecryptor } from './stream-decryptor.js';
import { unwrapFileKey } from './unwrap-file-key.js';
import { type X25519Identity, x25519Identity } from './x25519-stanza.js';

/** Options of {@link createAgeDecryptor} and {@link decryptBytes}. */
export interface AgeDecryptOptions {
  readonly passphrase?: string;
  /** `AGE-SECRET-KEY-1…` keys, or whole identity files (comments and blank lines allowed). */
  readonly identities?: readonly string[];
  /** Highest scrypt work factor accepted; bounds the time and memory a hostile file can cost. @default 22 */
  readonly maxWorkFactor?: number;
}

const NONCE_SIZE = 16;

/**
 * A streaming age v1 decryptor for binary or armored files (told apart by their first bytes). The header is buffered
 * and checked (stanzas, file key, MAC) before any plaintext; each payload chunk is
 * authenticated before it is returned. Identities are parsed at once (`INVALID_KEY`); a mistyped
 * option throws `INVALID_OPTION`.
 */
export function createAgeDecryptor(givenOptions: AgeDecryptOptions): ChunkTransform {
  const raw = readAgeOptions(givenOptions);
  checkOptionalStringList('identities', raw.identities);
  checkOptionalSecretString('passphrase', raw.passphrase);
  const options = raw as AgeDecryptOptions;
  const maxWorkFactor = options.maxWorkFactor ?? DEFAULT_MAX_WORK_FACTOR;
  if (!Number.isInteger(maxWorkFactor) || maxWorkFactor < 1 || maxWorkFactor > 30) {
    throw new KwqmError(
      'INVALID_OPTION',
      `Expected \`maxWorkFactor\` to be an integer from 1 to 30, got \`${String(maxWorkFactor)}\` (${typeof maxWorkFactor})`,
      { details: { option: 'maxWorkFactor' } },
    );
  }
  const identities = (options.identities ?? [])
    .flatMap((text) => parseIdentities(text))
    .map((raw) => x25519Identity(raw));
  return new AgeDecryptor({ passphrase: options.passphrase, identities, maxWorkFactor });
}

/** Decrypts a whole in-memory age file (same code path as files). */
export function decryptBytes(file: Uint8Array, options: AgeDecryptOptions): Buffer {
  return transformBytes(createAgeDecryptor(options), file);
}

interface Secrets {
  readonly passphrase: string | undefined;
  readonly identities: readonly X25519Identity[];
  readonly maxWorkFactor: number;
}

const BINARY_PREFIX = Buffer.from('age-encryption.org/', 'latin1');
// How far to look for a BEGIN line after leading garbage, to report bad armor rather than a bad header.
const ARMOR_SEARCH = 1024;

/**
 * Binary or armored, from the first bytes: the binary version line; else armor when the file
 * starts with `-` or whitespace or has a BEGIN line near the start; else binary (and the header
 * parser says "not an age file"). `undefined` until there are enough bytes to tell.
 */
function decideFormat(start: Buffer, atEnd: boolean): 'binary' | 'armor' | undefined {
  const prefix = start.subarray(0, BINARY_PREFIX.byteLength);
  if (prefix.byteLength > 0 && BINARY_PREFIX.subarray(0, prefix.byteLength).equals(prefix)) {
    return prefix.byteLength === BINARY_PREFIX.byteLength || atEnd ? 'binary' : undefined;
  }
  const first = start[0];
  if (first === 0x2d || first === 0x20 || first === 0x09 || first === 0x0a || first === 0x0d) return 'armor';
  if (start.subarray(0, ARMOR_SEARCH).includes(ARMOR_BEGIN)) return 'armor';
  return start.byteLength >= ARMOR_SEARCH || atEnd ? 'binary' : undefined;
}

class AgeDecryptor implements ChunkTransform {
  readonly #secrets: Secrets;
  #inner: ChunkTransform | undefined;
  // The first bytes, until there are enough to tell binary from armored.
  #start = Buffer.alloc(0);

  constructor(secrets: Secrets) {
    this.#secrets = secrets;
  }

  update(block: Uint8Array): readonly Uint8Array[] {
    if (this.#inner !== undefined) return this.#inner.update(block);
    this.#start = Buffer.concat([this.#start, block]);
    if (decideFormat(this.#start, false) === undefined) return [];
    const start = this.#start;
    return this.#begin(start).update(start);
  }

  final(): readonly Uint8Array[] {
    if (this.#inner === undefined) {
      if (this.#start.byteLength === 0)
        throw new KwqmError('AGE_BAD_HEADER', 'Not an age file: the file is empty');
      const start = this.#start;
      const inner = this.#begin(start);
      const out = inner.update(start);
      return [...out, ...inner.final()];
    }
    return this.#inner.final();
  }

  #begin(start: Buffer): ChunkTransform {
    const binary = new BinaryDecryptor(this.#secrets);
    this.#inner =
      decideFormat(start, true) === 'binary' ? binary : chainTransforms(new ArmorDecoder(), binary);
    this.#start = Buffer.alloc(0);
    return this.#inner;
  }
}

/** The binary format: header, then nonce, then STREAM. */
class BinaryDecryptor implements ChunkTransform {
  readonly #secrets: Secrets;
  #buffered: Buffer[] = [];
  #bufferedSize = 0;
  #payload: StreamDecryptor | undefined;

  constructor(secrets: Secrets) {
    this.#secrets = secrets;
  }

  update(block: Uint8Array): readonly Uint8Array[] {
    if (this.#payload !== undefined) return this.#payload.update(block);
    this.#buffered.push(Buffer.from(block));
    this.#bufferedSize += block.byteLength;
    const data = Buffer.concat(this.#buffered, this.#bufferedSize);
    this.#buffered = [data];
    const header = parseHeader(data);
    if (header === undefined || data.byteLength < header.length + NONCE_SIZE) return [];
    const fileKey = unwrapFileKey(header, this.#secrets);
    const nonce = data.subarray(header.length, header.length + NONCE_SIZE);
    this.#payload = new StreamDecryptor(hkdf(fileKey, nonce, 'payload'));
    this.#buffered = [];
    return this.#payload.update(data.subarray(header.length + NONCE_SIZE));
  }

  final(): readonly Uint8Array[] {
    if (this.#payload !== undefined) return this.#payload.final();
    const data = Buffer.concat(this.#buffered, this.#bufferedSize);
    if (data.byteLength === 0) throw new KwqmError('AGE_BAD_HEADER', 'Not an age file: the file is empty');
    const header = parseHeader(data);
    if (header === undefined)
      throw new KwqmError('AGE_TRUNCATED', 'The encrypted file is truncated inside its header');
    // Check the keys and MAC first: a wrong key is a better answer than a missing nonce.
    unwrapFileKey(header, this.#secrets);
    throw new KwqmError('AGE_TRUNCATED', 'The encrypted file is truncated: the payload nonce is missing');
  }
}
