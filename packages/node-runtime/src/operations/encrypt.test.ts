import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobProgress, KwqmError } from '@kwqm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptBytes } from '../age/age-decryptor.js';
import { generateIdentity } from '../age/generate-identity.js';
import { encrypt } from './encrypt.js';
import type { OperationContext } from './operation.js';

const pair = generateIdentity();
let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'kwqm-encrypt-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function context(progress: JobProgress[] = [], signal = new AbortController().signal): OperationContext {
  return { signal, reportProgress: (p) => progress.push(p) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return KwqmError.is(error) ? error.code : 'not a KwqmError';
  }
  return 'resolved';
}

describe('encrypt operation', () => {
  it('writes input + ".age" by default, reports byte progress and returns the sizes', async () => {
    const input = join(folder, 'report.pdf');
    const plaintext = randomBytes(3 * 1024 * 1024 + 5);
    writeFileSync(input, plaintext);
    const progress: JobProgress[] = [];
    const result = await encrypt.run({ input, recipients: [pair.recipient] }, undefined, context(progress));
    expect(encrypt.name).toBe('encrypt');
    expect(result).toEqual({
      output: `${input}.age`,
      bytesIn: plaintext.byteLength,
      bytesOut: statSync(`${input}.age`).size,
    });
    expect(progress.at(-1)).toEqual({
      done: plaintext.byteLength,
      total: plaintext.byteLength,
      unit: 'bytes',
    });
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(
      decryptBytes(readFileSync(`${input}.age`), { identities: [pair.identity] }).equals(plaintext),
    ).toBe(true);
    expect(readFileSync(input).equals(plaintext)).toBe(true);
  });

  it('encrypts with a passphrase at the requested work factor, armored on request', async () => {
    const input = join(folder, 'notes.txt');
    writeFileSync(input, 'secret notes');
    await encrypt.run(
      { input, output: join(folder, 'n.age'), armor: true, workFactor: 5 },
      { passphrase: 'pw' },
      context(),
    );
    const file = readFileSync(join(folder, 'n.age'));
    expect(file.toString('latin1')).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    expect(decryptBytes(file, { passphrase: 'pw' }).toString()).toBe('secret notes');
  });

  it('rejects bad params before touching any file', async () => {
    const input = join(folder, 'in');
    writeFileSync(input, 'x');
    const run = (params: object, secrets?: { passphrase?: string }) =>
      codeOf(encrypt.run(params as never, secrets, context()));
    expect(await run({ recipients: [pair.recipient] })).toBe('INVALID_JOB');
    expect(await run({ input, recipients: 'age1…' })).toBe('INVALID_JOB');
    expect(await run({ input, recipients: [pair.recipient], armor: 'yes' })).toBe('INVALID_JOB');
    expect(await run({ input, workFactor: 40 }, { passphrase: 'p' })).toBe('INVALID_JOB');
    expect(await run({ input, recipients: [pair.recipient] }, { passphrase: 'p' })).toBe('INVALID_JOB');
    expect(await run({ input })).toBe('PASSPHRASE_REQUIRED');
    expect(await run({ input }, { passphrase: '' })).toBe('INVALID_JOB');
    expect(await run({ input }, { passphrase: 42 as never })).toBe('INVALID_JOB');
    const secretsError = (await encrypt
      .run({ input }, 'hunter2' as never, context())
      .catch((error: KwqmError) => error)) as KwqmError;
    expect([secretsError?.code, secretsError?.details?.field]).toEqual(['INVALID_JOB', 'secrets']);
    expect(secretsError?.message).not.toContain('hunter2');
    expect(await run({ input, recipients: ['age1notakey'] })).toBe('INVALID_KEY');
    // Misspelt or misplaced fields are refused, not ignored: this job would have run unarmored at work factor 18.
    const misspelt = (await encrypt
      .run({ input, armour: true } as never, { passphrase: 'p', workFactor: 10 } as never, context())
      .catch((error: KwqmError) => error)) as KwqmError;
    expect([misspelt?.code, misspelt?.details?.field]).toEqual(['INVALID_JOB', 'armour']);
    const misplaced = (await encrypt
      .run({ input }, { passphrase: 'p', workFactor: 10 } as never, context())
      .catch((error: KwqmError) => error)) as KwqmError;
    expect([misplaced?.code, misplaced?.details?.field]).toEqual(['INVALID_JOB', 'workFactor']);
    // A field set to undefined is absent, as after a trip through JSON.
    expect(await run({ input, output: undefined, recipients: [pair.recipient] })).toBe('resolved');
    rmSync(`${input}.age`);
    expect(readdirSync(folder)).toEqual(['in']);
  });

  it('names the field of an INVALID_JOB for recipients and a passphrase together', async () => {
    const input = join(folder, 'in');
    writeFileSync(input, 'x');
    const error = await encrypt
      .run({ input, recipients: [pair.recipient] }, { passphrase: 'p' }, context())
      .then(
        () => undefined,
        (rejection: KwqmError) => rejection,
      );
    expect([error?.code, error?.details?.field]).toEqual(['INVALID_JOB', 'recipients']);
  });

  it('fails with EEXIST on an existing output, and replaces it with overwrite', async () => {
    const input = join(folder, 'in');
    writeFileSync(input, 'x');
    writeFileSync(`${input}.age`, 'keep me');
    expect(await codeOf(encrypt.run({ input, recipients: [pair.recipient] }, undefined, context()))).toBe(
      'EEXIST',
    );
    expect(readFileSync(`${input}.age`, 'latin1')).toBe('keep me');
    await encrypt.run({ input, recipients: [pair.recipient], overwrite: true }, undefined, context());
    expect(decryptBytes(readFileSync(`${input}.age`), { identities: [pair.identity] }).toString()).toBe('x');
  });

  it('is canceled mid-file through the context signal and leaves nothing', async () => {
    const input = join(folder, 'big');
    writeFileSync(input, randomBytes(4 * 1024 * 1024));
    const controller = new AbortController();
    const progress: JobProgress[] = [];
    const ctx: OperationContext = {
      signal: controller.signal,
      reportProgress: (p) => {
        progress.push(p);
        controller.abort();
      },
    };
    expect(await codeOf(encrypt.run({ input, recipients: [pair.recipient] }, undefined, ctx))).toBe(
      'CANCELED',
    );
    expect(progress).toHaveLength(1);
    expect(readdirSync(folder)).toEqual(['big']);
  });
});
