import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobProgress, KwqmError } from '@kwqm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HashParams } from './builtin-operation-types.js';
import { checksumLine, hash } from './hash.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kwqm-hash-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function run(params: HashParams, signal = new AbortController().signal, progress: JobProgress[] = []) {
  return hash.run(params, undefined, { signal, reportProgress: (report) => progress.push(report) });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(KwqmError);
  return (error as KwqmError).code;
}

/** The digest column of a coreutils checksum tool's output for `path`. */
function coreutilsDigest(tool: string, path: string): string {
  return execFileSync(tool, [path], { encoding: 'utf8' }).split(' ')[0] as string;
}

describe('hash', { timeout: 30_000 }, () => {
  it.each([0, 1, 65_536, 1_048_577, 3_333_333])(
    'matches sha256sum, sha512sum and b2sum for %i bytes',
    async (size) => {
      const input = join(folder, `data-${size}.bin`);
      await writeFile(input, randomBytes(size));
      const progress: JobProgress[] = [];
      const sha256 = await run({ input }, undefined, progress);
      expect(sha256).toEqual({
        algorithm: 'sha256',
        digest: coreutilsDigest('sha256sum', input),
        bytesIn: size,
      });
      expect((await run({ input, algorithm: 'sha512' })).digest).toBe(coreutilsDigest('sha512sum', input));
      expect((await run({ input, algorithm: 'blake2b512' })).digest).toBe(coreutilsDigest('b2sum', input));
      if (size > 0) expect(progress.at(-1)).toEqual({ done: size, total: size, unit: 'bytes' });
    },
  );

  it('writes the checksum line exactly as sha256sum does, and sha256sum -c accepts it', async () => {
    const input = join(folder, 'report.txt');
    await writeFile(input, 'hello\n');
    const output = join(folder, 'report.txt.sha256');
    const result = await run({ input, output });
    expect(result.output).toBe(output);
    expect(await readFile(output, 'utf8')).toBe(execFileSync('sha256sum', [input], { encoding: 'utf8' }));
    expect(() => execFileSync('sha256sum', ['--check', '--status', output])).not.toThrow();
  });

  it('escapes names with a line break or backslash as coreutils does', async () => {
    const input = join(folder, 'odd\nname\\x');
    await writeFile(input, 'data');
    const output = join(folder, 'odd.sha512');
    await run({ input, output, algorithm: 'sha512' });
    expect(await readFile(output, 'utf8')).toBe(execFileSync('sha512sum', [input], { encoding: 'utf8' }));
    expect(checksumLine('ab', 'plain')).toBe('ab  plain\n');
  });

  it('refuses an existing checksum file unless overwrite is set, and never the input itself', async () => {
    const input = join(folder, 'in.txt');
    await writeFile(input, 'abc');
    const output = join(folder, 'sums');
    await writeFile(output, 'old');
    expect(await codeOf(run({ input, output }))).toBe('EEXIST');
    expect(await readFile(output, 'utf8')).toBe('old');
    await run({ input, output, overwrite: true });
    expect(await readFile(output, 'utf8')).toBe(execFileSync('sha256sum', [input], { encoding: 'utf8' }));
    expect(await codeOf(run({ input, output: input, overwrite: true }))).toBe('SAME_FILE');
    expect(await readFile(input, 'utf8')).toBe('abc');
  });

  it('fails with the input error codes and INVALID_JOB for bad params', async () => {
    expect(await codeOf(run({ input: join(folder, 'missing') }))).toBe('ENOENT');
    await mkdir(join(folder, 'dir'));
    expect(await codeOf(run({ input: join(folder, 'dir') }))).toBe('EISDIR');
    expect(await codeOf(run({ input: join(folder, 'x'), algorithm: 'md5' as never }))).toBe('INVALID_JOB');
    expect(await codeOf(run({ input: 42 } as never))).toBe('INVALID_JOB');
    expect(await codeOf(run(undefined as never))).toBe('INVALID_JOB');
    expect(await codeOf(run({ input: join(folder, 'x'), algorithim: 'sha512' } as never))).toBe(
      'INVALID_JOB',
    );
  });

  it('stops when its signal aborts and leaves no checksum file behind', async () => {
    const input = join(folder, 'big.bin');
    await writeFile(input, Buffer.alloc(8 * 1024 * 1024, 7));
    const controller = new AbortController();
    const progress: JobProgress[] = [];
    const reason = new KwqmError('CANCELED', 'stop');
    const running = hash.run({ input, output: join(folder, 'big.sha256') }, undefined, {
      signal: controller.signal,
      reportProgress: (report) => {
        progress.push(report);
        controller.abort(reason);
      },
    });
    expect(await codeOf(running)).toBe('CANCELED');
    expect(progress.length).toBeLessThan(8);
    expect(await readdir(folder)).toEqual(['big.bin']);
  });
});
