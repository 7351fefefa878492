import type { KwqmError } from '@kwqm/core';

/**
 * The reason to print for an error, in the CLI's words where the library's would send a user to
 * an API option: an existing output is replaced with `--force`, not with `overwrite: true`.
 */
export function cliReason(error: KwqmError): string {
  if (error.code === 'EEXIST' && typeof error.details?.path === 'string') {
    return `${error.details.path} already exists (use --force to replace it)`;
  }
  return error.message;
}
