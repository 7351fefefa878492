import { open } from 'node:fs/promises';
import { KwqmError } from '@kwqm/core';

/**
 * The most an identity file may hold. `age-keygen` writes three lines; a file with many keys and
 * comments stays far below this. The cap keeps a wrongly picked file (a disk image, a video) from
 * being read whole into the extension host before it is refused.
 */
export const MAX_IDENTITY_FILE_BYTES = 1024 * 1024;

/**
 * The text of an identity file the user picked, refused with `INVALID_KEY` when it is not a
 * regular file or is larger than {@link MAX_IDENTITY_FILE_BYTES}, before anything is read.
 */
export async function readIdentityFileText(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new KwqmError(
        'INVALID_KEY',
        `${path} is not a regular file; an identity file is a text file of keys`,
        {
          details: { path },
        },
      );
    }
    if (stats.size > MAX_IDENTITY_FILE_BYTES) {
      throw new KwqmError(
        'INVALID_KEY',
        `${path} is ${stats.size} bytes; an identity file (as age-keygen writes) holds a few lines, at most 1 MiB`,
        { details: { path, bytes: stats.size } },
      );
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
