import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KwqmError } from '@kwqm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSmallFile, SMALL_FILE_LIMIT } from './read-small-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kwqm-small-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error instanceof KwqmError ? error.code : 'not a KwqmError'),
  );
}

describe('readSmallFile', () => {
  it('reads a small file whole', async () => {
    await writeFile(join(dir, 'small.txt'), 'one\ntwo\n');
    expect(await readSmallFile(join(dir, 'small.txt'), 'identity')).toBe('one\ntwo\n');
  });

  it('stops past 1 MiB of a device that never ends: INVALID_KEY for keys, INVALID_OPTION for a passphrase', async () => {
    expect(await codeOf(readSmallFile('/dev/zero', 'identity'))).toBe('INVALID_KEY');
    expect(await codeOf(readSmallFile('/dev/zero', 'recipients'))).toBe('INVALID_KEY');
    expect(await codeOf(readSmallFile('/dev/zero', 'passphrase', { untilLineBreak: true }))).toBe(
      'INVALID_OPTION',
    );
  });

  it('stops at the first line break when asked, however much follows', async () => {
    const path = join(dir, 'long.txt');
    await writeFile(path, `secret\n${'x'.repeat(2 * SMALL_FILE_LIMIT)}`);
    const text = await readSmallFile(path, 'passphrase', { untilLineBreak: true });
    expect(text.startsWith('secret\n')).toBe(true);
    expect(await codeOf(readSmallFile(path, 'identity'))).toBe('INVALID_KEY');
  });

  it('names an unreadable path as INVALID_OPTION', async () => {
    expect(await codeOf(readSmallFile(join(dir, 'missing.txt'), 'identity'))).toBe('INVALID_OPTION');
    expect(await codeOf(readSmallFile(dir, 'passphrase'))).toBe('INVALID_OPTION');
  });
});
