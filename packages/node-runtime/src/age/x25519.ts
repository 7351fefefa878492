import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

// DER prefixes of an X25519 key (RFC 8410): node:crypto takes raw keys only wrapped in these.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/** A private key from its 32 raw bytes. */
export function x25519PrivateKey(raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
}

/** A public key from its 32 raw bytes (the u-coordinate). */
export function x25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The 32 raw bytes of a public key (of a private key's public half when given a private key). */
export function rawPublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

/** The 32 raw bytes of a private key. */
export function rawPrivateKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
}

/** A fresh key pair as raw bytes. */
export function generateX25519(): { privateKey: Buffer; publicKey: Buffer } {
  const pair = generateKeyPairSync('x25519');
  return { privateKey: rawPrivateKey(pair.privateKey), publicKey: rawPublicKey(pair.publicKey) };
}

/**
 * The X25519 shared secret, or `undefined` when it is the all-zero value (a low-order or
 * identity point), which the age spec requires rejecting. OpenSSL refuses those derivations.
 */
export function x25519SharedSecret(privateKey: KeyObject, publicRaw: Uint8Array): Buffer | undefined {
  let secret: Buffer;
  try {
    secret = diffieHellman({ privateKey, publicKey: x25519PublicKey(publicRaw) });
  } catch {
    return undefined;
  }
  return secret.every((byte) => byte === 0) ? undefined : secret;
}
