import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInPty } from './run-in-pty.js';
import { createSandbox, KWQM_BIN, kwqmEnvironment, runKwqm, type Sandbox } from './run-kwqm.js';
import { runShell, shellCommand } from './run-shell.js';

// `-` / no FILE reads standard input and `-o -` writes standard output, as age does: real pipes
// through bash, the reference age CLI on the other side, a pty where a terminal is the point.

let sandbox: Sandbox;
let cwd: string;
let recipient: string;
// Several 64 KiB age chunks and an odd tail; and an empty input.
const SIZES = { empty: 0, multi: 3 * 1024 * 1024 + 12_345 } as const;
const inputs: Record<keyof typeof SIZES, Buffer> = {
  empty: Buffer.alloc(0),
  multi: randomBytes(SIZES.multi),
};

beforeAll(async () => {
  sandbox = await createSandbox();
  cwd = join(sandbox.dir, 'work');
  for (const [name, bytes] of Object.entries(inputs)) await writeFile(join(cwd, `${name}.bin`), bytes);
  await writeFile(join(cwd, 'text.txt'), 'hello streams\n'.repeat(1000));
  await writeFile(join(cwd, 'pass.txt'), 'stream secret\n');
  execFileSync('age-keygen', ['-o', 'key.txt'], { cwd, stdio: 'ignore' });
  recipient = execFileSync('age-keygen', ['-y', 'key.txt'], { cwd, encoding: 'utf8' }).trim();
});
afterAll(() => sandbox.cleanup());

const sh = (script: string, env?: Record<string, string>) =>
  runShell(script, { cwd, env: { ...sandbox.env, R: recipient, ...env } });
const read = (name: string) => readFile(join(cwd, name));
const ptyEnv = (extra?: Record<string, string>) => kwqmEnvironment({ ...sandbox.env, ...extra });
// Temp outputs are `.NAME.kwqm-RANDOM.tmp` beside the target.
const leftovers = async (name: string) =>
  (await readdir(cwd)).filter((entry) => entry === name || entry.startsWith(`.${name}.kwqm-`));

describe.each(Object.keys(SIZES) as (keyof typeof SIZES)[])('age streams, %s input', (size) => {
  const input = `${size}.bin`;

  it('decrypts what `age -r` wrote into a pipe, from the pipe and from the file', async () => {
    const fromPipe = await sh(`age -r "$R" < ${input} | kwqm decrypt -i key.txt`);
    expect(fromPipe.code).toBe(0);
    expect(fromPipe.stderr).toBe('');
    expect(fromPipe.stdout.equals(inputs[size])).toBe(true);

    const fromFile = await sh(
      `age -r "$R" -o ${size}-by-age.age ${input} && kwqm decrypt -i key.txt ${size}-by-age.age -o -`,
    );
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout.equals(inputs[size])).toBe(true);
    // `-o -` is standard output, never a file called `-`.
    expect(await readdir(cwd)).not.toContain('-');
  });

  it('encrypts a pipe that `age -d` opens, binary and armored, with `-` or no FILE', async () => {
    const binary = await sh(`cat ${input} | kwqm encrypt -r "$R" | age -d -i key.txt`);
    expect(binary.code).toBe(0);
    expect(binary.stdout.equals(inputs[size])).toBe(true);

    const armored = await sh(
      `cat ${input} | kwqm encrypt -a -r "$R" - > ${size}.txt.age && age -d -i key.txt ${size}.txt.age`,
    );
    expect(armored.code).toBe(0);
    expect(armored.stdout.equals(inputs[size])).toBe(true);
    expect((await read(`${size}.txt.age`)).toString('latin1')).toMatch(
      /^-----BEGIN AGE ENCRYPTED FILE-----\n/,
    );
  });

  it('writes standard input to an -o file atomically and prints the result line', async () => {
    const result = await sh(
      `cat ${input} | kwqm encrypt -r "$R" -o ${size}-out.age && age -d -i key.txt ${size}-out.age | cmp - ${input}`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toMatch(new RegExp(`^- -> ${size}-out\\.age \\(.+\\)\\n$`));
  });
});

