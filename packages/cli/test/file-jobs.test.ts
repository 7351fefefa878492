import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, runKwqm, type Sandbox } from './run-kwqm.js';

// hash, compress, decompress and keygen on real files in-process (--embedded: worker threads in
// the kwqm process), checked byte for byte against the reference tools.

let sandbox: Sandbox;
let cwd: string;
const payload = randomBytes(300_000);
beforeAll(async () => {
  sandbox = await createSandbox();
  cwd = join(sandbox.dir, 'work');
  await writeFile(join(cwd, 'data.bin'), payload);
  await writeFile(join(cwd, 'empty.bin'), '');
  await writeFile(join(cwd, 'text.txt'), 'the quick brown fox\n'.repeat(1000));
});
afterAll(() => sandbox.cleanup());

const run = (args: string[], env?: Record<string, string>) =>
  runKwqm(args, { cwd, env: { ...sandbox.env, ...env } });
const tool = (command: string, args: string[]) => execFileSync(command, args, { cwd, encoding: 'utf8' });

describe('kwqm hash', () => {
  it('prints sha256sum-identical lines that sha256sum -c accepts', async () => {
    const result = await run(['hash', '--embedded', 'data.bin', 'empty.bin', 'text.txt']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(tool('sha256sum', ['data.bin', 'empty.bin', 'text.txt']));
    await writeFile(join(cwd, 'sums.txt'), result.stdout);
    expect(tool('sha256sum', ['-c', 'sums.txt'])).toContain('data.bin: OK');
  });

  it('escapes a name with a backslash or a line break as sha256sum does, so -c reads it', async () => {
    const names = ['back\\slash.txt', 'new\nline.txt'];
    for (const name of names) await writeFile(join(cwd, name), name);
    const result = await run(['hash', '--embedded', ...names]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(tool('sha256sum', names));
    await writeFile(join(cwd, 'escaped-sums.txt'), result.stdout);
    expect(tool('sha256sum', ['-c', 'escaped-sums.txt']).split('\n')).toHaveLength(3);
  });

  it('runs in-process by default when no daemon answers', async () => {
    const result = await run(['hash', 'text.txt']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(tool('sha256sum', ['text.txt']));
    // Nothing was started: no socket appeared in the private runtime folder.
    expect(await readdir(sandbox.env.XDG_RUNTIME_DIR as string)).toEqual([]);
  });

  it('matches sha512sum and b2sum for the other algorithms', async () => {
    const sha512 = await run(['hash', '--embedded', '--algorithm', 'sha512', 'data.bin']);
    expect(sha512.stdout).toBe(tool('sha512sum', ['data.bin']));
    const blake = await run(['hash', '--embedded', '--algorithm', 'blake2b512', 'data.bin']);
    expect(blake.stdout).toBe(tool('b2sum', ['data.bin']));
  });

  it('reports a missing file on one line, finishes the others and exits 1', async () => {
    const result = await run(['hash', '--embedded', 'missing.bin', 'text.txt']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(tool('sha256sum', ['text.txt']));
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^kwqm: missing\.bin: .* \(ENOENT\)\n$/);
  });

  it('prints the documented --json shape, failures included', async () => {
    const result = await run(['hash', '--embedded', '--json', 'text.txt', 'missing.bin']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const document = JSON.parse(result.stdout) as { jobs: Record<string, unknown>[] };
    const digest = tool('sha256sum', ['text.txt']).split(' ')[0];
    expect(document.jobs).toEqual([
      {
        file: 'text.txt',
        id: expect.any(String),
        operation: 'hash',
        state: 'succeeded',
        result: { algorithm: 'sha256', digest, bytesIn: 20_000 },
      },
      {
        file: 'missing.bin',
        id: expect.any(String),
        operation: 'hash',
        state: 'failed',
        error: expect.objectContaining({ name: 'KwqmError', code: 'ENOENT', message: expect.any(String) }),
      },
    ]);
  });
});

describe('progress off a terminal', () => {
  it('writes a plain line at each quarter to stderr, and none with --quiet', async () => {
    // Sparse: 512 MiB to read, nothing on disk; progress comes at most 10 times a second.
    await writeFile(join(cwd, 'sparse.bin'), '');
    await truncate(join(cwd, 'sparse.bin'), 512 * 1024 ** 2);
    const shown = await run(['hash', '--embedded', 'sparse.bin']);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toContain('kwqm: sparse.bin: 25% (');
    expect(shown.stderr).toContain('kwqm: sparse.bin: 50% (');
    expect(shown.stderr).toMatch(/^(kwqm: sparse\.bin: (25|50|75)% \(\d+\.\d MiB of 512\.0 MiB\)\n)+$/);
    const quiet = await run(['hash', '--embedded', '--quiet', 'sparse.bin']);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(shown.stdout);
  });
});

describe('kwqm compress and decompress', () => {
  it('writes .gz that gzip -d restores, and reads gzip files', async () => {
    const result = await run(['compress', '--embedded', 'text.txt']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^text\.txt -> text\.txt\.gz \(\d+ B\)\n$/);
    expect(
      execFileSync('gzip', ['-dc', join(cwd, 'text.txt.gz')]).equals(await readFile(join(cwd, 'text.txt'))),
    ).toBe(true);

    await writeFile(join(cwd, 'by-gzip.bin.gz'), execFileSync('gzip', ['-c', join(cwd, 'data.bin')]));
    const back = await run(['decompress', '--embedded', 'by-gzip.bin.gz']);
    expect(back.code).toBe(0);
    expect((await readFile(join(cwd, 'by-gzip.bin'))).equals(payload)).toBe(true);
  });

  it('takes the extension in any case, as gzip -d does: X.GZ is gzip and becomes X, Y.Br is brotli', async () => {
    await writeFile(join(cwd, 'UPPER.GZ'), execFileSync('gzip', ['-c', join(cwd, 'data.bin')]));
    await writeFile(join(cwd, 'Mixed.Br'), execFileSync('brotli', ['-c', join(cwd, 'data.bin')]));
    const result = await run(['decompress', '--embedded', 'UPPER.GZ', 'Mixed.Br']);
    expect(result.code).toBe(0);
    expect((await readFile(join(cwd, 'UPPER'))).equals(payload)).toBe(true);
    expect((await readFile(join(cwd, 'Mixed'))).equals(payload)).toBe(true);
    // From a FILE to standard output the extension decides the format too.
    await writeFile(join(cwd, 'TEXT.BR'), execFileSync('brotli', ['-c', join(cwd, 'text.txt')]));
    const streamed = await run(['decompress', 'TEXT.BR', '-o', '-']);
    expect(streamed.code).toBe(0);
    expect(streamed.stdout).toBe(await readFile(join(cwd, 'text.txt'), 'utf8'));
  });

  it('writes .br at a chosen level that brotli -d restores', async () => {
    const result = await run([
      'compress',
      '--embedded',
      '--format',
      'brotli',
      '--level',
      '5',
      '-o',
      'five.br',
      'data.bin',
    ]);
    expect(result.code).toBe(0);
    expect(execFileSync('brotli', ['-dc', join(cwd, 'five.br')]).equals(payload)).toBe(true);
  });

  it('never overwrites an output without --force, and replaces it with --force', async () => {
    await writeFile(join(cwd, 'keep.txt'), 'keep me');
    await writeFile(join(cwd, 'keep.txt.gz'), 'precious');
    const refused = await run(['compress', '--embedded', 'keep.txt']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^kwqm: keep\.txt: .*--force.* \(EEXIST\)\n$/);
    expect(await readFile(join(cwd, 'keep.txt.gz'), 'utf8')).toBe('precious');
    const forced = await run(['compress', '--embedded', '--force', 'keep.txt']);
    expect(forced.code).toBe(0);
    expect(execFileSync('gzip', ['-dc', join(cwd, 'keep.txt.gz')]).toString()).toBe('keep me');
  });

  it('with --json, an existing output is EEXIST with the same words as the error line (--force, not an API option)', async () => {
    await writeFile(join(cwd, 'kept.txt'), 'keep me');
    await writeFile(join(cwd, 'kept.txt.gz'), 'precious');
    // A file job, and a stream from standard input to an existing -o FILE.
    for (const args of [
      ['compress', '--embedded', 'kept.txt'],
      ['compress', '-o', 'kept.txt.gz'],
    ]) {
      const human = await run(args);
      const json = await run([...args, '--json']);
      expect(human.code).toBe(1);
      expect(json.code).toBe(1);
      const [entry] = JSON.parse(json.stdout).jobs;
      expect(entry.state).toBe('failed');
      expect(entry.error).toMatchObject({
        code: 'EEXIST',
        errno: 'EEXIST',
        details: { path: join(cwd, 'kept.txt.gz') },
      });
      expect(human.stderr).toBe(`kwqm: ${entry.file}: ${entry.error.message} (EEXIST)\n`);
    }
    expect(await readFile(join(cwd, 'kept.txt.gz'), 'utf8')).toBe('precious');
  });

  it('fails a corrupt input with a code and leaves no output', async () => {
    await writeFile(
      join(cwd, 'broken.gz'),
      Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), randomBytes(200)]),
    );
    const before = (await readdir(cwd)).sort();
    const result = await run(['decompress', '--embedded', 'broken.gz']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kwqm: broken\.gz: .* \([A-Z_]+\)\n$/);
    expect((await readdir(cwd)).sort()).toEqual(before);
  });
});

describe('kwqm keygen', () => {
  it('refuses -o naming a FIFO, even with --force, and leaves it a FIFO', async () => {
    execFileSync('mkfifo', [join(cwd, 'key-fifo')]);
    const result = await run(['keygen', '--force', '-o', 'key-fifo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\(INVALID_OPTION\)\n$/);
    expect((await stat(join(cwd, 'key-fifo'))).isFIFO()).toBe(true);
  });

  it('prints an age-keygen style identity that age-keygen -y reads', async () => {
    const result = await run(['keygen']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^# created: \d{4}-\d\d-\d\dT/);
    expect(lines[1]).toMatch(/^# public key: age1[0-9a-z]{58}$/);
    expect(lines[2]).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    await writeFile(join(cwd, 'printed-key.txt'), result.stdout);
    expect(tool('age-keygen', ['-y', 'printed-key.txt']).trim()).toBe(
      lines[1]?.slice('# public key: '.length),
    );
  });

  it('takes -o - as standard output, as every other command does, and writes no file named -', async () => {
    const result = await run(['keygen', '-o', '-']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^# created: .*\n# public key: age1[0-9a-z]{58}\nAGE-SECRET-KEY-1[0-9A-Z]{58}\n$/,
    );
    await expect(stat(join(cwd, '-'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes -o FILE with mode 0600, prints the public key on stderr and never replaces a file without --force', async () => {
    const result = await run(['keygen', '-o', 'key.txt']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const recipient = result.stderr.match(/^Public key: (age1[0-9a-z]{58})\n$/)?.[1];
    expect(recipient).toBe(tool('age-keygen', ['-y', 'key.txt']).trim());
    expect((await stat(join(cwd, 'key.txt'))).mode & 0o777).toBe(0o600);
    const key = await readFile(join(cwd, 'key.txt'), 'utf8');
    const again = await run(['keygen', '-o', 'key.txt']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/\(EEXIST\)\n$/);
    expect(await readFile(join(cwd, 'key.txt'), 'utf8')).toBe(key);
    expect((await run(['keygen', '-o', 'key.txt', '--force'])).code).toBe(0);
    expect(await readFile(join(cwd, 'key.txt'), 'utf8')).not.toBe(key);
  });

  it('has a --json shape with and without -o', async () => {
    const printed = JSON.parse((await run(['keygen', '--json'])).stdout);
    expect(printed).toEqual({
      recipient: expect.stringMatching(/^age1/),
      identity: expect.stringMatching(/^AGE-SECRET-KEY-1/),
      output: null,
    });
    const written = JSON.parse((await run(['keygen', '--json', '-o', 'json-key.txt'])).stdout);
    expect(written).toEqual({ recipient: expect.stringMatching(/^age1/), output: join(cwd, 'json-key.txt') });
  });
});

describe('colour', () => {
  it('colours error lines only when forced and never with NO_COLOR', async () => {
    const plain = await run(['hash', '--embedded', 'missing.bin']);
    expect(plain.stderr).not.toContain('\u001b[');
    const forced = await run(['hash', '--embedded', 'missing.bin'], { FORCE_COLOR: '1' });
    expect(forced.stderr).toContain('\u001b[31m');
    const vetoed = await run(['hash', '--embedded', 'missing.bin'], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(vetoed.stderr).not.toContain('\u001b[');
  });
});
