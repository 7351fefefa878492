import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KwqmError, type KwqmErrorCode } from '@kwqm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity } from '../src/age/generate-identity.js';
import { decrypt } from '../src/operations/decrypt.js';
import { encrypt } from '../src/operations/encrypt.js';
import type { OperationContext } from '../src/operations/operation.js';

// Damaged and wrongly keyed files: each failure has its own code, and no plaintext (nor a
// temporary file) is left in the folder.

const CHUNK = 64 * 1024 + 16;
const context = (): OperationContext => ({
  signal: new AbortController().signal,
  reportProgress: () => undefined,
});
const alice = generateIdentity();
const bob = generateIdentity();
const PASSPHRASE = 'tamper-test';

let folder: string;
let x25519File: Buffer; // 200 000 bytes of plaintext: chunks of 64 KiB, 64 KiB, 64 KiB, 3392 B
let twoRecipientsFile: Buffer;
let fullLastChunkFile: Buffer; // exactly 2 × 64 KiB: the last chunk is full
let passphraseFile: Buffer;
let headerLength: number;

async function encryptToBuffer(
  size: number,
  params: object,
  secrets?: { passphrase: string },
): Promise<Buffer> {
  const input = join(folder, `plain-${randomBytes(4).toString('hex')}`);
  writeFileSync(input, randomBytes(size));
  const { output } = await encrypt.run({ input, ...params }, secrets, context());
  const bytes = readFileSync(output);
  rmSync(input);
  rmSync(output);
  return bytes;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'kwqm-age-tamper-'));
  x25519File = await encryptToBuffer(200_000, { recipients: [alice.recipient] });
  twoRecipientsFile = await encryptToBuffer(1000, { recipients: [alice.recipient, bob.recipient] });
  fullLastChunkFile = await encryptToBuffer(2 * 65_536, { recipients: [alice.recipient] });
  passphraseFile = await encryptToBuffer(1000, { workFactor: 10 }, { passphrase: PASSPHRASE });
  headerLength = x25519File.indexOf('\n---') + 1 + 48; // "--- " + 43 base64 + "\n"
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function decryptFails(
  file: Buffer,
  secrets: { identities?: string[]; passphrase?: string },
  params: { maxWorkFactor?: number } = {},
): Promise<KwqmErrorCode> {
  const input = join(folder, 'damaged.age');
  writeFileSync(input, file);
  try {
    await decrypt.run({ input, ...params }, secrets, context());
  } catch (error) {
    expect(KwqmError.is(error)).toBe(true);
    // Nothing but the input: no output, no temporary file.
    expect(readdirSync(folder)).toEqual(['damaged.age']);
    rmSync(input);
    return (error as KwqmError).code;
  }
  throw new Error('expected decryption to fail');
}

function flipped(file: Buffer, offset: number): Buffer {
  const copy = Buffer.from(file);
  copy[offset] = (copy[offset] ?? 0) ^ 0x01;
  return copy;
}

/** Replaces the character at `offset` by another base64 character (keeps the header parseable). */
function otherBase64Char(file: Buffer, offset: number): Buffer {
  const copy = Buffer.from(file);
  copy[offset] = copy[offset] === 0x41 ? 0x42 : 0x41; // 'A' ↔ 'B'
  return copy;
}

