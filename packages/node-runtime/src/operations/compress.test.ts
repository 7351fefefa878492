import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { truncateSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobProgress, KwqmError } from '@kwqm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CompressParams, DecompressParams } from './builtin-operation-types.js';
import { brotliWindowBits, compress } from './compress.js';
import { decompress } from './decompress.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kwqm-compress-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const context = (progress: JobProgress[] = [], signal = new AbortController().signal) => ({
  signal,
  reportProgress: (report: JobProgress) => progress.push(report),
});
const runCompress = (params: CompressParams, progress?: JobProgress[]) =>
  compress.run(params, undefined, context(progress));
const runDecompress = (params: DecompressParams) => decompress.run(params, undefined, context());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(KwqmError);
  return (error as KwqmError).code;
}

/** Half text (compressible), half random bytes. */
function sample(size: number): Buffer {
  const text = Buffer.from('KWQM compresses files on worker threads. '.repeat(Math.ceil(size / 80)));
  return Buffer.concat([text.subarray(0, Math.floor(size / 2)), randomBytes(size - Math.floor(size / 2))]);
}

// The standard CLIs run beside the tests on a shared machine; brotli at quality 11 is slow there.
describe('compress', { timeout: 30_000 }, () => {
  it.each([
    ['gzip', 6, 0],
    ['gzip', 1, 1],
    ['gzip', 9, 2_500_000],
    ['brotli', 11, 0],
    ['brotli', 11, 70_000],
    ['brotli', 5, 2_500_000],
  ] as const)(
    '%s level %i of %i bytes: the standard CLI restores it byte for byte',
    async (format, level, size) => {
      const original = sample(size);
      const input = join(folder, 'data.bin');
      await writeFile(input, original);
      const progress: JobProgress[] = [];
      const result = await runCompress({ input, format, level }, progress);
      const expectedOutput = join(folder, format === 'gzip' ? 'data.bin.gz' : 'data.bin.br');
      expect(result.output).toBe(expectedOutput);
      expect(result.bytesIn).toBe(size);
      const compressed = await readFile(expectedOutput);
      expect(result.bytesOut).toBe(compressed.byteLength);
      const restored = execFileSync(format, ['-d', '-c', expectedOutput], { maxBuffer: 64 * 1024 * 1024 });
      expect(restored.equals(original)).toBe(true);
      expect((await readFile(input)).equals(original)).toBe(true);
      if (size > 0) expect(progress.at(-1)).toEqual({ done: size, total: size, unit: 'bytes' });
    },
  );

  it('picks the brotli window as the brotli CLI does', () => {
    expect(brotliWindowBits(0)).toBe(10);
    expect(brotliWindowBits(1008)).toBe(10);
    expect(brotliWindowBits(1009)).toBe(11);
    expect(brotliWindowBits(2 ** 20)).toBe(21);
    expect(brotliWindowBits(2 ** 40)).toBe(24);
  });

  it('writes the same bytes as `brotli -c` at the default quality', async () => {
    const input = join(folder, 'same.txt');
    await writeFile(input, sample(100_000));
    await runCompress({ input, format: 'brotli' });
    const ours = await readFile(`${input}.br`);
    expect(ours.equals(execFileSync('brotli', ['-c', input], { maxBuffer: 8 * 1024 * 1024 }))).toBe(true);
  });

  it('refuses an existing output unless overwrite is set, and bad params with INVALID_JOB', async () => {
    const input = join(folder, 'a.txt');
    await writeFile(input, 'aaaa');
    await writeFile(`${input}.gz`, 'old');
    expect(await codeOf(runCompress({ input }))).toBe('EEXIST');
    expect(await readFile(`${input}.gz`, 'utf8')).toBe('old');
    await runCompress({ input, overwrite: true });
    expect(execFileSync('gzip', ['-dc', `${input}.gz`], { encoding: 'utf8' })).toBe('aaaa');
    expect(await codeOf(runCompress({ input, format: 'zstd' as never }))).toBe('INVALID_JOB');
    expect(await codeOf(runCompress({ input, level: 10 }))).toBe('INVALID_JOB');
    expect(await codeOf(runCompress({ input, format: 'brotli', level: 12 }))).toBe('INVALID_JOB');
    expect(await codeOf(runCompress({ input, quality: 5 } as never))).toBe('INVALID_JOB');
    expect(await codeOf(runCompress({ input, output: input, overwrite: true }))).toBe('SAME_FILE');
    expect(await codeOf(runCompress({ input: join(folder, 'missing') }))).toBe('ENOENT');
  });

  it('stops when its signal aborts and leaves no output behind', async () => {
    const input = join(folder, 'big.bin');
    await writeFile(input, sample(6 * 1024 * 1024));
    const controller = new AbortController();
    const running = compress.run({ input, format: 'brotli' }, undefined, {
      signal: controller.signal,
      reportProgress: () => controller.abort(new KwqmError('CANCELED', 'stop')),
    });
    expect(await codeOf(running)).toBe('CANCELED');
    expect(await readdir(folder)).toEqual(['big.bin']);
  });

  it('fails with IO_ERROR and leaves no output when the input is cut short while it is read', async () => {
    const input = join(folder, 'shrinking.bin');
    await writeFile(input, sample(6 * 1024 * 1024));
    let cut = false;
    const running = compress.run({ input, format: 'gzip', level: 1 }, undefined, {
      signal: new AbortController().signal,
      reportProgress: () => {
        if (!cut) truncateSync(input, 10);
        cut = true;
      },
    });
    expect(await codeOf(running)).toBe('IO_ERROR');
    expect(await readdir(folder)).toEqual(['shrinking.bin']);
  });
});

