import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInPty } from './run-in-pty.js';
import { createSandbox, KWQM_BIN, kwqmEnvironment, runKwqm, type Sandbox } from './run-kwqm.js';

// encrypt / decrypt through the built binary, in-process (--embedded), interoperating with the
// reference `age` CLI both ways. `age` reads passphrases only from a terminal, so it runs in a pty.

let sandbox: Sandbox;
let cwd: string;
let recipient: string;
const payload = randomBytes(200_000);
const TEST_WORK_FACTOR = '10'; // fast scrypt for most tests; the default (18) runs once, through the prompt

beforeAll(async () => {
  sandbox = await createSandbox();
  cwd = join(sandbox.dir, 'work');
  await writeFile(join(cwd, 'secret.bin'), payload);
  await writeFile(join(cwd, 'pass.txt'), 'correct horse battery staple\n');
  execFileSync('age-keygen', ['-o', 'key.txt'], { cwd, stdio: 'ignore' });
  recipient = execFileSync('age-keygen', ['-y', 'key.txt'], { cwd, encoding: 'utf8' }).trim();
  await writeFile(join(cwd, 'recipients.txt'), `# me\n${recipient}\n`);
});
afterAll(() => sandbox.cleanup());

const run = (args: string[], env?: Record<string, string>) =>
  runKwqm(args, { cwd, env: { ...sandbox.env, ...env } });
const ptyEnv = (extra?: Record<string, string>) => kwqmEnvironment({ ...sandbox.env, ...extra });
const kwqm = (...args: string[]) => [process.execPath, KWQM_BIN, ...args];
const read = (name: string) => readFile(join(cwd, name));

