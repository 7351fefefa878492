import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

  it('asks on the terminal (/dev/tty) when standard input is no terminal, as age does', async () => {
    // `< /dev/null`, or a `while read f; do kwqm encrypt "$f"; done < list` loop: the person
    // still sits at the terminal, so the prompt goes there rather than failing PASSPHRASE_REQUIRED.
    const shell = (args: string) => [
      '/bin/sh',
      '-c',
      `exec "$0" "$1" ${args} < /dev/null`,
      process.execPath,
      KWQM_BIN,
    ];
    const encrypted = await runInPty(
      shell('encrypt --embedded --work-factor 10 secret.txt'),
      [
        { expect: 'Enter passphrase: ', send: 'from the tty' },
        { expect: 'Confirm passphrase: ', send: 'from the tty' },
      ],
      { cwd, env: kwqmEnvironment(sandbox.env) },
    );
    expect(encrypted.code).toBe(0);
    expect(encrypted.transcript).not.toContain('from the tty');
    const decrypted = await runInPty(
      shell('decrypt --embedded -o back.txt secret.txt.age'),
      [{ expect: 'Enter passphrase: ', send: 'from the tty' }],
      { cwd, env: kwqmEnvironment(sandbox.env) },
    );
    expect(decrypted.code).toBe(0);
    expect(await readFile(join(cwd, 'back.txt'), 'utf8')).toBe('top secret');
    await rm(join(cwd, 'back.txt'));
    await rm(join(cwd, 'secret.txt.age'));
  });

  it('asks nothing for files whose job could only fail, and only once for the rest', async () => {
    await writeFile(join(cwd, 'secret.txt.age'), 'an older output');
    const refused = await runInPty(kwqm('encrypt', '--embedded', 'secret.txt', 'missing.txt'), [], {
      cwd,
      env: kwqmEnvironment(sandbox.env),
    });
    expect(refused.code).toBe(1);
    expect(refused.transcript).not.toContain('passphrase');
    expect(refused.transcript).toMatch(/secret\.txt: .*\(EEXIST\)/);
    expect(refused.transcript).toMatch(/missing\.txt: .*\(ENOENT\)/);
    await writeFile(join(cwd, 'other.txt'), 'other');
    const mixed = await runInPty(
      kwqm('encrypt', '--embedded', '--work-factor', '10', 'secret.txt', 'other.txt'),
      [
        { expect: 'Enter passphrase: ', send: 'typed once' },
        { expect: 'Confirm passphrase: ', send: 'typed once' },
      ],
      { cwd, env: kwqmEnvironment(sandbox.env) },
    );
    expect(mixed.code).toBe(1);
    expect(mixed.transcript).toMatch(/secret\.txt: .*\(EEXIST\)/);
    expect(await readFile(join(cwd, 'secret.txt.age'), 'utf8')).toBe('an older output');
    const decrypt = await runInPty(kwqm('decrypt', '--embedded', 'other.txt.age'), [], {
      cwd,
      env: kwqmEnvironment(sandbox.env),
    });
    expect(decrypt.code).toBe(1);
    expect(decrypt.transcript).not.toContain('passphrase');
    expect(decrypt.transcript).toMatch(/other\.txt\.age: .*\(EEXIST\)/);
    for (const name of ['secret.txt.age', 'other.txt', 'other.txt.age']) await rm(join(cwd, name));
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
