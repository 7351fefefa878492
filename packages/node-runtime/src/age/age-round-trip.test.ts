import { randomBytes } from 'node:crypto';
import { KwqmError } from '@kwqm/core';
import { describe, expect, it } from 'vitest';
import type { ChunkTransform } from '../files/chunk-transform.js';
import { createAgeDecryptor, decryptBytes } from './age-decryptor.js';
import { createAgeEncryptor, encryptBytes } from './age-encryptor.js';
import { ArmorDecoder, ArmorEncoder } from './armor.js';
import { decodeBase64NoPadding, encodeBase64NoPadding } from './base64-canonical.js';
import { decodeIdentity, decodeRecipient } from './bech32-keys.js';
import { generateIdentity, identityToRecipient } from './generate-identity.js';
import { parseIdentities } from './identity-file.js';

const pair = generateIdentity();
const SIZES = [0, 1, 65_535, 65_536, 65_537, 131_072, 200_001];

/** Feeds `data` in pieces of random sizes (1 byte to 150 KiB), to hit every buffering boundary. */
function feedInPieces(transform: ChunkTransform, data: Uint8Array): Buffer {
  const out: Uint8Array[] = [];
  let offset = 0;
  while (offset < data.byteLength) {
    const size =
      Math.random() < 0.3 ? 1 + Math.floor(Math.random() * 20) : 1 + Math.floor(Math.random() * 150_000);
    out.push(...transform.update(data.subarray(offset, offset + size)));
    offset += size;
  }
  out.push(...transform.final());
  return Buffer.concat(out);
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return KwqmError.is(error) ? error.code : 'not a KwqmError';
  }
  return undefined;
}

