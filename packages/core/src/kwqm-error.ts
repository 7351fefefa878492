import { ERRNO_BY_CODE, isKwqmErrorCode, type KwqmErrorCode } from './error-codes.js';

/** The plain-object form of a {@link KwqmError}: what crosses a thread or a socket. */
export interface SerializedKwqmError {
  readonly name: 'KwqmError';
  readonly code: KwqmErrorCode;
  readonly message: string;
  readonly errno?: string;
  /** Extra facts a caller can act on (a path, a job id, a limit); never a secret. */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** Options of the {@link KwqmError} constructor. */
export interface KwqmErrorOptions {
  /** The lower-level error this one explains. Kept in-process only; not serialised. */
  readonly cause?: unknown;
  /** Overrides the errno derived from the code. */
  readonly errno?: string;
  /** Extra facts a caller can act on (a path, a job id, a limit); never a secret. */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The one error class of KWQM. Branch on {@link KwqmError.code}; the message is for people.
 * It survives crossing a thread or a socket through {@link KwqmError.toJSON} and
 * {@link KwqmError.fromJSON}, so a caller sees the same class and code wherever a job ran.
 */
export class KwqmError extends Error {
  override readonly name = 'KwqmError' as const;
  /** The stable, documented code. */
  readonly code: KwqmErrorCode;
  /** The POSIX errno name where one fits (`QUEUE_FULL` → `ENOSPC`), as the original returned. */
  readonly errno: string | undefined;
  /** Extra facts a caller can act on; never a secret. */
  readonly details: Readonly<Record<string, string | number | boolean>> | undefined;

  constructor(code: KwqmErrorCode, message: string, options: KwqmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.errno = options.errno ?? ERRNO_BY_CODE[code];
    this.details = options.details;
  }

  /** The plain-object form, safe to `JSON.stringify` or `postMessage`. */
  toJSON(): SerializedKwqmError {
    return {
      name: 'KwqmError',
      code: this.code,
      message: this.message,
      ...(this.errno === undefined ? {} : { errno: this.errno }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }

  /** Rebuilds an error from {@link KwqmError.toJSON}'s form. An unknown code becomes `INTERNAL`. */
  static fromJSON(value: unknown): KwqmError {
    if (typeof value !== 'object' || value === null) {
      return new KwqmError('INTERNAL', `Unrecognised error value: ${String(value)}`);
    }
    const record = value as Record<string, unknown>;
    const code = isKwqmErrorCode(record.code) ? record.code : 'INTERNAL';
    const message = typeof record.message === 'string' ? record.message : 'Unknown error';
    const errno = typeof record.errno === 'string' ? record.errno : undefined;
    return new KwqmError(code, message, { errno, details: detailsOf(record.details) });
  }

  /** True for any {@link KwqmError}, also one made by another copy of this package. */
  static is(value: unknown): value is KwqmError {
    return (
      value instanceof KwqmError ||
      (typeof value === 'object' &&
        value !== null &&
        (value as { name?: unknown }).name === 'KwqmError' &&
        isKwqmErrorCode((value as { code?: unknown }).code))
    );
  }

  /**
   * Wraps anything thrown into a {@link KwqmError}: a KwqmError is returned as is, anything else
   * becomes `fallbackCode` with the original as `cause`.
   */
  static from(value: unknown, fallbackCode: KwqmErrorCode = 'INTERNAL'): KwqmError {
    if (value instanceof KwqmError) return value;
    if (KwqmError.is(value)) return KwqmError.fromJSON(value);
    const message = value instanceof Error ? value.message : String(value);
    return new KwqmError(fallbackCode, message, { cause: value });
  }
}

/**
 * The facts of a rebuilt error's `details` that are what the type promises: strings, finite
 * numbers, booleans. An operation on a worker thread may put anything there (a BigInt, an object,
 * a cycle); kept, such a value broke every JSON encoding of the error later — the daemon could
 * then neither journal the job's end nor send its final event.
 */
function detailsOf(value: unknown): Record<string, string | number | boolean> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const kept: Record<string, string | number | boolean> = {};
  for (const [key, item] of Object.entries(value)) {
    if (
      typeof item === 'string' ||
      typeof item === 'boolean' ||
      (typeof item === 'number' && Number.isFinite(item))
    ) {
      kept[key] = item;
    }
  }
  return kept;
}