describe('passphrases when standard input carries the data', () => {
  it('encrypts with KWQM_PASSPHRASE or --passphrase-file, and decrypts from a pipe', async () => {
    const result = await sh(
      'cat multi.bin | kwqm encrypt --work-factor 10 > env.age && kwqm decrypt --passphrase-file pass.txt < env.age | cmp - multi.bin',
      { KWQM_PASSPHRASE: 'stream secret' },
    );
    expect(result.code).toBe(0);
    const byFile = await sh(
      'kwqm encrypt --work-factor 10 --passphrase-file pass.txt -a < text.txt | KWQM_PASSPHRASE="stream secret" kwqm decrypt | cmp - text.txt',
    );
    expect(byFile.code).toBe(0);
  });

  it('age -d opens a passphrase stream (its prompt on a pty)', async () => {
    const made = await sh('cat text.txt | kwqm encrypt --work-factor 10 -o for-age.age', {
      KWQM_PASSPHRASE: 'for age',
    });
    expect(made.code).toBe(0);
    const opened = await runInPty(
      ['age', '-d', '-o', 'from-age.txt', 'for-age.age'],
      [{ expect: 'Enter passphrase', send: 'for age' }],
      { cwd, env: ptyEnv() },
    );
    expect(opened.code).toBe(0);
    expect((await read('from-age.txt')).equals(await read('text.txt'))).toBe(true);
  });

  it('asks on the terminal (/dev/tty), not on the pipe, to encrypt and to decrypt', async () => {
    const encrypted = await runInPty(
      shellCommand('cat text.txt | kwqm encrypt -p --work-factor 10 -o tty.age'),
      [
        { expect: 'Enter passphrase: ', send: 'typed secret' },
        { expect: 'Confirm passphrase: ', send: 'typed secret' },
      ],
      { cwd, env: ptyEnv() },
    );
    expect(encrypted.code).toBe(0);
    expect(encrypted.transcript).not.toContain('typed secret');
    const decrypted = await runInPty(
      shellCommand(`cat tty.age | kwqm decrypt -o tty.txt`),
      [{ expect: 'Enter passphrase: ', send: 'typed secret' }],
      { cwd, env: ptyEnv() },
    );
    expect(decrypted.code).toBe(0);
    expect((await read('tty.txt')).equals(await read('text.txt'))).toBe(true);
  });

  it('exits 130 on Ctrl-C at the /dev/tty prompt and writes nothing; a wrong passphrase exits 1', async () => {
    const interrupted = await runInPty(
      shellCommand(`cat text.txt | kwqm encrypt -p -o never.age`),
      [{ expect: 'Enter passphrase: ', send: '^C' }],
      { cwd, env: ptyEnv() },
    );
    expect(interrupted.code).toBe(130);
    expect(await leftovers('never.age')).toEqual([]);
    const wrong = await sh('cat tty.age | kwqm decrypt -o never.txt', { KWQM_PASSPHRASE: 'not it' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^kwqm: -: .*\(AGE_WRONG_PASSPHRASE\)\n$/);
    expect(await leftovers('never.txt')).toEqual([]);
  });

  it('with no terminal and no passphrase source, stops with PASSPHRASE_REQUIRED (exit 2)', async () => {
    const encrypt = await sh('cat text.txt | kwqm encrypt -o never.age');
    expect(encrypt.code).toBe(2);
    expect(encrypt.stderr).toMatch(/^kwqm: .*\(PASSPHRASE_REQUIRED\)\n$/);
    const decrypt = await sh('cat tty.age | kwqm decrypt');
    expect(decrypt.code).toBe(2);
    expect(decrypt.stderr).toMatch(/\(PASSPHRASE_REQUIRED\)\n$/);
    expect(await leftovers('never.age')).toEqual([]);
  });
});

describe('a pipe as FILE (a process substitution)', () => {
  it('hashes, encrypts and decrypts `<(cmd)` in this process, as sha256sum and age read it', async () => {
    const hashed = await sh('kwqm hash <(cat text.txt) && sha256sum <(cat text.txt)');
    expect(hashed.code).toBe(0);
    const [ours, theirs] = hashed.stdout.toString().trimEnd().split('\n');
    expect(ours).toBe(theirs);
    const round = await sh(
      'kwqm encrypt -r "$R" <(cat text.txt) -o piped.age && kwqm decrypt -i key.txt <(cat piped.age) | cmp - text.txt',
    );
    expect(round.code).toBe(0);
    const beside = await sh('kwqm hash text.txt <(cat text.txt)');
    expect(beside.code).toBe(2);
    expect(beside.stderr).toMatch(/^kwqm: .*\(INVALID_OPTION\)\n$/);
  });
});

describe('standard output', () => {
  it('refuses binary output on a terminal unless -o - is given; armored text is fine', async () => {
    const refused = await runInPty(shellCommand(`kwqm encrypt -r ${recipient} < text.txt`), [], {
      cwd,
      env: ptyEnv(),
    });
    expect(refused.code).toBe(2);
    expect(refused.transcript).toMatch(/\(INVALID_OPTION\)/);
    expect(refused.transcript).not.toContain('age-encryption.org');
    const compress = await runInPty(shellCommand(`kwqm compress < text.txt`), [], {
      cwd,
      env: ptyEnv(),
    });
    expect(compress.code).toBe(2);

    const armored = await runInPty(shellCommand(`kwqm encrypt -a -r ${recipient} < text.txt`), [], {
      cwd,
      env: ptyEnv(),
    });
    expect(armored.code).toBe(0);
    expect(armored.transcript).toContain('-----BEGIN AGE ENCRYPTED FILE-----');
    const forced = await runInPty(shellCommand(`kwqm compress -o - < empty.bin`), [], {
      cwd,
      env: ptyEnv(),
    });
    expect(forced.code).toBe(0);
  });

  it('-o - with a FILE streams that file to standard output and writes no file', async () => {
    const before = await readdir(cwd);
    const result = await sh('kwqm compress text.txt -o - | gzip -d | cmp - text.txt');
    expect(result.code).toBe(0);
    expect(await readdir(cwd)).toEqual(before);
    const missing = await sh('kwqm compress missing.txt -o -');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^kwqm: missing\.txt: .*\(ENOENT\)\n$/);
  });

  it('ends quietly with status 0 when the reader goes away (EPIPE)', async () => {
    const decrypt = await sh(
      'kwqm encrypt -r "$R" < multi.bin > epipe.age && kwqm decrypt -i key.txt epipe.age -o - | head -c 10 | wc -c',
    );
    expect(decrypt.code).toBe(0);
    expect(decrypt.stdout.toString().trim()).toBe('10');
    expect(decrypt.stderr).toBe('');
    const compress = await sh('kwqm compress --level 1 < multi.bin | head -c 10 > /dev/null');
    expect(compress.code).toBe(0);
    expect(compress.stderr).toBe('');
  });

  it('reports any other write error on standard output in one line, exit 1', async () => {
    const result = await sh('kwqm compress < multi.bin > /dev/full');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kwqm: standard output: .*\(IO_ERROR\)\n$/);
  });

  it('puts the --json document on standard error when standard output carries the data', async () => {
    const result = await sh('kwqm compress --json < text.txt | gzip -d | cmp - text.txt');
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('');
    expect(JSON.parse(result.stderr)).toEqual({
      jobs: [
        {
          file: '-',
          id: null,
          operation: 'compress',
          state: 'succeeded',
          result: { output: '-', bytesIn: 14_000, bytesOut: expect.any(Number) },
        },
      ],
    });
  });
});

