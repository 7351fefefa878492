import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageHeaderSeen, inspectAgeHeader, peekAgeHeader } from './peek-age-header.js';

// Real age files from the reference `age` CLI (/usr/bin/age), binary and armored.

let dir: string;
let recipient: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kwqm-peek-'));
  const key = join(dir, 'key.txt');
  execFileSync('age-keygen', ['-o', key], { stdio: 'ignore' });
  recipient = execFileSync('age-keygen', ['-y', key], { encoding: 'utf8' }).trim();
  await writeFile(join(dir, 'plain.txt'), 'hello');
  execFileSync('age', ['-r', recipient, '-o', join(dir, 'x25519.age'), join(dir, 'plain.txt')]);
  execFileSync('age', ['-a', '-r', recipient, '-o', join(dir, 'x25519-armor.age'), join(dir, 'plain.txt')]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('peekAgeHeader', () => {
  it('sees no passphrase in X25519 files, binary or armored', async () => {
    expect(await peekAgeHeader(join(dir, 'x25519.age'))).toEqual({ passphrase: false });
    expect(await peekAgeHeader(join(dir, 'x25519-armor.age'))).toEqual({ passphrase: false });
  });

  it('sees the scrypt stanza of a passphrase file, binary or armored', async () => {
    // age reads passphrases only from a terminal; a hand-made header is enough for a peek.
    const header = 'age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 10\nAAAA\n--- AAAA\n';
    await writeFile(join(dir, 'scrypt.age'), header);
    const armored = `-----BEGIN AGE ENCRYPTED FILE-----\n${Buffer.from(header).toString('base64')}\n-----END AGE ENCRYPTED FILE-----\n`;
    await writeFile(join(dir, 'scrypt-armor.age'), armored);
    expect(await peekAgeHeader(join(dir, 'scrypt.age'))).toEqual({ passphrase: true });
    expect(await peekAgeHeader(join(dir, 'scrypt-armor.age'))).toEqual({ passphrase: true });
  });

  it('answers undefined for a missing file or one that is not age', async () => {
    expect(await peekAgeHeader(join(dir, 'missing.age'))).toBeUndefined();
    expect(await peekAgeHeader(join(dir, 'plain.txt'))).toBeUndefined();
  });
});

describe('ageHeaderSeen and inspectAgeHeader (the start of a pipe)', () => {
  const header = 'age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 10\nAAAA\n--- AAAA\n';

  it('waits for more bytes until the header line `---` arrives, binary or armored', () => {
    for (const end of [0, 5, 22, 40, header.indexOf('---')]) {
      expect(ageHeaderSeen(Buffer.from(header.slice(0, end)))).toBe(false);
    }
    expect(ageHeaderSeen(Buffer.from(header))).toBe(true);
    const armored = `-----BEGIN AGE ENCRYPTED FILE-----\n${Buffer.from(header).toString('base64')}\n`;
    expect(ageHeaderSeen(Buffer.from(armored.slice(0, 20)))).toBe(false);
    expect(ageHeaderSeen(Buffer.from(armored))).toBe(true);
    expect(inspectAgeHeader(Buffer.from(armored))).toEqual({ passphrase: true });
  });

  it('stops at once on bytes that cannot start an age file', () => {
    expect(ageHeaderSeen(Buffer.from('PK\u0003\u0004 a zip file'))).toBe(true);
    expect(inspectAgeHeader(Buffer.from('PK\u0003\u0004 a zip file'))).toBeUndefined();
  });
});
