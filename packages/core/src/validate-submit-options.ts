import { invalidOption } from './describe-value.js';

// A signal is only read while a producer waits for room: a wrong value would pass unnoticed until
// the queue is full and then fail there as a TypeError. It is refused at once, whether full or not.

/**
 * Throws `INVALID_OPTION` (`details.option`: `options` or `signal`) unless `options` is undefined or
 * an object whose `signal` is undefined or an `AbortSignal`. `WorkQueue.submit` checks its options
 * with it, and so does any other `QueueService` that should refuse them the same way (the daemon
 * client).
 */
export function validateSubmitOptions(options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw invalidOption('options', 'an object or undefined', options);
  }
  const { signal } = options as { signal?: unknown };
  if (signal === undefined || isAbortSignalLike(signal)) return;
  throw invalidOption('signal', 'an AbortSignal or undefined', signal);
}

/** An `AbortSignal`, or anything that behaves as one where the queue uses it (another realm's). */
function isAbortSignalLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const signal = value as Record<string, unknown>;
  return (
    typeof signal.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function' &&
    typeof signal.removeEventListener === 'function'
  );
}
