import type { KwqmError, SerializedKwqmError } from '@kwqm/core';

/** The highest `--max-work-factor` that `kwqm decrypt` takes. */
const MAX_WORK_FACTOR_FLAG = 30;

/**
 * The reason to print for an error, in the CLI's words where the library's would send a user to
 * an API option: an existing output is replaced with `--force`, not with `overwrite: true`, and
 * a costlier scrypt file is accepted with `--max-work-factor`, not `maxWorkFactor`.
 */
export function cliReason(error: KwqmError): string {
  if (error.code === 'EEXIST' && typeof error.details?.path === 'string') {
    return `${error.details.path} already exists (use --force to replace it)`;
  }
  const { workFactor, maxWorkFactor } = error.details ?? {};
  if (error.code === 'AGE_WORK_FACTOR_TOO_HIGH' && typeof workFactor === 'number') {
    const hint =
      workFactor <= MAX_WORK_FACTOR_FLAG
        ? `use --max-work-factor ${workFactor} to accept it`
        : `more than --max-work-factor accepts (${MAX_WORK_FACTOR_FLAG})`;
    return `The file's scrypt work factor ${workFactor} exceeds the limit ${maxWorkFactor} (${hint})`;
  }
  return error.message;
}

/**
 * An error as `--json` carries it: {@link KwqmError.toJSON}, with the message in the CLI's words
 * (see {@link cliReason}) like the error line's; the code, errno and details are the library's.
 */
export function cliErrorJSON(error: KwqmError): SerializedKwqmError {
  return { ...error.toJSON(), message: cliReason(error) };
}
