import { KwqmError } from '@kwqm/core';
import { bech32 } from '@scure/base';

const RECIPIENT_PREFIX = 'age';
const IDENTITY_PREFIX = 'age-secret-key-';
// Bech32's own 90-character limit is too short for some key types; age keys are far below this.
const LENGTH_LIMIT = 1024;

/** `age1…` for a raw X25519 public key. */
export function encodeRecipient(publicKey: Uint8Array): string {
  return bech32.encode(RECIPIENT_PREFIX, bech32.toWords(publicKey), LENGTH_LIMIT);
}

/** `AGE-SECRET-KEY-1…` for a raw X25519 private key (upper case, as age-keygen prints it). */
export function encodeIdentity(privateKey: Uint8Array): string {
  return bech32.encode(IDENTITY_PREFIX, bech32.toWords(privateKey), LENGTH_LIMIT).toUpperCase();
}

/** The raw public key of an `age1…` recipient; `INVALID_KEY` otherwise. */
export function decodeRecipient(text: string): Uint8Array {
  return decodeKey(text, RECIPIENT_PREFIX, 'recipient');
}

/** The raw private key of an `AGE-SECRET-KEY-1…` identity; `INVALID_KEY` otherwise. */
export function decodeIdentity(text: string): Uint8Array {
  return decodeKey(text, IDENTITY_PREFIX, 'identity');
}

function decodeKey(text: string, prefix: string, kind: string): Uint8Array {
  // Bech32 forbids mixed case; age accepts either all-lower or all-upper.
  const invalid = (why: string) =>
    new KwqmError('INVALID_KEY', `Not a valid age X25519 ${kind}: ${why}`, { details: { kind } });
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) throw invalid('mixed case');
  let decoded: { prefix: string; words: number[] };
  try {
    decoded = bech32.decode(text.toLowerCase() as `${string}1${string}`, LENGTH_LIMIT);
  } catch {
    throw invalid('bad Bech32 encoding');
  }
  if (decoded.prefix !== prefix) throw invalid(`expected the prefix "${prefix}1"`);
  let bytes: Uint8Array;
  try {
    bytes = bech32.fromWords(decoded.words);
  } catch {
    throw invalid('bad Bech32 padding');
  }
  if (bytes.byteLength !== 32) throw invalid(`expected 32 bytes, got ${bytes.byteLength}`);
  return bytes;
}
