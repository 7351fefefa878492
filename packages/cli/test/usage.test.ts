import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, KWQM_BIN, kwqmEnvironment, runKwqm, type Sandbox } from './run-kwqm.js';

// The command line itself: help, version, and every usage error (exit 2) — none of which may
// start a queue or touch the files named.

let sandbox: Sandbox;
let cwd: string;
beforeAll(async () => {
  sandbox = await createSandbox();
  cwd = join(sandbox.dir, 'work');
  await writeFile(join(cwd, 'a.txt'), 'alpha');
  await writeFile(join(cwd, 'b.txt'), 'beta');
});
afterAll(() => sandbox.cleanup());

const run = (args: string[], env?: Record<string, string>) =>
  runKwqm(args, { cwd, env: { ...sandbox.env, ...env } });

describe.concurrent('kwqm help and version', () => {
  it('prints the package version with --version and -V', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
    for (const flag of ['--version', '-V']) {
      const result = await run([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(version);
    }
  });

  const commands = [
    'encrypt',
    'decrypt',
    'hash',
    'compress',
    'decompress',
    'keygen',
    'list',
    'status',
    'remove',
    'priority',
    'cancel',
    'watch',
    'daemon',
  ];

  it('lists every command in --help', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const command of commands) expect(top.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  for (const command of commands) {
    it(`shows examples in ${command} --help`, async () => {
      const own = await run([command, '--help']);
      expect(own.code).toBe(0);
      expect(own.stdout).toContain('Examples:');
      expect(own.stdout).toContain(`$ kwqm ${command}`);
    });
  }

  it('documents the age-compatible flags of encrypt and decrypt', async () => {
    const encrypt = (await run(['encrypt', '--help'])).stdout;
    for (const flag of [
      '-p, --passphrase',
      '-r, --recipient',
      '-R, --recipients-file',
      '-a, --armor',
      '-o, --output',
    ]) {
      expect(encrypt).toContain(flag);
    }
    expect((await run(['decrypt', '--help'])).stdout).toContain('-i, --identity');
  });
});

// Independent processes on fixed inputs: run them side by side.
describe.concurrent('kwqm usage errors exit 2 with one line and no stack', () => {
  const cases: { name: string; args: string[]; env?: Record<string, string>; code?: string }[] = [
    { name: 'an unknown command', args: ['frobnicate'], code: 'INVALID_OPTION' },
    { name: 'an unknown flag', args: ['encrypt', '--bogus', 'a.txt'], code: 'INVALID_OPTION' },
    { name: 'a misspelt flag', args: ['encrypt', '--forc', 'a.txt'], code: 'INVALID_OPTION' },
    { name: 'a flag without its value', args: ['hash', 'a.txt', '--algorithm'], code: 'INVALID_OPTION' },
    { name: 'an empty FILE', args: ['hash', ''], code: 'INVALID_OPTION' },
    { name: 'an empty -o', args: ['compress', '-o', '', 'a.txt'], code: 'INVALID_OPTION' },
    { name: 'an empty keygen -o', args: ['keygen', '-o', ''], code: 'INVALID_OPTION' },
    { name: 'standard input named twice', args: ['hash', '-', '-'], code: 'INVALID_OPTION' },
    { name: 'a bad priority', args: ['hash', '--priority', 'urgent', 'a.txt'], code: 'INVALID_OPTION' },
    { name: 'a bad hash algorithm', args: ['hash', '--algorithm', 'md5', 'a.txt'], code: 'INVALID_OPTION' },
    {
      name: 'a bad compression format',
      args: ['compress', '--format', 'zip', 'a.txt'],
      code: 'INVALID_OPTION',
    },
    {
      name: 'a gzip level out of range',
      args: ['compress', '--level', '10', 'a.txt'],
      code: 'INVALID_OPTION',
    },
    {
      name: 'a brotli level that is not a number',
      args: ['compress', '--format', 'brotli', '--level', 'max', 'a.txt'],
      code: 'INVALID_OPTION',
    },
    { name: '-o with two files', args: ['compress', '-o', 'x.gz', 'a.txt', 'b.txt'], code: 'INVALID_OPTION' },
    {
      name: 'a bad work factor',
      args: ['encrypt', '--work-factor', '40', '--passphrase-file', 'a.txt', 'b.txt'],
      code: 'INVALID_OPTION',
    },
    {
      name: 'a malformed recipient',
      args: ['encrypt', '-r', 'ssh-ed25519 AAAA', 'a.txt'],
      code: 'INVALID_KEY',
    },
    {
      name: 'a missing recipients file',
      args: ['encrypt', '-R', 'nope.txt', 'a.txt'],
      code: 'INVALID_OPTION',
    },
    {
      name: 'a recipients file without recipients',
      args: ['encrypt', '-R', 'a.txt', 'b.txt'],
      code: 'INVALID_KEY',
    },
    {
      name: 'a passphrase together with recipients',
      args: [
        'encrypt',
        '-p',
        '-r',
        'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p',
        'a.txt',
      ],
      code: 'INVALID_OPTION',
    },
    { name: 'no terminal and no passphrase source', args: ['encrypt', 'a.txt'], code: 'PASSPHRASE_REQUIRED' },
    {
      name: 'a missing passphrase file',
      args: ['encrypt', '--passphrase-file', 'nope', 'a.txt'],
      code: 'INVALID_OPTION',
    },
    {
      name: 'an empty KWQM_PASSPHRASE',
      args: ['encrypt', 'a.txt'],
      env: { KWQM_PASSPHRASE: '' },
      code: 'INVALID_OPTION',
    },
    { name: 'decrypting a name without .age and no -o', args: ['decrypt', 'a.txt'], code: 'INVALID_OPTION' },
    { name: 'a missing identity file', args: ['decrypt', '-i', 'nope', 'a.txt.age'], code: 'INVALID_OPTION' },
    {
      name: 'an identity file without a key',
      args: ['decrypt', '-i', 'a.txt', 'a.txt.age'],
      code: 'INVALID_KEY',
    },
    {
      name: 'decompressing a name without .gz/.br and no --format',
      args: ['decompress', 'a.txt'],
      code: 'INVALID_OPTION',
    },
    {
      name: '--embedded with --daemon',
      args: ['hash', '--embedded', '--daemon', 'a.txt'],
      code: 'INVALID_OPTION',
    },
    {
      name: '--detach with --embedded',
      args: ['hash', '--detach', '--embedded', 'a.txt'],
      code: 'INVALID_OPTION',
    },
    { name: 'a bad level for priority', args: ['priority', 'some-id', 'urgent'], code: 'INVALID_OPTION' },
  ];

  for (const { name, args, env, code } of cases) {
    it(`refuses ${name}`, async () => {
      const result = await run(args, env);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^kwqm: /);
      if (code !== undefined) expect(lines[0]).toMatch(new RegExp(`\\(${code}\\)$`));
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('shows the stack with --debug', async () => {
    const result = await run(['hash', '--debug', '--priority', 'urgent', 'a.txt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\(INVALID_OPTION\)\n/);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('creates no output file when it refuses', async () => {
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(cwd)).sort()).toEqual(['a.txt', 'b.txt']);
  });
});

describe('a working folder deleted under the shell', () => {
  // `cd gone && rmdir ../gone && kwqm …`: Node's process.cwd() throws there.
  const inDeletedFolder = (args: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const script = `mkdir gone && cd gone && rmdir ../gone && exec "$0" "$1" ${args}`;
      execFile(
        '/bin/sh',
        ['-c', script, process.execPath, KWQM_BIN],
        { cwd, env: kwqmEnvironment(sandbox.env) },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr }),
      );
    });

  it('answers --version, takes absolute paths, and refuses relative ones with one ENOENT line', async () => {
    expect((await inDeletedFolder('--version')).code).toBe(0);
    const absolute = await inDeletedFolder(`hash --embedded ${join(cwd, 'a.txt')}`);
    expect(absolute.code).toBe(0);
    expect(absolute.stdout).toMatch(/^[0-9a-f]{64} {2}\/.*a\.txt\n$/);
    const relative = await inDeletedFolder('hash --embedded a.txt');
    expect(relative.code).toBe(1);
    expect(relative.stderr).toMatch(/^kwqm: a\.txt: [^\n]*\(ENOENT\)\n$/);
  });
});