describe('hash, compress and decompress of standard input', () => {
  it('prints the line sha256sum - prints, and --json on standard output', async () => {
    const ours = await sh('kwqm hash < multi.bin && kwqm hash - --algorithm sha512 < empty.bin');
    const theirs = await sh('sha256sum - < multi.bin && sha512sum - < empty.bin');
    expect(ours.code).toBe(0);
    expect(ours.stdout.toString()).toBe(theirs.stdout.toString());
    const json = await sh('cat text.txt | kwqm hash --json -');
    expect(JSON.parse(json.stdout.toString())).toEqual({
      jobs: [
        {
          file: '-',
          id: null,
          operation: 'hash',
          state: 'succeeded',
          result: {
            algorithm: 'sha256',
            digest: createHash('sha256')
              .update(await read('text.txt'))
              .digest('hex'),
            bytesIn: 14_000,
          },
        },
      ],
    });
  });

  it('writes the checksum line to an -o file', async () => {
    const result = await sh('kwqm hash -o sums.txt < text.txt');
    expect(result.code).toBe(0);
    const line = (await sh('sha256sum - < text.txt')).stdout.toString();
    expect((await read('sums.txt')).toString()).toBe(line);
    expect(result.stdout.toString()).toBe(line);
  });

  it('compresses a pipe that gzip -d and brotli -d read back, and decompresses both', async () => {
    const gzip = await sh('cat multi.bin | kwqm compress | gzip -d | cmp - multi.bin');
    expect(gzip.code).toBe(0);
    const brotli = await sh(
      'cat multi.bin | kwqm compress --format brotli --level 5 | brotli -d | cmp - multi.bin',
    );
    expect(brotli.code).toBe(0);
    const gunzip = await sh('gzip -c multi.bin | kwqm decompress - | cmp - multi.bin');
    expect(gunzip.code).toBe(0);
    const unbrotli = await sh(
      'brotli -c text.txt | kwqm decompress --format brotli -o text.out && cmp text.out text.txt',
    );
    expect(unbrotli.code).toBe(0);
    expect(unbrotli.stdout.toString()).toMatch(/^- -> text\.out \(.+\)\n$/);
  });
});

