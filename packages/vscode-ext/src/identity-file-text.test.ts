import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KwqmError } from '@kwqm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_IDENTITY_FILE_BYTES, readIdentityFileText } from './identity-file-text.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'kwqm-identity-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'resolved',
    (error: KwqmError) => [error.code, error.details?.bytes ?? null],
  );
}

describe('readIdentityFileText', () => {
  it('reads an identity file up to the cap', async () => {
    const path = join(folder, 'key.txt');
    const text = '# created: 2026-11-28\nAGE-SECRET-KEY-1EXAMPLE\n';
    writeFileSync(path, text.padEnd(MAX_IDENTITY_FILE_BYTES, '#'));
    expect((await readIdentityFileText(path)).startsWith(text)).toBe(true);
  });

  it('refuses a file over the cap before reading it (a 3 GiB sparse file), and a folder', async () => {
    const big = join(folder, 'disk.img');
    writeFileSync(big, '');
    truncateSync(big, 3 * 1024 ** 3);
    expect(await failureOf(readIdentityFileText(big))).toEqual(['INVALID_KEY', 3 * 1024 ** 3]);
    const just = join(folder, 'just-over.txt');
    writeFileSync(just, Buffer.alloc(MAX_IDENTITY_FILE_BYTES + 1, 0x23));
    expect(await failureOf(readIdentityFileText(just))).toEqual(['INVALID_KEY', MAX_IDENTITY_FILE_BYTES + 1]);
    mkdirSync(join(folder, 'keys'));
    expect(await failureOf(readIdentityFileText(join(folder, 'keys')))).toEqual(['INVALID_KEY', null]);
  });
});
