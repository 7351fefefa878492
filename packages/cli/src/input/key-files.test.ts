import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KwqmError } from '@kwqm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRecipient, readIdentityFile, readRecipientsFile } from './key-files.js';

let dir: string;
let recipient: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kwqm-keys-'));
  execFileSync('age-keygen', ['-o', join(dir, 'key.txt')], { stdio: 'ignore' });
  recipient = execFileSync('age-keygen', ['-y', join(dir, 'key.txt')], { encoding: 'utf8' }).trim();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error instanceof KwqmError ? error.code : 'not a KwqmError'),
  );
}

describe('key files', () => {
  it('reads recipients files as age -R does: comments and blank lines ignored', async () => {
    const path = join(dir, 'recipients.txt');
    await writeFile(path, `# team\n\n${recipient}\n  # another comment\n${recipient}\n`);
    expect(await readRecipientsFile(path)).toEqual([recipient, recipient]);
  });

  it('refuses a recipients file with a bad line, naming the line', async () => {
    const path = join(dir, 'bad-recipients.txt');
    await writeFile(path, `${recipient}\nssh-ed25519 AAAAC3Nza\n`);
    await expect(readRecipientsFile(path)).rejects.toMatchObject({ code: 'INVALID_KEY' });
    await expect(readRecipientsFile(path)).rejects.toThrow(`${path}:2`);
  });

  it('checks single recipients', () => {
    expect(checkRecipient(recipient, '-r')).toBe(recipient);
    expect(() => checkRecipient(recipient.slice(0, -1), '-r')).toThrow(KwqmError);
    expect(() => checkRecipient(recipient.toUpperCase(), '-r')).toThrow(KwqmError);
  });

  it('reads an age-keygen identity file whole and refuses files without a key', async () => {
    const path = join(dir, 'key.txt');
    expect(await readIdentityFile(path)).toBe(await readFile(path, 'utf8'));
    await writeFile(join(dir, 'not-a-key.txt'), '# nothing here\n');
    expect(await codeOf(readIdentityFile(join(dir, 'not-a-key.txt')))).toBe('INVALID_KEY');
    expect(await codeOf(readIdentityFile(join(dir, 'missing.txt')))).toBe('INVALID_OPTION');
  });
});
