/**
 * Every code a {@link KwqmError} can carry, grouped by where it arises. Codes are the stable,
 * documented contract (see docs/reference/errors.md); messages are for people and may change.
 */
export const KWQM_ERROR_CODES = [
  // Options and input validation
  'INVALID_OPTION',
  'INVALID_JOB',
  'UNKNOWN_OPERATION',
  // Queue and throttling
  'QUEUE_FULL',
  'QUEUE_CLOSED',
  'JOB_NOT_FOUND',
  'INVALID_STATE',
  'ABORTED',
  'CANCELED',
  'REMOVED',
  // Execution
  'OPERATION_FAILED',
  'WORKER_CRASHED',
  'TIMEOUT',
  // Files
  'ENOENT',
  'EACCES',
  'EISDIR',
  'EEXIST',
  'ENOSPC',
  'SAME_FILE',
  'IO_ERROR',
  /** A compressed (or otherwise encoded) input that is not valid in its format: truncated, damaged. */
  'CORRUPT_INPUT',
  // age format
  'AGE_BAD_HEADER',
  'AGE_HEADER_MAC_MISMATCH',
  'AGE_PAYLOAD_AUTH_FAILED',
  'AGE_TRUNCATED',
  'AGE_TRAILING_DATA',
  'AGE_WRONG_PASSPHRASE',
  'AGE_NO_MATCHING_IDENTITY',
  'AGE_WORK_FACTOR_TOO_HIGH',
  'AGE_UNSUPPORTED_RECIPIENT',
  'AGE_BAD_ARMOR',
  'INVALID_KEY',
  'PASSPHRASE_REQUIRED',
  // Daemon and protocol
  'PROTOCOL_ERROR',
  'DAEMON_UNAVAILABLE',
  'DAEMON_ALREADY_RUNNING',
  'CONNECTION_CLOSED',
  'SECRET_LOST',
  // Anything not classified above; always carries a `cause` where one exists
  'INTERNAL',
] as const;

/** A {@link KwqmError}'s machine-readable code. Tests and callers branch on this, never on messages. */
export type KwqmErrorCode = (typeof KWQM_ERROR_CODES)[number];

/** True when `value` is a known {@link KwqmErrorCode}. */
export function isKwqmErrorCode(value: unknown): value is KwqmErrorCode {
  return typeof value === 'string' && (KWQM_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The POSIX errno name that matches a code, where the original kernel module returned one
 * (it answered a full queue with ENOSPC). Codes that are errno names map to themselves.
 */
export const ERRNO_BY_CODE: Partial<Record<KwqmErrorCode, string>> = {
  QUEUE_FULL: 'ENOSPC',
  QUEUE_CLOSED: 'ESHUTDOWN',
  JOB_NOT_FOUND: 'ESRCH',
  INVALID_STATE: 'EBUSY',
  INVALID_OPTION: 'EINVAL',
  INVALID_JOB: 'EINVAL',
  CANCELED: 'ECANCELED',
  ABORTED: 'ECANCELED',
  ENOENT: 'ENOENT',
  EACCES: 'EACCES',
  EISDIR: 'EISDIR',
  EEXIST: 'EEXIST',
  ENOSPC: 'ENOSPC',
  SAME_FILE: 'EINVAL',
  PROTOCOL_ERROR: 'EPROTO',
  TIMEOUT: 'ETIMEDOUT',
  CONNECTION_CLOSED: 'ECONNRESET',
};
