import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { JobProgress } from '@kwqm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decrypt } from '../src/operations/decrypt.js';
import { encrypt } from '../src/operations/encrypt.js';
import type { OperationContext } from '../src/operations/operation.js';

// Interoperability with the reference implementation, /usr/bin/age 1.1.1 (Debian package `age`),
// both ways. age reads passphrases only from a terminal, so those runs go through `expect` (a pty).

const run = promisify(execFile);
const SIZES = [0, 1, 65_535, 65_536, 65_537, 131_072, 3 * 1024 * 1024 + 17];
const PASSPHRASE = 'correct horse battery staple – ünïcode';

let folder: string;
let identityFile: string;
let identity: string;
let recipient: string;
const context = (): OperationContext => ({
  signal: new AbortController().signal,
  reportProgress: (_: JobProgress) => undefined,
});

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'kwqm-age-interop-'));
  identityFile = join(folder, 'key.txt');
  await run('age-keygen', ['-o', identityFile]);
  identity = readFileSync(identityFile, 'utf8');
  recipient = (await run('age-keygen', ['-y', identityFile])).stdout.trim();
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function plaintext(name: string, size: number): { path: string; digest: string } {
  const path = join(folder, name);
  const data = randomBytes(size);
  writeFileSync(path, data);
  return { path, digest: sha256(data) };
}

/** age 1.1.1 opens its output lazily: for an empty plaintext it writes no file at all. */
function ageOutput(path: string): Buffer {
  return existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Runs `age` under a pty, typing the passphrase at each prompt (twice when encrypting). */
async function ageWithPassphrase(args: string[], prompts: number): Promise<void> {
  const answers = Array.from(
    { length: prompts },
    () => 'expect "passphrase"; send "$env(KWQM_PASS)\\r";',
  ).join(' ');
  const script = `set timeout 60; spawn age ${args.join(' ')}; ${answers} expect eof; catch wait result; exit [lindex $result 3]`;
  await run('expect', ['-c', script], { env: { ...process.env, KWQM_PASS: PASSPHRASE } });
}

describe('X25519 interop with age', () => {
  for (const armor of [false, true]) {
    it.each(SIZES)(`kwqm encrypts (armor ${armor}), age decrypts: %i bytes`, async (size) => {
      const { path, digest } = plaintext(`ours-${armor}-${size}`, size);
      const result = await encrypt.run({ input: path, recipients: [recipient], armor }, undefined, context());
      expect(result.output).toBe(`${path}.age`);
      expect(result.bytesOut).toBe(statSync(result.output).size);
      if (armor)
        expect(readFileSync(result.output, 'latin1')).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
      await run('age', ['-d', '-i', identityFile, '-o', `${path}.out`, result.output]);
      expect(sha256(ageOutput(`${path}.out`))).toBe(digest);
    });

    it.each(SIZES)(`age encrypts (armor ${armor}), kwqm decrypts: %i bytes`, async (size) => {
      const { path, digest } = plaintext(`theirs-${armor}-${size}`, size);
      await run('age', ['-r', recipient, ...(armor ? ['-a'] : []), '-o', `${path}.age`, path]);
      const result = await decrypt.run(
        { input: `${path}.age`, output: `${path}.out` },
        { identities: [identity] },
        context(),
      );
      expect(result).toEqual({
        output: `${path}.out`,
        bytesIn: statSync(`${path}.age`).size,
        bytesOut: size,
      });
      expect(sha256(readFileSync(`${path}.out`))).toBe(digest);
      expect(statSync(`${path}.out`).mode & 0o777).toBe(0o600);
    });
  }

  it('decrypts a file age encrypted to several recipients with the second identity', async () => {
    const other = join(folder, 'other.txt');
    await run('age-keygen', ['-o', other]);
    const otherRecipient = (await run('age-keygen', ['-y', other])).stdout.trim();
    const { path, digest } = plaintext('multi', 70_000);
    await run('age', ['-r', otherRecipient, '-r', recipient, '-o', `${path}.age`, path]);
    await decrypt.run(
      { input: `${path}.age`, output: `${path}.out` },
      { identities: [readFileSync(other, 'utf8')] },
      context(),
    );
    expect(sha256(readFileSync(`${path}.out`))).toBe(digest);
  });

  it('encrypts to several recipients; age opens it with either identity', async () => {
    const other = join(folder, 'other2.txt');
    await run('age-keygen', ['-o', other]);
    const otherRecipient = (await run('age-keygen', ['-y', other])).stdout.trim();
    const { path, digest } = plaintext('multi-ours', 1000);
    await encrypt.run({ input: path, recipients: [recipient, otherRecipient] }, undefined, context());
    for (const key of [identityFile, other]) {
      await run('age', ['-d', '-i', key, '-o', `${path}.${key.length}`, `${path}.age`]);
      expect(sha256(readFileSync(`${path}.${key.length}`))).toBe(digest);
    }
  });
});

describe('passphrase interop with age', () => {
  it.each(SIZES)(
    'kwqm encrypts (work factor 10), age decrypts: %i bytes',
    async (size) => {
      const { path, digest } = plaintext(`pass-ours-${size}`, size);
      await encrypt.run({ input: path, workFactor: 10 }, { passphrase: PASSPHRASE }, context());
      await ageWithPassphrase(['-d', '-o', `${path}.out`, `${path}.age`], 1);
      expect(sha256(ageOutput(`${path}.out`))).toBe(digest);
    },
    30_000,
  );

  it('kwqm encrypts armored at the default work factor 18, age decrypts', async () => {
    const { path, digest } = plaintext('pass-ours-18', 65_537);
    await encrypt.run({ input: path, armor: true }, { passphrase: PASSPHRASE }, context());
    expect(readFileSync(`${path}.age`, 'latin1')).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    await ageWithPassphrase(['-d', '-o', `${path}.out`, `${path}.age`], 1);
    expect(sha256(readFileSync(`${path}.out`))).toBe(digest);
  }, 30_000);

  it.each([
    [65_536, false],
    [3 * 1024 * 1024 + 17, true],
  ])(
    'age encrypts (work factor 18), kwqm decrypts: %i bytes, armor %s',
    async (size, armor) => {
      const { path, digest } = plaintext(`pass-theirs-${size}`, size);
      await ageWithPassphrase(['-p', ...(armor ? ['-a'] : []), '-o', `${path}.age`, path], 2);
      const result = await decrypt.run(
        { input: `${path}.age`, output: `${path}.out` },
        { passphrase: PASSPHRASE },
        context(),
      );
      expect(result.bytesOut).toBe(size);
      expect(sha256(readFileSync(`${path}.out`))).toBe(digest);
    },
    30_000,
  );
});
