import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peekAgeFileKind } from './age-header-peek.js';

// Real files from the reference `age` CLI (/usr/bin/age), binary and armored.
const folder = mkdtempSync(join(tmpdir(), 'kwqm-peek-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function ageEncrypt(args: string[], name: string): Uint8Array {
  const input = join(folder, 'plain.txt');
  writeFileSync(input, 'hello\n');
  const output = join(folder, name);
  execFileSync('age', [...args, '-o', output, input]);
  return readFileSync(output).subarray(0, 4096);
}

describe('peekAgeFileKind', () => {
  const recipient = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

  it('recognises files encrypted to recipients, binary and armored', () => {
    expect(peekAgeFileKind(ageEncrypt(['-r', recipient], 'r.age'))).toBe('recipients');
    expect(peekAgeFileKind(ageEncrypt(['-a', '-r', recipient], 'ra.age'))).toBe('recipients');
  });

  it('recognises passphrase files from a real scrypt header', () => {
    // age only takes a passphrase from a terminal; this is the header layout it writes.
    const header = 'age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 10\nYm9keQ\n--- mac\n';
    expect(peekAgeFileKind(new TextEncoder().encode(header))).toBe('passphrase');
    const armored = `-----BEGIN AGE ENCRYPTED FILE-----\n${btoa(header)}\n-----END AGE ENCRYPTED FILE-----\n`;
    expect(peekAgeFileKind(new TextEncoder().encode(armored))).toBe('passphrase');
  });

  it('says not-age for a file that starts neither with the age intro nor with armor', () => {
    expect(peekAgeFileKind(new TextEncoder().encode('hello'))).toBe('not-age');
    expect(peekAgeFileKind(new Uint8Array(0))).toBe('not-age');
    expect(peekAgeFileKind(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]))).toBe('not-age');
  });

  it('says unknown for an age-looking head whose stanzas cannot be read', () => {
    expect(peekAgeFileKind(new TextEncoder().encode('age-encryption.org/v1\n--- x\n'))).toBe('unknown');
    expect(peekAgeFileKind(new TextEncoder().encode('-----BEGIN AGE ENCRYPTED FILE-----\n!!!!\n'))).toBe(
      'unknown',
    );
  });
});