describe('failures', () => {
  it('a tampered or truncated stream exits 1 with one line and leaves no -o file', async () => {
    const made = await sh('kwqm encrypt -r "$R" < multi.bin > good.age');
    expect(made.code).toBe(0);
    const bytes = await read('good.age');
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 100_000] = (tampered[tampered.length - 100_000] as number) ^ 1;
    await writeFile(join(cwd, 'tampered.age'), tampered);
    const result = await sh('cat tampered.age | kwqm decrypt -i key.txt -o tampered.out');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kwqm: -: .* \(AGE_PAYLOAD_AUTH_FAILED\)\n$/);
    expect(await leftovers('tampered.out')).toEqual([]);

    // To standard output the plaintext already written cannot be taken back: the status tells.
    const truncated = await sh('head -c 200000 good.age | kwqm decrypt -i key.txt > truncated.out');
    expect(truncated.code).toBe(1);
    // Cut inside a chunk: that chunk fails authentication, or the final chunk is missing.
    expect(truncated.stderr).toMatch(/^kwqm: -: .* \((AGE_PAYLOAD_AUTH_FAILED|AGE_TRUNCATED)\)\n$/);
    const cutAtChunk = await sh(
      'kwqm encrypt -r "$R" < text.txt > short.age && head -c -1 short.age | kwqm decrypt -i key.txt -o short.out',
    );
    expect(cutAtChunk.code).toBe(1);
    expect(cutAtChunk.stderr).toMatch(/\((AGE_PAYLOAD_AUTH_FAILED|AGE_TRUNCATED)\)\n$/);
    expect(await leftovers('short.out')).toEqual([]);
    const wrongKey = await sh(
      'age-keygen -o other.txt 2>/dev/null && kwqm decrypt -i other.txt < good.age > /dev/null',
    );
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/\(AGE_NO_MATCHING_IDENTITY\)\n$/);
    const empty = await sh('kwqm decrypt -i key.txt < empty.bin');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/\(AGE_BAD_HEADER\)\n$/);
    const notGzip = await sh('kwqm decompress -o never.txt < text.txt');
    expect(notGzip.code).toBe(1);
    expect(notGzip.stderr).toMatch(/^kwqm: -: .*\(CORRUPT_INPUT\)\n$/);
    expect(await leftovers('never.txt')).toEqual([]);
  });

  it('never replaces an existing -o file without --force', async () => {
    const result = await sh('kwqm compress -o text.txt < multi.bin');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\(EEXIST\)\n$/);
    expect((await stat(join(cwd, 'text.txt'))).size).toBe(14_000);
  });

  it('exits 130 on Ctrl-C during a large piped stream and leaves neither the output nor its temp file', async () => {
    const child = spawn(process.execPath, [KWQM_BIN, 'encrypt', '-r', recipient, '-o', 'interrupted.age'], {
      cwd,
      env: kwqmEnvironment(sandbox.env),
      stdio: ['pipe', 'ignore', 'pipe'],
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // An endless producer: the stream is still running whenever the signal lands.
    const block = randomBytes(1024 * 1024);
    let feeding = true;
    const feed = (): void => {
      while (feeding && child.stdin.write(block));
    };
    child.stdin.on('drain', feed);
    child.stdin.on('error', () => {
      feeding = false;
    });
    feed();
    // Wait until part of the stream has reached the temp file, then interrupt.
    for (;;) {
      const temp = (await leftovers('interrupted.age')).find((entry) => entry.endsWith('.tmp'));
      if (temp !== undefined && (await stat(join(cwd, temp)).catch(() => undefined))?.size) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGINT');
    const code = await exited;
    feeding = false;
    expect(code).toBe(130);
    expect(await leftovers('interrupted.age')).toEqual([]);
  });
});

describe.concurrent('stream usage errors exit 2', () => {
  const cases: { name: string; args: string[] }[] = [
    { name: '`-` twice', args: ['hash', '-', '-'] },
    { name: '`-` beside a file', args: ['hash', 'text.txt', '-'] },
    { name: '-o - with several files', args: ['compress', '-o', '-', 'text.txt', 'empty.bin'] },
    { name: '--detach with standard input', args: ['hash', '--detach', '-'] },
    { name: '--daemon with standard output', args: ['compress', '--daemon', '-o', '-', 'text.txt'] },
    { name: '-R - when standard input carries the data', args: ['encrypt', '-R', '-', '-'] },
    { name: '-i - twice', args: ['decrypt', '-i', '-', '-i', '-', '-o', 'x', 'good.age'] },
  ];
  for (const { name, args } of cases) {
    it(`refuses ${name}`, async () => {
      const result = await runKwqm(args, { cwd, env: sandbox.env });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^kwqm: [^\n]*\(INVALID_OPTION\)\n$/);
    });
  }

  it('reads -R - from standard input when the data is a FILE', async () => {
    const result = await sh(
      'echo "$R" | kwqm encrypt -R - -o - text.txt | age -d -i key.txt | cmp - text.txt',
    );
    expect(result.code).toBe(0);
  });
});