describe('passphrases', () => {
  it('asks twice on a terminal without echo, at the default work factor, and age -d opens the file', async () => {
    const encrypted = await runInPty(
      kwqm('encrypt', '--embedded', '-o', 'prompted.age', 'secret.bin'),
      [
        { expect: 'Enter passphrase: ', send: 'pty secret' },
        { expect: 'Confirm passphrase: ', send: 'pty secret' },
      ],
      { cwd, env: ptyEnv() },
    );
    expect(encrypted.code).toBe(0);
    expect(encrypted.transcript).not.toContain('pty secret');
    expect((await read('prompted.age')).subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    // The default work factor is recorded in the scrypt stanza.
    expect((await read('prompted.age')).toString('latin1')).toMatch(/\n-> scrypt \S+ 18\n/);

    const byAge = await runInPty(
      ['age', '-d', '-o', 'by-age.bin', 'prompted.age'],
      [{ expect: 'Enter passphrase', send: 'pty secret' }],
      { cwd, env: ptyEnv() },
    );
    expect(byAge.code).toBe(0);
    expect((await read('by-age.bin')).equals(payload)).toBe(true);
  });

  it('asks once when decrypting a passphrase file on a terminal', async () => {
    await writeFile(join(cwd, 'quick-pass.txt'), 'quick one');
    const made = await run([
      'encrypt',
      '--embedded',
      '--passphrase-file',
      'quick-pass.txt',
      '--work-factor',
      TEST_WORK_FACTOR,
      '-o',
      'quick.age',
      'secret.bin',
    ]);
    expect(made.code).toBe(0);
    const decrypted = await runInPty(
      kwqm('decrypt', '--embedded', '-o', 'prompted.bin', 'quick.age'),
      [{ expect: 'Enter passphrase: ', send: 'quick one' }],
      { cwd, env: ptyEnv() },
    );
    expect(decrypted.code).toBe(0);
    expect(decrypted.transcript).not.toContain('Confirm');
    expect((await read('prompted.bin')).equals(payload)).toBe(true);
  });

  it('takes the passphrase from --passphrase-file and from KWQM_PASSPHRASE', async () => {
    const encrypted = await run([
      'encrypt',
      '--embedded',
      '--passphrase-file',
      'pass.txt',
      '--work-factor',
      TEST_WORK_FACTOR,
      '-o',
      'file-pass.age',
      'secret.bin',
    ]);
    expect(encrypted.code).toBe(0);
    expect(encrypted.stdout).toMatch(/^secret\.bin -> file-pass\.age \(\d+\.\d KiB\)\n$/);
    const decrypted = await run(['decrypt', '--embedded', '-o', 'env-pass.bin', 'file-pass.age'], {
      KWQM_PASSPHRASE: 'correct horse battery staple',
    });
    expect(decrypted.code).toBe(0);
    expect((await read('env-pass.bin')).equals(payload)).toBe(true);
  });

  it('uses KWQM_PASSPHRASE over the prompt on a terminal, and draws progress there', async () => {
    const result = await runInPty(
      kwqm('encrypt', '--embedded', '--work-factor', TEST_WORK_FACTOR, '-o', 'env-tty.age', 'secret.bin'),
      [],
      { cwd, env: ptyEnv({ KWQM_PASSPHRASE: 'from env' }) },
    );
    expect(result.code).toBe(0);
    expect(result.transcript).not.toContain('Enter passphrase');
    expect(result.transcript).toContain('secret.bin -> env-tty.age');
    expect(result.transcript).toMatch(/100%/);
  });

  it('fails a wrong passphrase with AGE_WRONG_PASSPHRASE, exit 1, and writes nothing', async () => {
    const before = (await readdir(cwd)).sort();
    const result = await run(['decrypt', '--embedded', '-o', 'wrong.bin', 'file-pass.age'], {
      KWQM_PASSPHRASE: 'nope',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kwqm: file-pass\.age: .* \(AGE_WRONG_PASSPHRASE\)\n$/);
    expect((await readdir(cwd)).sort()).toEqual(before);
  });

  it('decrypts a file that age -p made', async () => {
    const made = await runInPty(
      ['age', '-p', '-o', 'age-made.age', 'secret.bin'],
      [
        { expect: 'Enter passphrase', send: 'made by age' },
        { expect: 'Confirm passphrase', send: 'made by age' },
      ],
      { cwd, env: ptyEnv() },
    );
    expect(made.code).toBe(0);
    const decrypted = await run(['decrypt', '--embedded', 'age-made.age'], {
      KWQM_PASSPHRASE: 'made by age',
    });
    expect(decrypted.code).toBe(0);
    expect(decrypted.stdout).toMatch(/^age-made\.age -> age-made \(195\.3 KiB\)\n$/);
    expect((await read('age-made')).equals(payload)).toBe(true);
  });

  it('does not ask for a passphrase for an X25519 file: without -i it is a usage error', async () => {
    execFileSync('age', ['-r', recipient, '-o', 'x.age', 'secret.bin'], { cwd });
    const result = await run(['decrypt', '--embedded', '-o', 'x.bin', 'x.age']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^kwqm: x\.age: .*-i.* \(INVALID_OPTION\)\n$/);
  });

  it('names a missing or non-age file for what it is when nothing was given to decrypt with', async () => {
    const missing = await run(['decrypt', '--embedded', 'missing.age']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^kwqm: .*missing\.age.* \(ENOENT\)\n$/);
    await writeFile(join(cwd, 'plain.age'), 'not age at all\n');
    const plain = await run(['decrypt', '--embedded', '-o', 'plain.out', 'plain.age']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^kwqm: plain\.age: .* \(AGE_BAD_HEADER\)\n$/);
    expect((await readdir(cwd)).includes('plain.out')).toBe(false);
  });

  it('fails a wrong identity with AGE_NO_MATCHING_IDENTITY and writes nothing', async () => {
    execFileSync('age-keygen', ['-o', 'other-key.txt'], { cwd, stdio: 'ignore' });
    const before = (await readdir(cwd)).sort();
    const result = await run(['decrypt', '--embedded', '-i', 'other-key.txt', '-o', 'x.bin', 'x.age']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kwqm: x\.age: .* \(AGE_NO_MATCHING_IDENTITY\)\n$/);
    expect((await readdir(cwd)).sort()).toEqual(before);
  });
});

describe('recipients and identities, interoperating with age', () => {
  for (const armor of [false, true]) {
    const flag = armor ? ['-a'] : [];
    const name = armor ? 'armored' : 'binary';

    it(`kwqm encrypt -r / -R (${name}) opens with age -d -i`, async () => {
      const byR = await run([
        'encrypt',
        '--embedded',
        ...flag,
        '-r',
        recipient,
        '-o',
        `r-${name}.age`,
        'secret.bin',
      ]);
      expect(byR.code).toBe(0);
      const byFile = await run([
        'encrypt',
        '--embedded',
        ...flag,
        '-R',
        'recipients.txt',
        '-o',
        `rf-${name}.age`,
        'secret.bin',
      ]);
      expect(byFile.code).toBe(0);
      if (armor)
        expect((await read(`r-${name}.age`)).toString()).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
      for (const file of [`r-${name}.age`, `rf-${name}.age`]) {
        expect(execFileSync('age', ['-d', '-i', 'key.txt', file], { cwd }).equals(payload)).toBe(true);
      }
    });

    it(`age -r (${name}) output opens with kwqm decrypt -i`, async () => {
      execFileSync('age', [...flag, '-r', recipient, '-o', `by-age-${name}.age`, 'secret.bin'], { cwd });
      const result = await run(['decrypt', '--embedded', '-i', 'key.txt', '--json', `by-age-${name}.age`]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        jobs: [
          {
            file: `by-age-${name}.age`,
            id: expect.any(String),
            operation: 'decrypt',
            state: 'succeeded',
            result: {
              output: join(cwd, `by-age-${name}`),
              bytesIn: expect.any(Number),
              bytesOut: payload.length,
            },
          },
        ],
      });
      expect((await read(`by-age-${name}`)).equals(payload)).toBe(true);
    });
  }

  it("kwqm encrypt -i encrypts to the identities' public keys, as age -e -i: with several -i, -r and -a, age -d -i opens it with each key", async () => {
    execFileSync('age-keygen', ['-o', 'second-key.txt'], { cwd, stdio: 'ignore' });
    execFileSync('age-keygen', ['-o', 'third-key.txt'], { cwd, stdio: 'ignore' });
    const third = execFileSync('age-keygen', ['-y', 'third-key.txt'], { cwd, encoding: 'utf8' }).trim();
    for (const armor of [false, true]) {
      const output = `by-identity-${armor}.age`;
      const flags = armor ? ['-a'] : [];
      const made = await run([
        'encrypt',
        '--embedded',
        ...flags,
        '-i',
        'key.txt',
        '-i',
        'second-key.txt',
        '-r',
        third,
        '-o',
        output,
        'secret.bin',
      ]);
      expect(made.code).toBe(0);
      if (armor) expect((await read(output)).toString()).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
      for (const key of ['key.txt', 'second-key.txt', 'third-key.txt']) {
        expect(execFileSync('age', ['-d', '-i', key, output], { cwd }).equals(payload)).toBe(true);
      }
    }
    // `-i -` reads the identity file from standard input, as in age, when the data is a FILE.
    const piped = await runKwqm(
      ['encrypt', '--embedded', '-i', '-', '-o', 'by-identity-stdin.age', 'secret.bin'],
      {
        cwd,
        env: sandbox.env,
        input: await readFile(join(cwd, 'second-key.txt'), 'utf8'),
      },
    );
    expect(piped.code).toBe(0);
    expect(
      execFileSync('age', ['-d', '-i', 'second-key.txt', 'by-identity-stdin.age'], { cwd }).equals(payload),
    ).toBe(true);
    // The same for `-R -`. Standard input here is a socket (a Node parent's pipe), which cannot be
    // opened anew as /dev/stdin (ENXIO): it is read by its descriptor.
    const recipientsPiped = await runKwqm(
      ['encrypt', '--embedded', '-R', '-', '-o', 'by-recipients-stdin.age', 'secret.bin'],
      { cwd, env: sandbox.env, input: `${third}\n` },
    );
    expect(recipientsPiped.code).toBe(0);
    expect(
      execFileSync('age', ['-d', '-i', 'third-key.txt', 'by-recipients-stdin.age'], { cwd }).equals(payload),
    ).toBe(true);
  });

  it('kwqm encrypt -i refuses what it cannot encrypt to, exit 2 and nothing written: SSH keys, passphrase-protected identity files, no key, and -p', async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', 'id_ed25519'], {
      cwd,
      stdio: 'ignore',
    });
    const protectedKey = await run([
      'encrypt',
      '--embedded',
      '--passphrase-file',
      'pass.txt',
      '--work-factor',
      TEST_WORK_FACTOR,
      '-o',
      'key.txt.age',
      'key.txt',
    ]);
    expect(protectedKey.code).toBe(0);
    await writeFile(join(cwd, 'comments-only.txt'), '# no key here\n');
    const before = (await readdir(cwd)).sort();
    for (const file of ['id_ed25519', 'key.txt.age', 'comments-only.txt']) {
      const result = await run(['encrypt', '--embedded', '-i', file, 'secret.bin']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/\(INVALID_KEY\)\n$/);
    }
    const withPassphrase = await run(['encrypt', '--embedded', '-i', 'key.txt', '-p', 'secret.bin']);
    expect(withPassphrase.code).toBe(2);
    expect(withPassphrase.stderr).toMatch(/\(INVALID_OPTION\)\n$/);
    const stdinTwice = await runKwqm(['encrypt', '--embedded', '-R', '-', '-i', '-', 'secret.bin'], {
      cwd,
      env: sandbox.env,
      input: await readFile(join(cwd, 'key.txt'), 'utf8'),
    });
    expect(stdinTwice.code).toBe(2);
    expect(stdinTwice.stderr).toMatch(/\(INVALID_OPTION\)\n$/);
    expect((await readdir(cwd)).sort()).toEqual(before);
  });

  it('strips .age in any case for the output name (NOTES.AGE -> NOTES); a file named only .age needs -o', async () => {
    execFileSync('age', ['-r', recipient, '-o', 'UPPER.BIN.AGE', 'secret.bin'], { cwd });
    const result = await run(['decrypt', '--embedded', '-i', 'key.txt', 'UPPER.BIN.AGE']);
    expect(result.code).toBe(0);
    expect((await read('UPPER.BIN')).equals(payload)).toBe(true);
    execFileSync('age', ['-r', recipient, '-o', '.age', 'secret.bin'], { cwd });
    const before = (await readdir(cwd)).sort();
    const bare = await run(['decrypt', '--embedded', '-i', 'key.txt', '.age']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/\(INVALID_OPTION\)\n$/);
    expect((await readdir(cwd)).sort()).toEqual(before);
  });

  it('decrypts passphrase and recipient files in one command, with -i and a passphrase', async () => {
    const result = await run(
      [
        'decrypt',
        '--embedded',
        '-i',
        'key.txt',
        '--passphrase-file',
        'pass.txt',
        'file-pass.age',
        'r-binary.age',
      ],
      {},
    );
    expect(result.code).toBe(0);
    expect((await read('file-pass')).equals(payload)).toBe(true);
    expect((await read('r-binary')).equals(payload)).toBe(true);
  });

  it('encrypts several files in one command, one result line each, in order', async () => {
    await writeFile(join(cwd, 'one.txt'), 'one');
    await writeFile(join(cwd, 'two.txt'), 'two');
    const result = await run(['encrypt', '--embedded', '-r', recipient, 'one.txt', 'two.txt']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^one\.txt -> one\.txt\.age \(\d+ B\)\ntwo\.txt -> two\.txt\.age \(\d+ B\)\n$/,
    );
    expect(execFileSync('age', ['-d', '-i', 'key.txt', 'two.txt.age'], { cwd, encoding: 'utf8' })).toBe(
      'two',
    );
  });
});

describe('Ctrl-C, SIGTERM and SIGHUP', () => {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} cancels the running job, removes its partial output and exits ${status}`, async () => {
      // A sparse 4 GiB input: reading it costs no disk, and it cannot finish before the signal.
      await truncate(join(cwd, 'huge.bin'), 0).catch(async () => writeFile(join(cwd, 'huge.bin'), ''));
      await truncate(join(cwd, 'huge.bin'), 4 * 1024 ** 3);
      const before = (await readdir(cwd)).sort();
      const child = spawn(
        process.execPath,
        [KWQM_BIN, 'encrypt', '--embedded', '-r', recipient, 'huge.bin'],
        {
          cwd,
          env: kwqmEnvironment(sandbox.env),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      // Wait until the job is writing: its temp output exists next to the target.
      for (;;) {
        const entries = await readdir(cwd);
        if (entries.some((entry) => !before.includes(entry))) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill(signal);
      expect(await exited).toBe(status);
      expect((await readdir(cwd)).sort()).toEqual(before);
      expect(stderr).toMatch(/\(CANCELED\)/);
    });
  }
});
