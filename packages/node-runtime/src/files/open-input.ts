import type { Stats } from 'node:fs';
import { type FileHandle, open, realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { KwqmError } from '@kwqm/core';
import { fileError } from './file-error.js';

/** Options of {@link openInput}. */
export interface OpenInputOptions {
  /** The job's output path, checked not to be the input under another name. */
  readonly outputPath?: string;
}

/** An input file opened for reading. The caller closes {@link OpenedInput.handle}. */
export interface OpenedInput {
  /** Absolute path. */
  readonly path: string;
  readonly handle: FileHandle;
  /** Size in bytes when opened. */
  readonly size: number;
}

/**
 * Opens a job's input for reading after the checks every file job shares: it must exist
 * (`ENOENT`), be readable (`EACCES`), be a regular file (`EISDIR` for a directory, `INVALID_JOB`
 * for a device or FIFO) and must not be the output (`SAME_FILE`, also through links: compared
 * by real path and by device + inode).
 */
export async function openInput(path: string, options: OpenInputOptions = {}): Promise<OpenedInput> {
  const absolute = resolve(path);
  let stats: Stats;
  try {
    stats = await stat(absolute);
  } catch (error) {
    throw fileError(error, absolute);
  }
  if (stats.isDirectory())
    throw fileError(Object.assign(new Error('directory'), { code: 'EISDIR' }), absolute);
  if (!stats.isFile()) {
    throw new KwqmError('INVALID_JOB', `${absolute} is not a regular file`, { details: { path: absolute } });
  }
  if (options.outputPath !== undefined) await assertNotSameFile(absolute, stats, resolve(options.outputPath));

  let handle: FileHandle;
  try {
    handle = await open(absolute, 'r');
  } catch (error) {
    throw fileError(error, absolute);
  }
  try {
    // The size of what was opened, not of what `stat` saw (the path may have been replaced).
    const opened = await handle.stat();
    if (!opened.isFile()) {
      throw new KwqmError('INVALID_JOB', `${absolute} is not a regular file`, {
        details: { path: absolute },
      });
    }
    return { path: absolute, handle, size: opened.size };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw fileError(error, absolute);
  }
}

async function assertNotSameFile(input: string, inputStats: Stats, output: string): Promise<void> {
  const sameFile = (): KwqmError =>
    new KwqmError('SAME_FILE', `The output ${output} is the input file ${input}`, {
      details: { path: input, output },
    });
  if (output === input) throw sameFile();
  let outputStats: Stats;
  try {
    outputStats = await stat(output);
  } catch {
    return; // The output does not exist yet, so it cannot be the input.
  }
  if (outputStats.dev === inputStats.dev && outputStats.ino === inputStats.ino) throw sameFile();
  const [inputReal, outputReal] = await Promise.all([realpath(input), realpath(output).catch(() => output)]);
  if (inputReal === outputReal) throw sameFile();
}
