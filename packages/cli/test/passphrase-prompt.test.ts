import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInPty } from './run-in-pty.js';
import { createSandbox, KWQM_BIN, kwqmEnvironment, type Sandbox } from './run-kwqm.js';

// The passphrase prompt on a real terminal (a pty driven by expect): hidden input, asked twice
// for encryption, Ctrl-C at the prompt. Round trips through it are in encrypt-decrypt.test.ts.

let sandbox: Sandbox;
let cwd: string;
beforeAll(async () => {
  sandbox = await createSandbox();
  cwd = join(sandbox.dir, 'work');
  await writeFile(join(cwd, 'secret.txt'), 'top secret');
});
afterAll(() => sandbox.cleanup());

const kwqm = (...args: string[]) => [process.execPath, KWQM_BIN, ...args];

describe('the passphrase prompt on a terminal', () => {
  it('refuses two different passphrases with a usage error and writes nothing', async () => {
    const result = await runInPty(
      kwqm('encrypt', '--embedded', 'secret.txt'),
      [
        { expect: 'Enter passphrase: ', send: 'one thing' },
        { expect: 'Confirm passphrase: ', send: 'another' },
      ],
      { cwd, env: kwqmEnvironment(sandbox.env) },
    );
    expect(result.code).toBe(2);
    expect(result.transcript).toMatch(/\(INVALID_OPTION\)/);
    // Raw mode: what was typed never appears on the terminal.
    expect(result.transcript).not.toContain('one thing');
    expect(result.transcript).not.toContain('another');
    expect(await readdir(cwd)).toEqual(['secret.txt']);
  });

  it('exits 130 on Ctrl-C at the prompt and writes nothing', async () => {
    const result = await runInPty(
      kwqm('encrypt', 'secret.txt'),
      [{ expect: 'Enter passphrase: ', send: '^C' }],
      {
        cwd,
        env: kwqmEnvironment(sandbox.env),
      },
    );
    expect(result.code).toBe(130);
    expect(await readdir(cwd)).toEqual(['secret.txt']);
  });
});
