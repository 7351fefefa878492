import { createReadStream } from 'node:fs';
import { KwqmError } from '@kwqm/core';

/** Key and passphrase files are a few hundred bytes; ten thousand recipients stay below this. */
export const SMALL_FILE_LIMIT = 1024 * 1024;

/**
 * Reads a key or passphrase file given on the command line, which may be a FIFO, `/dev/stdin` or a
 * process substitution as well as a file. Stops at `SMALL_FILE_LIMIT` with `INVALID_KEY`
 * (`INVALID_OPTION` for a passphrase file), so `-i /dev/zero` or `-R /dev/urandom` end at once
 * instead of being read, and held, without end; with `untilLineBreak` it stops at the first line
 * break. A file that cannot be read is `INVALID_OPTION` naming its errno code.
 */
export async function readSmallFile(
  path: string,
  what: 'identity' | 'recipients' | 'passphrase',
  { untilLineBreak = false }: { untilLineBreak?: boolean } = {},
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    // Standard input by its descriptor: opening `/dev/stdin` anew fails with ENXIO when it is a
    // socket (a parent's child_process pipe, socket activation), where reading fd 0 works.
    const stream =
      path === '/dev/stdin' ? createReadStream('', { fd: 0, autoClose: false }) : createReadStream(path);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (untilLineBreak && chunk.includes(0x0a)) break;
      if (size > SMALL_FILE_LIMIT) {
        throw new KwqmError(
          what === 'passphrase' ? 'INVALID_OPTION' : 'INVALID_KEY',
          `${path}: over 1 MiB, too big for a ${what === 'passphrase' ? 'passphrase' : 'key'} file`,
          { details: { path } },
        );
      }
    }
  } catch (error) {
    if (error instanceof KwqmError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new KwqmError('INVALID_OPTION', `Cannot read the ${what} file ${path}: ${code}`, {
      cause: error,
      details: { path },
    });
  }
  return Buffer.concat(chunks).toString('utf8');
}
