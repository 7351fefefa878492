import { randomBytes } from 'node:crypto';
import { KwqmError } from '@kwqm/core';
import { type ChunkTransform, chainTransforms, transformBytes } from '../files/chunk-transform.js';
import { hkdf, hmacSha256 } from './age-crypto.js';
import { encodeHeader, encodeHeaderWithoutMac, type Stanza } from './age-header.js';
import {
  checkOptionalBoolean,
  checkOptionalSecretString,
  checkOptionalStringList,
  readAgeOptions,
} from './age-option-checks.js';
import { ArmorEncoder } from './armor.js';
import { decodeRecipient } from './bech32-keys.js';
import { DEFAULT_WORK_FACTOR, wrapScrypt } from './scrypt-stanza.js';
import { StreamEncryptor } from './stream-encryptor.js';
import { wrapX25519 } from './x25519-stanza.js';

/** Options of {@link createAgeEncryptor} and {@link encryptBytes}: a passphrase or recipients, not both. */
export interface AgeEncryptOptions {
  /** X25519 recipients (`age1…`). */
  readonly recipients?: readonly string[];
  /** A passphrase (an scrypt stanza, which must be alone). */
  readonly passphrase?: string;
  /** scrypt work factor (log2 N), 1–30. @default 18 */
  readonly workFactor?: number;
  /** PEM-style ASCII armor. @default false */
  readonly armor?: boolean;
}

/**
 * A streaming age v1 encryptor: header (with a fresh file key wrapped to each recipient or to
 * the passphrase), payload nonce, STREAM chunks, optionally armored. Keys are checked at once
 * (`INVALID_KEY`, `INVALID_OPTION`, also for a mistyped option), before any output.
 */
export function createAgeEncryptor(givenOptions: AgeEncryptOptions): ChunkTransform {
  const raw = readAgeOptions(givenOptions);
  checkOptionalStringList('recipients', raw.recipients);
  checkOptionalSecretString('passphrase', raw.passphrase);
  checkOptionalBoolean('armor', raw.armor);
  const options = raw as AgeEncryptOptions;
  const recipients = (options.recipients ?? []).map((recipient) => decodeRecipient(recipient.trim()));
  const workFactor = options.workFactor ?? DEFAULT_WORK_FACTOR;
  if (!Number.isInteger(workFactor) || workFactor < 1 || workFactor > 30) {
    throw new KwqmError(
      'INVALID_OPTION',
      `Expected \`workFactor\` to be an integer from 1 to 30, got \`${String(workFactor)}\` (${typeof workFactor})`,
      { details: { option: 'workFactor' } },
    );
  }
  if (recipients.length > 0 && options.passphrase !== undefined) {
    throw new KwqmError(
      'INVALID_OPTION',
      'Give either recipients or a passphrase, not both (an scrypt stanza must be alone)',
      { details: { option: 'passphrase' } },
    );
  }
  if (recipients.length === 0 && options.passphrase === undefined) {
    throw new KwqmError('PASSPHRASE_REQUIRED', 'Give recipients or a passphrase to encrypt to');
  }
  if (options.passphrase === '')
    throw new KwqmError('INVALID_OPTION', 'The passphrase is empty', { details: { option: 'passphrase' } });

  const fileKey = randomBytes(16);
  const stanzas: Stanza[] =
    options.passphrase === undefined
      ? recipients.map((recipient) => wrapX25519(fileKey, recipient))
      : [wrapScrypt(fileKey, options.passphrase, workFactor)];
  const withoutMac = encodeHeaderWithoutMac(stanzas);
  const header = encodeHeader(withoutMac, hmacSha256(hkdf(fileKey, Buffer.alloc(0), 'header'), withoutMac));
  const nonce = randomBytes(16);
  const payloadKey = hkdf(fileKey, nonce, 'payload');
  const encryptor = new StreamEncryptor(payloadKey, Buffer.concat([header, nonce]));
  return options.armor === true ? chainTransforms(encryptor, new ArmorEncoder()) : encryptor;
}

/** Encrypts a whole in-memory plaintext (same code path as files). */
export function encryptBytes(plaintext: Uint8Array, options: AgeEncryptOptions): Buffer {
  return transformBytes(createAgeEncryptor(options), plaintext);
}
