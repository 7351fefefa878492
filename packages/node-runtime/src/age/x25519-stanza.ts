import type { KeyObject } from 'node:crypto';
import { KwqmError } from '@kwqm/core';
import { hkdf, openChaCha, sealChaCha } from './age-crypto.js';
import type { Stanza } from './age-header.js';
import { decodeBase64NoPadding, encodeBase64NoPadding } from './base64-canonical.js';
import { generateX25519, rawPublicKey, x25519PrivateKey, x25519SharedSecret } from './x25519.js';

const LABEL = 'age-encryption.org/v1/X25519';
const ZERO_NONCE = Buffer.alloc(12);

/** Wraps the file key to one X25519 recipient (raw public key) with a fresh ephemeral share. */
export function wrapX25519(fileKey: Uint8Array, recipient: Uint8Array): Stanza {
  const ephemeral = generateX25519();
  const secret = x25519SharedSecret(x25519PrivateKey(ephemeral.privateKey), recipient);
  if (secret === undefined) {
    throw new KwqmError('INVALID_KEY', 'The recipient public key is a low-order point');
  }
  const wrapKey = hkdf(secret, Buffer.concat([ephemeral.publicKey, recipient]), LABEL);
  return {
    type: 'X25519',
    args: [encodeBase64NoPadding(ephemeral.publicKey)],
    body: sealChaCha(wrapKey, ZERO_NONCE, fileKey),
  };
}

/** An identity ready for unwrapping: the private key object and its public key. */
export interface X25519Identity {
  readonly privateKey: KeyObject;
  readonly publicKey: Buffer;
}

/** Prepares a raw private key for {@link unwrapX25519}. */
export function x25519Identity(privateRaw: Uint8Array): X25519Identity {
  const privateKey = x25519PrivateKey(privateRaw);
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

function badStanza(why: string): KwqmError {
  return new KwqmError('AGE_BAD_HEADER', `Malformed X25519 stanza: ${why}`);
}

/**
 * Tries an X25519 stanza with the given identities: the file key, or `undefined` when none of
 * them opens it. A malformed stanza (argument count, share or body size, an all-zero shared
 * secret) is `AGE_BAD_HEADER`, as the spec requires.
 */
export function unwrapX25519(stanza: Stanza, identities: readonly X25519Identity[]): Buffer | undefined {
  if (stanza.args.length !== 1) throw badStanza('expected exactly one argument');
  const share = decodeBase64NoPadding(stanza.args[0] ?? '');
  if (share?.byteLength !== 32) throw badStanza('the share is not 32 bytes of canonical base64');
  if (stanza.body.byteLength !== 32) throw badStanza('the wrapped file key is not 32 bytes');
  for (const identity of identities) {
    const secret = x25519SharedSecret(identity.privateKey, share);
    if (secret === undefined) throw badStanza('the share is a low-order point');
    const wrapKey = hkdf(secret, Buffer.concat([share, identity.publicKey]), LABEL);
    const fileKey = openChaCha(wrapKey, ZERO_NONCE, stanza.body);
    if (fileKey !== undefined) return fileKey;
  }
  return undefined;
}
