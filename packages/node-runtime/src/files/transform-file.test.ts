import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobProgress, KwqmError } from '@kwqm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChunkTransform } from './chunk-transform.js';
import { transformFile } from './transform-file.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'kwqm-files-'));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Uppercases ASCII: a transform whose output differs from its input, with fresh output buffers. */
function upper(): ChunkTransform {
  const map = (block: Uint8Array) =>
    Buffer.from(Buffer.from(block).toString('latin1').toUpperCase(), 'latin1');
  return { update: (block) => [map(block)], final: () => [Buffer.from('!')] };
}

async function failure(promise: Promise<unknown>): Promise<KwqmError> {
  try {
    await promise;
  } catch (error) {
    expect(KwqmError.is(error)).toBe(true);
    return error as KwqmError;
  }
  throw new Error('expected a rejection');
}

/** Runs `action` with the effective uid of `nobody`, where root would bypass permission checks. */
async function asNobody<T>(action: () => Promise<T>): Promise<T> {
  if (process.geteuid?.() !== 0) return action();
  process.seteuid?.(65534);
  try {
    return await action();
  } finally {
    process.seteuid?.(0);
  }
}

describe('transformFile', () => {
  it('streams a multi-block file through the transform into the output, reporting progress', async () => {
    const input = join(folder, 'in.txt');
    const text = 'abcdefghij'.repeat(300_000); // 3 MB: many 64 KiB blocks, overlapped reads and writes
    writeFileSync(input, text);
    const progress: JobProgress[] = [];
    const result = await transformFile({
      input,
      output: join(folder, 'out.txt'),
      blockSize: 64 * 1024,
      transform: upper(),
      onProgress: (p) => progress.push(p),
    });
    expect(readFileSync(join(folder, 'out.txt'), 'latin1')).toBe(`${text.toUpperCase()}!`);
    expect(result).toMatchObject({
      bytesIn: text.length,
      bytesOut: text.length + 1,
      output: join(folder, 'out.txt'),
    });
    expect(progress.at(-1)).toEqual({ done: text.length, total: text.length, unit: 'bytes' });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(readdirSync(folder).sort()).toEqual(['in.txt', 'out.txt']);
  });

  it('keeps the order of outputs that are gathered into its buffers and of ones too large for them', async () => {
    // Odd blocks come out tripled (larger than a gather buffer, written as they are), even ones
    // as they went in (copied into the reused buffers): the file must be exactly the sequence.
    const blockSize = 64 * 1024;
    const input = randomBytes(blockSize * 7 + 1000);
    writeFileSync(join(folder, 'in'), input);
    let index = 0;
    const expected: Buffer[] = [];
    const mixed: ChunkTransform = {
      update: (block) => {
        const copy = Buffer.from(block);
        const out = index % 2 === 1 ? [copy, Buffer.from(copy), Buffer.from(copy)] : [copy];
        index += 1;
        expected.push(...out);
        return out;
      },
      final: () => {
        const tail = [Buffer.from('end')];
        expected.push(...tail);
        return tail;
      },
    };
    await transformFile({
      input: join(folder, 'in'),
      output: join(folder, 'out'),
      transform: mixed,
      blockSize,
    });
    expect(index).toBe(8);
    expect(readFileSync(join(folder, 'out')).equals(Buffer.concat(expected))).toBe(true);
  });

  it('refuses a block size that is not an integer from 1 to 1 GiB (INVALID_OPTION naming blockSize)', async () => {
    writeFileSync(join(folder, 'in'), 'x');
    for (const blockSize of [0, -1, 1.5, 2 ** 30 + 1, 2 ** 40]) {
      const error = await failure(
        transformFile({ input: join(folder, 'in'), transform: upper(), blockSize }),
      );
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.details?.option).toBe('blockSize');
    }
  });

  it('handles an empty input', async () => {
    writeFileSync(join(folder, 'empty'), '');
    const result = await transformFile({
      input: join(folder, 'empty'),
      output: join(folder, 'out'),
      transform: upper(),
    });
    expect(readFileSync(join(folder, 'out'), 'latin1')).toBe('!');
    expect(result.bytesIn).toBe(0);
  });

  it('refuses an input that is the output, also through a symlink or a hard link (SAME_FILE)', async () => {
    const input = join(folder, 'in');
    writeFileSync(input, 'data');
    symlinkSync(input, join(folder, 'symlink'));
    linkSync(input, join(folder, 'hardlink'));
    for (const output of [
      input,
      join(folder, 'symlink'),
      join(folder, 'hardlink'),
      join(folder, '.', 'in'),
    ]) {
      const error = await failure(transformFile({ input, output, overwrite: true, transform: upper() }));
      expect(error.code).toBe('SAME_FILE');
    }
    expect(readFileSync(input, 'latin1')).toBe('data');
  });

  it('reports a missing input (ENOENT), also through a non-directory, and a directory (EISDIR)', async () => {
    writeFileSync(join(folder, 'file'), 'x');
    const missing = await failure(
      transformFile({ input: join(folder, 'nope'), output: join(folder, 'o'), transform: upper() }),
    );
    expect(missing.code).toBe('ENOENT');
    expect(missing.details?.path).toBe(join(folder, 'nope'));
    const through = await failure(
      transformFile({ input: join(folder, 'file', 'x'), output: join(folder, 'o'), transform: upper() }),
    );
    expect(through.code).toBe('ENOENT');
    mkdirSync(join(folder, 'dir'));
    const directory = await failure(
      transformFile({ input: join(folder, 'dir'), output: join(folder, 'o'), transform: upper() }),
    );
    expect(directory.code).toBe('EISDIR');
    expect(readdirSync(folder).sort()).toEqual(['dir', 'file']);
  });

  it('reports an unreadable input and an unwritable output folder (EACCES)', async () => {
    // Root ignores permission bits: as root the calls run with the effective uid of `nobody`
    // (seteuid, undone after; vitest runs each test file in its own process).
    chmodSync(folder, 0o755);
    const input = join(folder, 'secret');
    writeFileSync(input, 'x');
    chmodSync(input, 0o000);
    const unreadable = await failure(
      asNobody(() =>
        transformFile({
          input,
          output: join(tmpdir(), `kwqm-${randomBytes(4).toString('hex')}`),
          transform: upper(),
        }),
      ),
    );
    expect(unreadable.code).toBe('EACCES');
    chmodSync(input, 0o644);
    chmodSync(folder, 0o555); // read-only folder, for its owner too (when not run as root)
    try {
      const unwritable = await failure(
        asNobody(() => transformFile({ input, output: join(folder, 'out'), transform: upper() })),
      );
      expect(unwritable.code).toBe('EACCES');
      expect(unwritable.details?.path).toBe(join(folder, 'out'));
    } finally {
      chmodSync(folder, 0o755);
    }
    expect(readdirSync(folder)).toEqual(['secret']);
  });

  it('refuses an existing output without overwrite (EEXIST) and replaces it with overwrite', async () => {
    const input = join(folder, 'in');
    const output = join(folder, 'out');
    writeFileSync(input, 'new');
    writeFileSync(output, 'old');
    const error = await failure(transformFile({ input, output, transform: upper() }));
    expect(error.code).toBe('EEXIST');
    expect(readFileSync(output, 'latin1')).toBe('old');
    await transformFile({ input, output, overwrite: true, transform: upper() });
    expect(readFileSync(output, 'latin1')).toBe('NEW!');
    expect(readdirSync(folder).sort()).toEqual(['in', 'out']);
  });

  it('does not clobber an output that appeared while the job ran (no overwrite)', async () => {
    const input = join(folder, 'in');
    const output = join(folder, 'out');
    writeFileSync(input, 'x'.repeat(200_000));
    const error = await failure(
      transformFile({
        input,
        output,
        blockSize: 65_536,
        transform: upper(),
        onProgress: () => {
          if (!existsSync(output)) writeFileSync(output, 'someone else');
        },
      }),
    );
    expect(error.code).toBe('EEXIST');
    expect(readFileSync(output, 'latin1')).toBe('someone else');
    expect(readdirSync(folder).sort()).toEqual(['in', 'out']);
  });

  it('stops when canceled mid-file, rejecting with CANCELED and leaving nothing behind', async () => {
    const input = join(folder, 'in');
    writeFileSync(input, randomBytes(1024 * 1024));
    const controller = new AbortController();
    let blocks = 0;
    const error = await failure(
      transformFile({
        input,
        output: join(folder, 'out'),
        blockSize: 64 * 1024,
        signal: controller.signal,
        transform: upper(),
        onProgress: () => {
          blocks += 1;
          if (blocks === 3) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('CANCELED');
    expect(blocks).toBe(3);
    expect(readdirSync(folder)).toEqual(['in']);
  });

  it('rejects with the signal reason when it is a KwqmError, and before touching files when pre-aborted', async () => {
    writeFileSync(join(folder, 'in'), 'x');
    const controller = new AbortController();
    controller.abort(new KwqmError('CANCELED', 'stop', { details: { id: 'job-1' } }));
    const error = await failure(
      transformFile({
        input: join(folder, 'in'),
        output: join(folder, 'out'),
        signal: controller.signal,
        transform: upper(),
      }),
    );
    expect(error.code).toBe('CANCELED');
    expect(error.details).toEqual({ id: 'job-1' });
    expect(readdirSync(folder)).toEqual(['in']);
  });

  it('removes the temporary output when the transform fails', async () => {
    writeFileSync(join(folder, 'in'), 'x'.repeat(100_000));
    const failing: ChunkTransform = {
      update: () => [Buffer.from('partial')],
      final: () => {
        throw new KwqmError('AGE_PAYLOAD_AUTH_FAILED', 'bad');
      },
    };
    const error = await failure(
      transformFile({ input: join(folder, 'in'), output: join(folder, 'out'), transform: failing }),
    );
    expect(error.code).toBe('AGE_PAYLOAD_AUTH_FAILED');
    expect(readdirSync(folder)).toEqual(['in']);
  });

  it('fails with IO_ERROR and leaves nothing when the input is cut short while it is read', async () => {
    const input = join(folder, 'in');
    writeFileSync(input, 'x'.repeat(64 * 1024));
    let truncated = false;
    const truncating: ChunkTransform = {
      update: (block) => {
        if (!truncated) truncateSync(input, 10);
        truncated = true;
        return [Buffer.from(block)];
      },
      final: () => [],
    };
    const error = await failure(
      transformFile({ input, output: join(folder, 'out'), transform: truncating, blockSize: 1024 }),
    );
    expect(error.code).toBe('IO_ERROR');
    expect(error.details).toMatchObject({ path: input, sizeAtOpen: 64 * 1024 });
    expect(readdirSync(folder)).toEqual(['in']);
  });

  it('reads an input that grew while it was read to its new end', async () => {
    const input = join(folder, 'in');
    writeFileSync(input, 'a'.repeat(4096));
    let grown = false;
    const growing: ChunkTransform = {
      update: (block) => {
        if (!grown) appendFileSync(input, 'b'.repeat(4096));
        grown = true;
        return [Buffer.from(block)];
      },
      final: () => [],
    };
    const result = await transformFile({
      input,
      output: join(folder, 'out'),
      transform: growing,
      blockSize: 1024,
    });
    expect(result.bytesIn).toBe(8192);
    expect(readFileSync(join(folder, 'out'), 'latin1')).toBe('a'.repeat(4096) + 'b'.repeat(4096));
  });

  it.runIf(process.geteuid?.() === 0)(
    'fails with ENOSPC on a full file system and leaves nothing there',
    async () => {
      const mountPoint = join(folder, 'tiny');
      mkdirSync(mountPoint);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]);
      try {
        writeFileSync(join(folder, 'in'), randomBytes(3 * 1024 * 1024));
        const error = await failure(
          transformFile({ input: join(folder, 'in'), output: join(mountPoint, 'out'), transform: upper() }),
        );
        expect(error.code).toBe('ENOSPC');
        expect(error.details?.path).toBe(join(mountPoint, 'out'));
        expect(readdirSync(mountPoint)).toEqual([]);
      } finally {
        execFileSync('umount', [mountPoint]);
      }
    },
  );
});
