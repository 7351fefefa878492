import { KwqmError, type KwqmErrorCode } from '@kwqm/core';

/** Node's errno names mapped to KWQM codes; anything else is `IO_ERROR`. */
const CODE_BY_ERRNO: Readonly<Record<string, KwqmErrorCode>> = {
  ENOENT: 'ENOENT',
  // A path through a non-directory (`file.txt/x`) does not exist either.
  ENOTDIR: 'ENOENT',
  EACCES: 'EACCES',
  EPERM: 'EACCES',
  EROFS: 'EACCES',
  EISDIR: 'EISDIR',
  EEXIST: 'EEXIST',
  ENOSPC: 'ENOSPC',
  EDQUOT: 'ENOSPC',
  EFBIG: 'ENOSPC',
};

const VERBS: Readonly<Partial<Record<KwqmErrorCode, string>>> = {
  ENOENT: 'does not exist',
  EACCES: 'is not accessible (permission denied)',
  EISDIR: 'is a directory',
  EEXIST: 'already exists (set `overwrite` to replace it)',
  ENOSPC: 'could not be written: no space left on the device',
};

/**
 * Reasons for the errno names folded into a nearer code: the code says what class of failure it
 * is, the message says what happened (a read-only mount is not a permission problem to fix).
 */
const REASON_BY_ERRNO: Readonly<Record<string, string>> = {
  ENOTDIR: 'does not exist (a folder on its path is a file)',
  EPERM: 'is not accessible (operation not permitted)',
  EROFS: 'cannot be written: the file system is read-only',
  EDQUOT: 'could not be written: the disk quota is exceeded',
  EFBIG: 'could not be written: the file is too large for the file system',
};

/**
 * Turns an error from `node:fs` into a {@link KwqmError} with `details.path`, keeping the
 * original as `cause` and its errno name (`EROFS` is code `EACCES` with errno `EROFS`). A KwqmError passes through unchanged.
 */
export function fileError(error: unknown, path: string): KwqmError {
  if (KwqmError.is(error)) return KwqmError.from(error);
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const code = (errno !== undefined && CODE_BY_ERRNO[errno]) || 'IO_ERROR';
  const reason =
    (errno === undefined ? undefined : REASON_BY_ERRNO[errno]) ??
    VERBS[code] ??
    `failed: ${error instanceof Error ? error.message : String(error)}`;
  return new KwqmError(code, `${path} ${reason}`, {
    cause: error,
    ...(errno === undefined ? {} : { errno }),
    details: { path },
  });
}
