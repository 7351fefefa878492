import { decodeIdentity, encodeIdentity, encodeRecipient } from './bech32-keys.js';
import { generateX25519, rawPublicKey, x25519PrivateKey } from './x25519.js';

/** An X25519 key pair in age's text form. */
export interface AgeKeyPair {
  /** The private key, `AGE-SECRET-KEY-1…`. A secret. */
  readonly identity: string;
  /** The public key, `age1…`. */
  readonly recipient: string;
}

/** A fresh X25519 key pair, as `age-keygen` makes. */
export function generateIdentity(): AgeKeyPair {
  const { privateKey, publicKey } = generateX25519();
  return { identity: encodeIdentity(privateKey), recipient: encodeRecipient(publicKey) };
}

/** The recipient (`age1…`) of an identity (`AGE-SECRET-KEY-1…`); `INVALID_KEY` for anything else. */
export function identityToRecipient(identity: string): string {
  return encodeRecipient(rawPublicKey(x25519PrivateKey(decodeIdentity(identity.trim()))));
}

/**
 * The text of an identity file as `age-keygen` writes it: a creation comment, the public key
 * comment, then the key.
 */
export function formatIdentityFile(pair: AgeKeyPair, created: Date = new Date()): string {
  return `# created: ${created.toISOString().replace(/\.\d{3}Z$/, 'Z')}\n# public key: ${pair.recipient}\n${pair.identity}\n`;
}
