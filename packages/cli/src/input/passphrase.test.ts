import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KwqmError } from '@kwqm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPassphrase } from './passphrase.js';

// The terminal prompt is tested end to end through a real pty (test/passphrase-prompt.test.ts).

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kwqm-passphrase-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error instanceof KwqmError ? error.code : 'not a KwqmError'),
  );
}

describe('getPassphrase', () => {
  it('reads the first line of --passphrase-file, without its newline', async () => {
    const path = join(dir, 'pass');
    await writeFile(path, 'correct horse\r\nsecond line\n');
    expect(await getPassphrase('encrypt', { passphraseFile: path, env: {}, terminal: undefined })).toBe(
      'correct horse',
    );
  });

  it('prefers the file to KWQM_PASSPHRASE, and uses KWQM_PASSPHRASE without a file', async () => {
    const path = join(dir, 'pass2');
    await writeFile(path, 'from file');
    const env = { KWQM_PASSPHRASE: 'from env' };
    expect(await getPassphrase('decrypt', { passphraseFile: path, env, terminal: undefined })).toBe(
      'from file',
    );
    expect(await getPassphrase('decrypt', { env, terminal: undefined })).toBe('from env');
  });

  it('refuses with PASSPHRASE_REQUIRED when there is no source and no terminal', async () => {
    expect(await codeOf(getPassphrase('encrypt', { env: {}, terminal: undefined }))).toBe(
      'PASSPHRASE_REQUIRED',
    );
  });

  it('refuses empty passphrases and unreadable files with INVALID_OPTION', async () => {
    const empty = join(dir, 'empty');
    await writeFile(empty, '\n');
    expect(
      await codeOf(getPassphrase('encrypt', { passphraseFile: empty, env: {}, terminal: undefined })),
    ).toBe('INVALID_OPTION');
    expect(
      await codeOf(
        getPassphrase('encrypt', { passphraseFile: join(dir, 'missing'), env: {}, terminal: undefined }),
      ),
    ).toBe('INVALID_OPTION');
  });
});
