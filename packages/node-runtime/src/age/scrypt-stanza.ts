import { randomBytes, scryptSync } from 'node:crypto';
import { KwqmError } from '@kwqm/core';
import { openChaCha, sealChaCha } from './age-crypto.js';
import type { Stanza } from './age-header.js';
import { decodeBase64NoPadding, encodeBase64NoPadding } from './base64-canonical.js';

const LABEL = 'age-encryption.org/v1/scrypt';
const ZERO_NONCE = Buffer.alloc(12);
// Decimal without leading zeros or signs, as the spec demands.
const WORK_FACTOR = /^[1-9][0-9]?$/;

/** The scrypt work factor age uses by default (N = 2^18). */
export const DEFAULT_WORK_FACTOR = 18;
/** The highest work factor accepted when decrypting, by default (N = 2^22, 4 GiB of scrypt memory). */
export const DEFAULT_MAX_WORK_FACTOR = 22;

function deriveWrapKey(passphrase: string, salt: Uint8Array, workFactor: number): Buffer {
  const cost = 2 ** workFactor;
  // scrypt needs 128 * r * N bytes; Node's default cap (32 MiB) stops at N = 2^15.
  return scryptSync(Buffer.from(passphrase, 'utf8'), Buffer.concat([Buffer.from(LABEL), salt]), 32, {
    N: cost,
    r: 8,
    p: 1,
    maxmem: 128 * 8 * cost + 16 * 1024 * 1024,
  });
}

/** Wraps the file key with a passphrase. */
export function wrapScrypt(fileKey: Uint8Array, passphrase: string, workFactor: number): Stanza {
  const salt = randomBytes(16);
  const wrapKey = deriveWrapKey(passphrase, salt, workFactor);
  return {
    type: 'scrypt',
    args: [encodeBase64NoPadding(salt), String(workFactor)],
    body: sealChaCha(wrapKey, ZERO_NONCE, fileKey),
  };
}

function badStanza(why: string): KwqmError {
  return new KwqmError('AGE_BAD_HEADER', `Malformed scrypt stanza: ${why}`);
}

/**
 * Tries a passphrase on an scrypt stanza: the file key, or `undefined` for a wrong passphrase.
 * A work factor above `maxWorkFactor` is refused before any work (`AGE_WORK_FACTOR_TOO_HIGH`).
 */
export function unwrapScrypt(stanza: Stanza, passphrase: string, maxWorkFactor: number): Buffer | undefined {
  if (stanza.args.length !== 2) throw badStanza('expected a salt and a work factor');
  const [saltText = '', workFactorText = ''] = stanza.args;
  const salt = decodeBase64NoPadding(saltText);
  if (salt?.byteLength !== 16) throw badStanza('the salt is not 16 bytes of canonical base64');
  if (!WORK_FACTOR.test(workFactorText)) throw badStanza('the work factor is not a decimal number');
  const workFactor = Number(workFactorText);
  if (workFactor > maxWorkFactor) {
    throw new KwqmError(
      'AGE_WORK_FACTOR_TOO_HIGH',
      `The file's scrypt work factor ${workFactor} exceeds the limit ${maxWorkFactor} (raise \`maxWorkFactor\` to accept it)`,
      { details: { workFactor, maxWorkFactor } },
    );
  }
  if (stanza.body.byteLength !== 32) throw badStanza('the wrapped file key is not 32 bytes');
  return openChaCha(deriveWrapKey(passphrase, salt, workFactor), ZERO_NONCE, stanza.body);
}
