import { isPriority, KwqmError } from '@kwqm/core';

// What the in-process queue refuses with `INVALID_JOB`, the daemon refuses too, but only after a
// round trip and as `PROTOCOL_ERROR` (its parser cannot tell a caller's mistake from a broken
// peer). The client checks a spec before it is sent, so code written against `QueueService` sees
// the same code either way.

/** The daemon's limits on a spec's names (core's wire protocol: 256 characters, labels 4 × that). */
const MAX_OPERATION_LENGTH = 256;
const MAX_LABEL_LENGTH = 4 * MAX_OPERATION_LENGTH;

function describe(value: unknown): string {
  const shown =
    typeof value === 'string'
      ? value.slice(0, 40)
      : typeof value === 'object' && value !== null
        ? Array.isArray(value)
          ? 'array'
          : 'object'
        : String(value);
  return `\`${shown}\` (${value === null ? 'null' : typeof value})`;
}

function invalidJob(field: string, expectation: string, value: unknown): KwqmError {
  return new KwqmError('INVALID_JOB', `Expected \`${field}\` to be ${expectation}, got ${describe(value)}`, {
    details: { field },
  });
}

/** Throws `INVALID_JOB` (`details.field`) for a spec the daemon would refuse. */
export function checkWireSpec(spec: unknown): void {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw invalidJob('spec', 'an object', spec);
  const { operation, params, secrets, priority, label } = spec as Record<string, unknown>;
  if (typeof operation !== 'string' || operation.length === 0 || operation.length > MAX_OPERATION_LENGTH) {
    throw invalidJob(
      'operation',
      `a non-empty string of at most ${MAX_OPERATION_LENGTH} characters`,
      operation,
    );
  }
  if (params === undefined) throw invalidJob('params', 'given (the daemon needs them)', params);
  if (secrets !== undefined && (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets))) {
    // Never echo a secret, not even a mistyped one.
    throw new KwqmError('INVALID_JOB', `Expected \`secrets\` to be an object, got a ${typeof secrets}`, {
      details: { field: 'secrets' },
    });
  }
  if (priority !== undefined && !isPriority(priority)) {
    throw invalidJob('priority', "one of 'high', 'medium', 'low'", priority);
  }
  if (label !== undefined && (typeof label !== 'string' || label.length > MAX_LABEL_LENGTH)) {
    throw invalidJob('label', `a string of at most ${MAX_LABEL_LENGTH} characters`, label);
  }
}

/** Throws `INVALID_JOB` for a priority the daemon would refuse. */
export function checkWirePriority(priority: unknown): void {
  if (!isPriority(priority)) throw invalidJob('priority', "one of 'high', 'medium', 'low'", priority);
}

/**
 * The error for a request that cannot be encoded as JSON: for a submit, params or secrets that are
 * not JSON data (a BigInt, a cycle) are the caller's mistake, `INVALID_JOB`, as params that cannot
 * be structured-cloned are for the worker pool.
 */
export function encodingError(type: unknown, error: unknown): KwqmError {
  if (KwqmError.is(error)) return error;
  if (type !== 'submit') return KwqmError.from(error);
  return new KwqmError(
    'INVALID_JOB',
    `The job cannot be sent to the daemon as JSON: ${error instanceof Error ? error.message : String(error)}`,
    { details: { field: 'spec' }, cause: error },
  );
}