describe('age encrypt → decrypt', () => {
  it.each(SIZES)(
    'round-trips %i bytes to an X25519 recipient, whole and in random pieces, binary and armored',
    (size) => {
      const plaintext = randomBytes(size);
      for (const armor of [false, true]) {
        const file = feedInPieces(createAgeEncryptor({ recipients: [pair.recipient], armor }), plaintext);
        expect(decryptBytes(file, { identities: [pair.identity] }).equals(plaintext)).toBe(true);
        expect(
          feedInPieces(createAgeDecryptor({ identities: [pair.identity] }), file).equals(plaintext),
        ).toBe(true);
      }
    },
  );

  it('has the expected binary layout: header, 16-byte nonce, 64 KiB + 16 chunks', () => {
    const file = encryptBytes(randomBytes(65_537), { recipients: [pair.recipient] });
    const text = file.toString('latin1');
    expect(text.startsWith('age-encryption.org/v1\n-> X25519 ')).toBe(true);
    const headerEnd = text.indexOf('\n--- ') + 5 + 43 + 1;
    expect(file.byteLength - headerEnd).toBe(16 + (65_536 + 16) + (1 + 16));
  });

  it('round-trips with a passphrase (scrypt stanza) and rejects a wrong one', () => {
    const plaintext = randomBytes(1000);
    const file = encryptBytes(plaintext, { passphrase: 'pass', workFactor: 4 });
    expect(file.toString('latin1')).toMatch(/^age-encryption\.org\/v1\n-> scrypt [A-Za-z0-9+/]{22} 4\n/);
    expect(decryptBytes(file, { passphrase: 'pass' }).equals(plaintext)).toBe(true);
    expect(codeOf(() => decryptBytes(file, { passphrase: 'other' }))).toBe('AGE_WRONG_PASSPHRASE');
  });

  it('opens a file for several recipients with any of their identities', () => {
    const other = generateIdentity();
    const file = encryptBytes(Buffer.from('hi'), { recipients: [pair.recipient, other.recipient] });
    expect(decryptBytes(file, { identities: [other.identity] }).toString()).toBe('hi');
    expect(decryptBytes(file, { identities: [generateIdentity().identity, pair.identity] }).toString()).toBe(
      'hi',
    );
  });

  it('validates options at once', () => {
    expect(codeOf(() => createAgeEncryptor({}))).toBe('PASSPHRASE_REQUIRED');
    expect(codeOf(() => createAgeEncryptor({ recipients: ['age1nope'] }))).toBe('INVALID_KEY');
    expect(codeOf(() => createAgeEncryptor({ passphrase: 'x', recipients: [pair.recipient] }))).toBe(
      'INVALID_OPTION',
    );
    expect(codeOf(() => createAgeEncryptor({ passphrase: 'x', workFactor: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => createAgeEncryptor({ passphrase: '' }))).toBe('INVALID_OPTION');
    expect(codeOf(() => createAgeDecryptor({ maxWorkFactor: 31 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => createAgeDecryptor({ identities: ['AGE-SECRET-KEY-1XYZ'] }))).toBe('INVALID_KEY');
  });

  it('names the option it refuses in details.option, as errors.md promises', () => {
    const optionOf = (action: () => unknown): unknown => {
      try {
        action();
      } catch (error) {
        return KwqmError.is(error) ? error.details?.option : 'not a KwqmError';
      }
      return undefined;
    };
    expect(optionOf(() => createAgeEncryptor({ passphrase: 'x', workFactor: 0 }))).toBe('workFactor');
    expect(optionOf(() => createAgeEncryptor({ passphrase: '' }))).toBe('passphrase');
    expect(optionOf(() => createAgeEncryptor({ passphrase: 'x', recipients: [pair.recipient] }))).toBe(
      'passphrase',
    );
    expect(optionOf(() => createAgeDecryptor({ maxWorkFactor: 31 }))).toBe('maxWorkFactor');
  });
});

describe('armor', () => {
  it('writes 64-column lines with padding and reads LF, CRLF and surrounding whitespace', () => {
    const data = randomBytes(1000);
    const armored = feedInPieces(new ArmorEncoder(), data).toString('latin1');
    const lines = armored.split('\n');
    expect(lines[0]).toBe('-----BEGIN AGE ENCRYPTED FILE-----');
    expect(lines.at(-2)).toBe('-----END AGE ENCRYPTED FILE-----');
    expect(lines.slice(1, -3).every((line) => line.length === 64)).toBe(true);
    expect(lines.at(-3)?.length).toBeLessThanOrEqual(64);
    for (const variant of [armored, armored.replaceAll('\n', '\r\n'), `\n  ${armored}\n\t \n`]) {
      expect(feedInPieces(new ArmorDecoder(), Buffer.from(variant, 'latin1')).equals(data)).toBe(true);
    }
  });

  it('rejects a long line, a missing END line and text after END (AGE_BAD_ARMOR)', () => {
    const armored = feedInPieces(new ArmorEncoder(), randomBytes(200)).toString('latin1');
    const decode = (text: string) => () => feedInPieces(new ArmorDecoder(), Buffer.from(text, 'latin1'));
    expect(codeOf(decode(armored.replace('\n', '\nA')))).toBe('AGE_BAD_ARMOR');
    expect(codeOf(decode(armored.replace('-----END AGE ENCRYPTED FILE-----\n', '')))).toBe('AGE_BAD_ARMOR');
    expect(codeOf(decode(`${armored}garbage`))).toBe('AGE_BAD_ARMOR');
  });
});

describe('keys and base64', () => {
  it('derives the recipient of an identity and decodes both to 32 bytes', () => {
    expect(identityToRecipient(pair.identity)).toBe(pair.recipient);
    expect(pair.identity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(pair.recipient).toMatch(/^age1[0-9a-z]{58}$/);
    expect(decodeIdentity(pair.identity.toLowerCase())).toHaveLength(32);
    expect(decodeRecipient(pair.recipient)).toHaveLength(32);
  });

  it('rejects mixed case, wrong prefixes and bad checksums (INVALID_KEY)', () => {
    const mixed = `${pair.recipient.slice(0, 10).toUpperCase()}${pair.recipient.slice(10)}`;
    const badChecksum = `${pair.recipient.slice(0, -1)}${pair.recipient.endsWith('q') ? 'p' : 'q'}`;
    for (const action of [
      () => decodeRecipient(mixed),
      () => decodeRecipient(badChecksum),
      () => decodeRecipient(pair.identity),
      () => decodeIdentity(pair.recipient),
      () => identityToRecipient('hello'),
    ]) {
      expect(codeOf(action)).toBe('INVALID_KEY');
    }
  });

  it('parses identity files with comments and blank lines, and names the bad line', () => {
    const other = generateIdentity();
    const text = `# created: 2026-01-01T00:00:00Z\n# public key: ${pair.recipient}\n${pair.identity}\n\n${other.identity}\r\n`;
    expect(parseIdentities(text)).toHaveLength(2);
    expect(codeOf(() => parseIdentities('# only a comment\n'))).toBe('INVALID_KEY');
    try {
      parseIdentities(`${pair.identity}\nnot a key\n`);
    } catch (error) {
      expect((error as KwqmError).details).toEqual({ line: 2 });
    }
  });

  it('base64 without padding is strict: canonical, no padding, alphabet only', () => {
    expect(encodeBase64NoPadding(Buffer.from('ab'))).toBe('YWI');
    expect(decodeBase64NoPadding('YWI')?.toString()).toBe('ab');
    expect(decodeBase64NoPadding('YWJ')).toBeUndefined(); // non-zero unused bits
    expect(decodeBase64NoPadding('YWI=')).toBeUndefined();
    expect(decodeBase64NoPadding('YW I')).toBeUndefined();
    expect(decodeBase64NoPadding('Y')).toBeUndefined();
  });
});

describe('mistyped options of the in-memory API', () => {
  // What plain JavaScript may pass where the types forbid it.
  const loose = (value?: unknown) => value as never;

  it('throw INVALID_OPTION, not a TypeError, naming the option', () => {
    const optionOf = (action: () => unknown): unknown => {
      try {
        action();
      } catch (error) {
        return KwqmError.is(error) ? [error.code, error.details?.option] : 'not a KwqmError';
      }
      return undefined;
    };
    expect(optionOf(() => encryptBytes(Buffer.from('x'), loose(pair.recipient)))).toEqual([
      'INVALID_OPTION',
      'options',
    ]);
    expect(optionOf(() => encryptBytes(Buffer.from('x'), loose({ recipients: pair.recipient })))).toEqual([
      'INVALID_OPTION',
      'recipients',
    ]);
    expect(
      optionOf(() => encryptBytes(Buffer.from('x'), loose({ recipients: [pair.recipient, 7] }))),
    ).toEqual(['INVALID_OPTION', 'recipients[1]']);
    expect(
      optionOf(() => encryptBytes(Buffer.from('x'), loose({ passphrase: 1234, workFactor: 1 }))),
    ).toEqual(['INVALID_OPTION', 'passphrase']);
    expect(
      optionOf(() => encryptBytes(Buffer.from('x'), loose({ recipients: [pair.recipient], armor: 'yes' }))),
    ).toEqual(['INVALID_OPTION', 'armor']);
    expect(optionOf(() => decryptBytes(Buffer.from('x'), loose({ identities: pair.identity })))).toEqual([
      'INVALID_OPTION',
      'identities',
    ]);
    expect(optionOf(() => decryptBytes(Buffer.from('x'), loose({ passphrase: 42 })))).toEqual([
      'INVALID_OPTION',
      'passphrase',
    ]);
    expect(optionOf(() => createAgeDecryptor(loose(null)))).toEqual(['INVALID_OPTION', 'options']);
  });

  it('treat missing options as empty', () => {
    expect(codeOf(() => encryptBytes(Buffer.from('x'), loose()))).toBe('PASSPHRASE_REQUIRED');
    const file = encryptBytes(Buffer.from('x'), { recipients: [pair.recipient] });
    expect(codeOf(() => decryptBytes(file, loose()))).toBe('AGE_NO_MATCHING_IDENTITY');
  });
});
