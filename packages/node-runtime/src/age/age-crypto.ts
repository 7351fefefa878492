import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';

/** The ChaCha20-Poly1305 tag length. */
export const TAG_SIZE = 16;

/** HKDF-SHA-256 with the given salt and info string. */
export function hkdf(ikm: Uint8Array, salt: Uint8Array | string, info: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/** HMAC-SHA-256. */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

/** ChaCha20-Poly1305 encryption: ciphertext followed by the tag. */
export function sealChaCha(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_SIZE });
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  return Buffer.concat([head, tail, cipher.getAuthTag()]);
}

/**
 * ChaCha20-Poly1305 decryption of ciphertext-then-tag. Returns `undefined` when authentication
 * fails; no unauthenticated plaintext ever leaves this function.
 */
export function openChaCha(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Buffer | undefined {
  if (sealed.byteLength < TAG_SIZE) return undefined;
  const split = sealed.byteLength - TAG_SIZE;
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_SIZE });
  decipher.setAuthTag(sealed.subarray(split));
  const head = decipher.update(sealed.subarray(0, split));
  try {
    const tail = decipher.final();
    return tail.byteLength === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    return undefined;
  }
}