describe('decompress', { timeout: 30_000 }, () => {
  it.each(['gzip', 'brotli'] as const)(
    'restores a file made by the %s CLI, stripping the extension',
    async (format) => {
      const original = sample(format === 'gzip' ? 1_500_000 : 400_000);
      const plain = join(folder, 'made-by-cli.bin');
      await writeFile(plain, original);
      // brotli at quality 5: 11 would only make the test slow; the format and decoder are the same.
      execFileSync(format, format === 'gzip' ? [plain] : ['-q', '5', '--rm', plain]);
      const extension = format === 'gzip' ? '.gz' : '.br';
      expect(await readdir(folder)).toEqual([`made-by-cli.bin${extension}`]);
      const result = await runDecompress({ input: `${plain}${extension}` });
      expect(result.output).toBe(plain);
      expect(result.bytesOut).toBe(original.byteLength);
      expect((await readFile(plain)).equals(original)).toBe(true);
    },
  );

  it.each([
    ['LOGS.GZ', 'gzip', 'LOGS'],
    ['Page.Br', 'brotli', 'Page'],
  ] as const)(
    'takes %s for %s in any case and writes %s, as gzip -d does',
    async (name, format, plainName) => {
      const input = join(folder, name);
      await writeFile(input, execFileSync(format, ['-c'], { input: 'upper case' }));
      const result = await runDecompress({ input });
      expect(result.output).toBe(join(folder, plainName));
      expect(await readFile(join(folder, plainName), 'utf8')).toBe('upper case');
      expect(await codeOf(runDecompress({ input: join(folder, '.gz') }))).toBe('INVALID_JOB');
    },
  );

  it('takes the format from `format` when the name does not tell, and needs `output` then', async () => {
    const input = join(folder, 'packed');
    await writeFile(input, execFileSync('gzip', ['-c'], { input: 'hello' }));
    expect(await codeOf(runDecompress({ input }))).toBe('INVALID_JOB');
    expect(await codeOf(runDecompress({ input, format: 'gzip' }))).toBe('INVALID_JOB');
    await runDecompress({ input, format: 'gzip', output: join(folder, 'unpacked') });
    expect(await readFile(join(folder, 'unpacked'), 'utf8')).toBe('hello');
  });

  it.each([
    ['gzip', 'a flipped byte', (data: Buffer) => flip(data, Math.floor(data.length / 2))],
    ['gzip', 'truncation', (data: Buffer) => data.subarray(0, data.length - 100)],
    ['gzip', 'a damaged trailer CRC', (data: Buffer) => flip(data, data.length - 6)],
    ['gzip', 'an empty file', () => Buffer.alloc(0)],
    // brotli has no checksum: only damage to its structure is detectable (see docs/reference/operations/decompress.md).
    ['brotli', 'a damaged meta-block header', (data: Buffer) => flip(data, 1)],
    ['brotli', 'truncation', (data: Buffer) => data.subarray(0, data.length - 100)],
  ] as const)(
    'fails a %s input with %s as CORRUPT_INPUT and leaves no output',
    async (format, _what, damage) => {
      const plain = join(folder, 'victim.txt');
      await writeFile(plain, sample(100_000));
      const compressed = execFileSync(format, ['-c', plain], { maxBuffer: 8 * 1024 * 1024 });
      await rm(plain);
      const input = join(folder, `victim.txt${format === 'gzip' ? '.gz' : '.br'}`);
      const damaged = damage(compressed);
      await writeFile(input, damaged);
      expect(await codeOf(runDecompress({ input }))).toBe('CORRUPT_INPUT');
      expect(await readdir(folder)).toEqual([input.slice(folder.length + 1)]);
      expect((await readFile(input)).equals(damaged)).toBe(true);
    },
  );
});

function flip(data: Buffer, index: number): Buffer {
  const copy = Buffer.from(data);
  copy[index] = (copy[index] as number) ^ 0xff;
  return copy;
}
