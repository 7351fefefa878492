import { timingSafeEqual } from 'node:crypto';
import { KwqmError } from '@kwqm/core';
import { hkdf, hmacSha256 } from './age-crypto.js';
import type { AgeHeader } from './age-header.js';
import { unwrapScrypt } from './scrypt-stanza.js';
import { unwrapX25519, type X25519Identity } from './x25519-stanza.js';

/** What can open a file: a passphrase, X25519 identities, or both. */
export interface FileKeySecrets {
  readonly passphrase?: string | undefined;
  readonly identities: readonly X25519Identity[];
  /** Highest scrypt work factor accepted. */
  readonly maxWorkFactor: number;
}

/**
 * Finds the file key in the header's stanzas and checks the header MAC with it.
 * Stanzas of unknown types are skipped (the spec's grease); an scrypt stanza must be the only one.
 */
export function unwrapFileKey(header: AgeHeader, secrets: FileKeySecrets): Buffer {
  const fileKey = findFileKey(header, secrets);
  const expected = hmacSha256(hkdf(fileKey, Buffer.alloc(0), 'header'), header.macInput);
  if (!timingSafeEqual(expected, header.mac)) {
    throw new KwqmError(
      'AGE_HEADER_MAC_MISMATCH',
      'The age header MAC does not match: the header was modified',
    );
  }
  return fileKey;
}

function findFileKey(header: AgeHeader, secrets: FileKeySecrets): Buffer {
  const scrypt = header.stanzas.find((stanza) => stanza.type === 'scrypt');
  if (scrypt !== undefined) {
    if (header.stanzas.length !== 1) {
      throw new KwqmError('AGE_BAD_HEADER', 'Malformed age header: an scrypt stanza must be the only one');
    }
    if (secrets.passphrase === undefined) {
      throw new KwqmError(
        'PASSPHRASE_REQUIRED',
        'This file is encrypted with a passphrase; give `passphrase`',
      );
    }
    const fileKey = unwrapScrypt(scrypt, secrets.passphrase, secrets.maxWorkFactor);
    if (fileKey === undefined) throw new KwqmError('AGE_WRONG_PASSPHRASE', 'Wrong passphrase');
    return fileKey;
  }
  if (secrets.identities.length > 0) {
    for (const stanza of header.stanzas) {
      if (stanza.type !== 'X25519') continue;
      const fileKey = unwrapX25519(stanza, secrets.identities);
      if (fileKey !== undefined) return fileKey;
    }
  }
  const types = [...new Set(header.stanzas.map((stanza) => stanza.type))].join(', ');
  throw new KwqmError(
    'AGE_NO_MATCHING_IDENTITY',
    secrets.identities.length === 0
      ? `This file is encrypted to public keys (${types}); give the matching identity`
      : `None of the ${secrets.identities.length} identities given opens this file (stanzas: ${types})`,
    { details: { identities: secrets.identities.length } },
  );
}
