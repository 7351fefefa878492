import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KwqmError } from '@kwqm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateIdentity, identityToRecipient, parseIdentities, writeIdentityFile } from './keygen.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'kwqm-keygen-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('keygen', () => {
  it('writes an identity file age reads, mode 0600, with the public key comment', async () => {
    const path = join(folder, 'key.txt');
    const { recipient } = await writeIdentityFile(path);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(
      /^# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n# public key: age1[0-9a-z]{58}\nAGE-SECRET-KEY-1[0-9A-Z]{58}\n$/,
    );
    expect(text).toContain(`# public key: ${recipient}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // The reference tool derives the same public key from our file.
    expect(execFileSync('age-keygen', ['-y', path], { encoding: 'utf8' }).trim()).toBe(recipient);
  });

  it('refuses to replace an identity file unless asked (EEXIST)', async () => {
    const path = join(folder, 'key.txt');
    writeFileSync(path, 'precious');
    await expect(writeIdentityFile(path)).rejects.toSatisfy(
      (error) => KwqmError.is(error) && error.code === 'EEXIST',
    );
    expect(readFileSync(path, 'utf8')).toBe('precious');
    await writeIdentityFile(path, { overwrite: true });
    expect(parseIdentities(readFileSync(path, 'utf8'))).toHaveLength(1);
  });

  it('reads identity files made by age-keygen and derives their recipient', () => {
    const path = join(folder, 'theirs.txt');
    execFileSync('age-keygen', ['-o', path], { stdio: 'ignore' });
    const text = readFileSync(path, 'utf8');
    const identity = text.split('\n').find((line) => line.startsWith('AGE-SECRET-KEY-1')) ?? '';
    expect(parseIdentities(text)).toHaveLength(1);
    expect(identityToRecipient(identity)).toBe(
      execFileSync('age-keygen', ['-y', path], { encoding: 'utf8' }).trim(),
    );
    expect(generateIdentity().identity).not.toBe(generateIdentity().identity);
  });
});
