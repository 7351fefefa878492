import { lstat } from 'node:fs/promises';
import { KwqmError, type SerializedKwqmError } from '@kwqm/core';
import { cliErrorJSON } from '../output/cli-reason.js';

/**
 * Why a file's job could only fail, found before it is submitted: its input cannot be opened as
 * a regular file (missing, a folder), or its output exists and `--force` was not given. Used
 * before a passphrase prompt, so nobody types a passphrase (twice, to encrypt) for files that
 * then fail with `ENOENT` or `EEXIST`. The job's own checks still run; this only refuses early
 * what they would refuse.
 */
export async function refuseDoomedFile(
  input: string,
  output: string,
  overwrite: boolean,
): Promise<SerializedKwqmError | undefined> {
  const { openInput } = await import('@kwqm/node-runtime');
  try {
    const opened = await openInput(input, { outputPath: output });
    await opened.handle.close();
  } catch (error) {
    return cliErrorJSON(KwqmError.from(error, 'IO_ERROR'));
  }
  if (overwrite) return undefined;
  // lstat: a symbolic link at the output is an existing output too, as the job sees it.
  const existing = await lstat(output).catch(() => undefined);
  if (existing === undefined) return undefined;
  return new KwqmError('EEXIST', `${output} already exists (use --force to replace it)`, {
    errno: 'EEXIST',
    details: { path: output },
  }).toJSON();
}