describe('tampered age files', () => {
  it('decrypts the untouched files (the baseline the cases below modify)', async () => {
    const input = join(folder, 'good.age');
    for (const [file, secrets] of [
      [x25519File, { identities: [alice.identity] }],
      [fullLastChunkFile, { identities: [alice.identity] }],
      [twoRecipientsFile, { identities: [bob.identity] }],
      [passphraseFile, { passphrase: PASSPHRASE }],
    ] as const) {
      writeFileSync(input, file);
      const result = await decrypt.run({ input }, secrets, context());
      expect(result.bytesIn).toBe(file.byteLength);
      rmSync(result.output);
    }
    rmSync(input);
  });

  it('header MAC byte changed: AGE_HEADER_MAC_MISMATCH', async () => {
    const macStart = x25519File.indexOf('\n--- ') + 5;
    expect(await decryptFails(otherBase64Char(x25519File, macStart), { identities: [alice.identity] })).toBe(
      'AGE_HEADER_MAC_MISMATCH',
    );
  });

  it("another recipient's stanza changed: the file key still opens, the MAC catches it", async () => {
    // Bob's stanza is the second; its body line follows its "-> X25519" line.
    const bobStanza = twoRecipientsFile.indexOf('-> X25519', twoRecipientsFile.indexOf('-> X25519') + 1);
    const bodyStart = twoRecipientsFile.indexOf('\n', bobStanza) + 1;
    expect(
      await decryptFails(otherBase64Char(twoRecipientsFile, bodyStart + 5), { identities: [alice.identity] }),
    ).toBe('AGE_HEADER_MAC_MISMATCH');
  });

  it('version line damaged: AGE_BAD_HEADER', async () => {
    expect(await decryptFails(flipped(x25519File, 3), { identities: [alice.identity] })).toBe(
      'AGE_BAD_HEADER',
    );
  });

  it('a byte flipped in the first, a middle and the last chunk: AGE_PAYLOAD_AUTH_FAILED', async () => {
    const payload = headerLength + 16;
    for (const offset of [payload + 10, payload + CHUNK + 500, x25519File.byteLength - 5]) {
      expect(await decryptFails(flipped(x25519File, offset), { identities: [alice.identity] })).toBe(
        'AGE_PAYLOAD_AUTH_FAILED',
      );
    }
  });

  it('truncated inside the header, in the nonce, or at a chunk boundary: AGE_TRUNCATED', async () => {
    const payload = headerLength + 16;
    for (const length of [40, headerLength + 5, payload, payload + CHUNK, payload + 2 * CHUNK]) {
      expect(await decryptFails(x25519File.subarray(0, length), { identities: [alice.identity] })).toBe(
        'AGE_TRUNCATED',
      );
    }
  });

  it('truncated inside a chunk: AGE_PAYLOAD_AUTH_FAILED (STREAM cannot tell a cut chunk from a changed one)', async () => {
    expect(
      await decryptFails(x25519File.subarray(0, x25519File.byteLength - 100), {
        identities: [alice.identity],
      }),
    ).toBe('AGE_PAYLOAD_AUTH_FAILED');
  });

  it('bytes appended after the final chunk: AGE_TRAILING_DATA', async () => {
    for (const [file, extra] of [
      [x25519File, Buffer.from('\n')],
      [x25519File, randomBytes(64)],
      [fullLastChunkFile, Buffer.from('x')],
      [fullLastChunkFile, randomBytes(100_000)],
    ] as const) {
      expect(await decryptFails(Buffer.concat([file, extra]), { identities: [alice.identity] })).toBe(
        'AGE_TRAILING_DATA',
      );
    }
  });

  it('wrong passphrase: AGE_WRONG_PASSPHRASE; no passphrase for a passphrase file: PASSPHRASE_REQUIRED', async () => {
    expect(await decryptFails(passphraseFile, { passphrase: 'not it' })).toBe('AGE_WRONG_PASSPHRASE');
    expect(await decryptFails(passphraseFile, { identities: [alice.identity] })).toBe('PASSPHRASE_REQUIRED');
  });

  it('work factor above maxWorkFactor: AGE_WORK_FACTOR_TOO_HIGH, before any scrypt work', async () => {
    expect(await decryptFails(passphraseFile, { passphrase: PASSPHRASE }, { maxWorkFactor: 9 })).toBe(
      'AGE_WORK_FACTOR_TOO_HIGH',
    );
  });

  it('wrong identity, or only a passphrase for a public-key file: AGE_NO_MATCHING_IDENTITY', async () => {
    expect(await decryptFails(x25519File, { identities: [bob.identity] })).toBe('AGE_NO_MATCHING_IDENTITY');
    expect(await decryptFails(x25519File, { passphrase: PASSPHRASE })).toBe('AGE_NO_MATCHING_IDENTITY');
  });

  it('damaged armor: AGE_BAD_ARMOR', async () => {
    const armored = await encryptToBuffer(1000, { recipients: [alice.recipient], armor: true });
    const badLine = Buffer.from(armored.toString('latin1').replace(/\n(.{10})/, '\n$1 '), 'latin1');
    expect(await decryptFails(badLine, { identities: [alice.identity] })).toBe('AGE_BAD_ARMOR');
    const noEnd = armored.subarray(0, armored.indexOf('-----END'));
    expect(await decryptFails(noEnd, { identities: [alice.identity] })).toBe('AGE_BAD_ARMOR');
  });

  it('not an age file at all, or an empty file: AGE_BAD_HEADER', async () => {
    expect(await decryptFails(Buffer.from('hello world\n'), { identities: [alice.identity] })).toBe(
      'AGE_BAD_HEADER',
    );
    expect(await decryptFails(Buffer.alloc(0), { identities: [alice.identity] })).toBe('AGE_BAD_HEADER');
  });
});
