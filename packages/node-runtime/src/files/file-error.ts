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
 * Turns an error from `node:fs` into a {@link KwqmError} with `details.path`, keeping the
 * original as `cause` and its errno name. A KwqmError passes through unchanged.
 */
export function fileError(error: unknown, path: string): KwqmError {
  if (KwqmError.is(error)) return KwqmError.from(error);
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const code = (errno !== undefined && CODE_BY_ERRNO[errno]) || 'IO_ERROR';
  const reason = VERBS[code] ?? `failed: ${error instanceof Error ? error.message : String(error)}`;
  return new KwqmError(code, `${path} ${reason}`, {
    cause: error,
    ...(errno === undefined ? {} : { errno }),
    details: { path },
  });
}
