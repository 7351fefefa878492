import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KwqmError } from '@kwqm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkRecipient,
  readIdentityFile,
  readIdentityFileRecipients,
  readRecipientsFile,
} from './key-files.js';

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

  it('checks single recipients', async () => {
    expect(await checkRecipient(recipient, '-r')).toBe(recipient);
    await expect(checkRecipient(recipient.slice(0, -1), '-r')).rejects.toThrow(KwqmError);
    await expect(checkRecipient(recipient.toUpperCase(), '-r')).rejects.toThrow(KwqmError);
  });

  it('refuses a recipient whose checksum is wrong (a typo), as age does, before any job', async () => {
    const typo = `${recipient.slice(0, -1)}${recipient.endsWith('q') ? 'p' : 'q'}`;
    expect(await codeOf(checkRecipient(typo, '-r'))).toBe('INVALID_KEY');
    const path = join(dir, 'typo-recipients.txt');
    await writeFile(path, `${recipient}\r\n${typo}\r\n`);
    await expect(readRecipientsFile(path)).rejects.toMatchObject({
      code: 'INVALID_KEY',
      details: { where: `${path}:2` },
    });
    expect(await codeOf(checkRecipient('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI', '-r'))).toBe('INVALID_KEY');
  });

  it('refuses an identity file with a damaged key, a passphrase-protected one and an SSH key', async () => {
    const key = await readFile(join(dir, 'key.txt'), 'utf8');
    const damaged = key.replace(
      /(AGE-SECRET-KEY-1\w+)(\w)$/m,
      (_, head: string, last: string) => `${head}${last === 'Q' ? 'P' : 'Q'}`,
    );
    const files: Record<string, string> = {
      'damaged-key.txt': damaged,
      'good-then-damaged.txt': `${key}${damaged}`,
      'encrypted-key.age':
        '-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3Yx\n-----END AGE ENCRYPTED FILE-----\n',
      'encrypted-key.bin': 'age-encryption.org/v1\n-> scrypt c2FsdA 18\n',
      id_ed25519:
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n',
    };
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(dir, name), text);
      expect(await codeOf(readIdentityFile(join(dir, name)))).toBe('INVALID_KEY');
    }
    // Several keys with CRLF line ends and comments, as a file edited on Windows has them.
    const crlf = join(dir, 'two-keys-crlf.txt');
    await writeFile(crlf, `${key}${key}`.replace(/\n/g, '\r\n'));
    expect(await readIdentityFile(crlf)).toContain('AGE-SECRET-KEY-1');
  });

  it('derives the recipients of an identity file as age-keygen -y does, one per key (encrypt -i)', async () => {
    execFileSync('age-keygen', ['-o', join(dir, 'second-key.txt')], { stdio: 'ignore' });
    const second = execFileSync('age-keygen', ['-y', join(dir, 'second-key.txt')], {
      encoding: 'utf8',
    }).trim();
    const path = join(dir, 'two-keys.txt');
    const text = `${await readFile(join(dir, 'key.txt'), 'utf8')}\n${await readFile(join(dir, 'second-key.txt'), 'utf8')}`;
    await writeFile(path, text.replace(/\n/g, '\r\n'));
    expect(await readIdentityFileRecipients(path)).toEqual([recipient, second]);
  });

  it('refuses what encrypt -i cannot use: a plugin identity, an SSH key, a passphrase-protected file', async () => {
    const files: Record<string, string> = {
      'plugin-key.txt': '# yubikey\nAGE-PLUGIN-YUBIKEY-1QQQSPQQQQQQQQQQQQQQQQQQQQQ\n',
      id_rsa: '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n',
      'protected-key.age': 'age-encryption.org/v1\n-> scrypt c2FsdA 18\n',
    };
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(dir, name), text);
      expect(await codeOf(readIdentityFileRecipients(join(dir, name)))).toBe('INVALID_KEY');
    }
  });

  it('stops reading a key file past 1 MiB: -i /dev/zero or -R /dev/urandom end at once', async () => {
    expect(await codeOf(readIdentityFile('/dev/zero'))).toBe('INVALID_KEY');
    expect(await codeOf(readRecipientsFile('/dev/urandom'))).toBe('INVALID_KEY');
  });

  it('reads an age-keygen identity file whole and refuses files without a key', async () => {
    const path = join(dir, 'key.txt');
    expect(await readIdentityFile(path)).toBe(await readFile(path, 'utf8'));
    await writeFile(join(dir, 'not-a-key.txt'), '# nothing here\n');
    expect(await codeOf(readIdentityFile(join(dir, 'not-a-key.txt')))).toBe('INVALID_KEY');
    expect(await codeOf(readIdentityFile(join(dir, 'missing.txt')))).toBe('INVALID_OPTION');
  });
});
