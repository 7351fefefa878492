import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KwqmError } from '@kwqm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptBytes } from '../age/age-encryptor.js';
import { formatIdentityFile, generateIdentity } from '../age/generate-identity.js';
import { decrypt } from './decrypt.js';
import type { OperationContext } from './operation.js';

const pair = generateIdentity();
const context = (): OperationContext => ({
  signal: new AbortController().signal,
  reportProgress: () => undefined,
});
let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'kwqm-decrypt-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return KwqmError.is(error) ? error.code : 'not a KwqmError';
  }
  return 'resolved';
}

describe('decrypt operation', () => {
  it('strips ".age" by default, accepts identity-file text, writes mode 0600', async () => {
    const input = join(folder, 'photo.jpg.age');
    writeFileSync(input, encryptBytes(Buffer.from('jpeg bytes'), { recipients: [pair.recipient] }));
    const result = await decrypt.run({ input }, { identities: [formatIdentityFile(pair)] }, context());
    expect(decrypt.name).toBe('decrypt');
    expect(result).toEqual({
      output: join(folder, 'photo.jpg'),
      bytesIn: statSync(input).size,
      bytesOut: 10,
    });
    expect(readFileSync(join(folder, 'photo.jpg'), 'latin1')).toBe('jpeg bytes');
    expect(statSync(join(folder, 'photo.jpg')).mode & 0o777).toBe(0o600);
  });

  it('strips ".AGE" in any case, as the editor does; a name that is only ".age" needs an output', async () => {
    const input = join(folder, 'NOTES.TXT.AGE');
    writeFileSync(input, encryptBytes(Buffer.from('upper'), { recipients: [pair.recipient] }));
    const result = await decrypt.run({ input }, { identities: [pair.identity] }, context());
    expect(result.output).toBe(join(folder, 'NOTES.TXT'));
    expect(readFileSync(join(folder, 'NOTES.TXT'), 'latin1')).toBe('upper');
    const bare = join(folder, '.age');
    writeFileSync(bare, encryptBytes(Buffer.from('x'), { recipients: [pair.recipient] }));
    expect(await codeOf(decrypt.run({ input: bare }, { identities: [pair.identity] }, context()))).toBe(
      'INVALID_JOB',
    );
  });

  it('asks for an explicit output when the input does not end in .age (INVALID_JOB)', async () => {
    const input = join(folder, 'data.bin');
    writeFileSync(input, encryptBytes(Buffer.from('x'), { recipients: [pair.recipient] }));
    expect(await codeOf(decrypt.run({ input }, { identities: [pair.identity] }, context()))).toBe(
      'INVALID_JOB',
    );
    await decrypt.run({ input, output: join(folder, 'plain') }, { identities: [pair.identity] }, context());
    expect(readFileSync(join(folder, 'plain'), 'latin1')).toBe('x');
  });

  it('needs a passphrase or identities, valid ones, before touching files', async () => {
    const input = join(folder, 'f.age');
    writeFileSync(input, encryptBytes(Buffer.from('x'), { passphrase: 'pw', workFactor: 4 }));
    expect(await codeOf(decrypt.run({ input }, undefined, context()))).toBe('PASSPHRASE_REQUIRED');
    expect(await codeOf(decrypt.run({ input }, { identities: ['AGE-SECRET-KEY-1BAD'] }, context()))).toBe(
      'INVALID_KEY',
    );
    expect(await codeOf(decrypt.run({ input, maxWorkFactor: 0 }, { passphrase: 'pw' }, context()))).toBe(
      'INVALID_JOB',
    );
    expect(await codeOf(decrypt.run({ input, overwrite: 1 } as never, { passphrase: 'pw' }, context()))).toBe(
      'INVALID_JOB',
    );
    expect(readdirSync(folder)).toEqual(['f.age']);
    await decrypt.run({ input }, { passphrase: 'pw' }, context());
    expect(readFileSync(join(folder, 'f'), 'latin1')).toBe('x');
  });

  it('refuses to decrypt onto the input (SAME_FILE) and over an existing file (EEXIST)', async () => {
    const input = join(folder, 'f.age');
    const file = encryptBytes(Buffer.from('x'), { recipients: [pair.recipient] });
    writeFileSync(input, file);
    writeFileSync(join(folder, 'f'), 'existing');
    const secrets = { identities: [pair.identity] };
    expect(await codeOf(decrypt.run({ input, output: input, overwrite: true }, secrets, context()))).toBe(
      'SAME_FILE',
    );
    expect(await codeOf(decrypt.run({ input }, secrets, context()))).toBe('EEXIST');
    expect(readFileSync(input).equals(file)).toBe(true);
    expect(readFileSync(join(folder, 'f'), 'latin1')).toBe('existing');
  });

  it('names the field of every INVALID_JOB, as the errors reference promises', async () => {
    const input = join(folder, 'f.age');
    writeFileSync(input, encryptBytes(Buffer.from('x'), { recipients: [pair.recipient] }));
    const fieldOf = (promise: Promise<unknown>): Promise<unknown> =>
      promise.then(
        () => 'resolved',
        (error: KwqmError) => [error.code, error.details?.field],
      );
    expect(await fieldOf(decrypt.run({ input }, { identities: pair.identity } as never, context()))).toEqual([
      'INVALID_JOB',
      'identities',
    ]);
    expect(
      await fieldOf(
        decrypt.run({ input: join(folder, 'f.bin') }, { identities: [pair.identity] }, context()),
      ),
    ).toEqual(['INVALID_JOB', 'output']);
    // A bare string is no `{ passphrase }`: refused as such, not taken for "no secret given".
    for (const secrets of ['hunter2', ['hunter2'], null]) {
      expect(await fieldOf(decrypt.run({ input }, secrets as never, context()))).toEqual([
        'INVALID_JOB',
        'secrets',
      ]);
    }
    // A misspelt field is named, not ignored (the job would otherwise run with the default).
    const secrets = { identities: [pair.identity] };
    expect(await fieldOf(decrypt.run({ input, maxWorkfactor: 20 } as never, secrets, context()))).toEqual([
      'INVALID_JOB',
      'maxWorkfactor',
    ]);
    expect(
      await fieldOf(decrypt.run({ input }, { ...secrets, identity: pair.identity } as never, context())),
    ).toEqual(['INVALID_JOB', 'identity']);
    expect(readdirSync(folder)).toEqual(['f.age']);
  });
});
