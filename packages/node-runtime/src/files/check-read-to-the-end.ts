import { KwqmError } from '@kwqm/core';
import type { OpenedInput } from './open-input.js';

/**
 * Throws `IO_ERROR` when an input ended before the size it had when opened: another process cut
 * it short (truncated, rewritten in place) while the job read it, and the output would be a
 * complete, valid file of only its first part. An input that grew is read to its new end, as `cp`
 * and `sha256sum` do, so that is no error.
 */
export function checkReadToTheEnd(input: OpenedInput, bytesRead: number): void {
  if (bytesRead >= input.size) return;
  throw new KwqmError(
    'IO_ERROR',
    `${input.path} shrank from ${input.size} to ${bytesRead} bytes while it was read; the result would cover only part of it`,
    { details: { path: input.path, sizeAtOpen: input.size, bytesRead } },
  );
}
