import { describeValue, isPriority, KwqmError } from '@kwqm/core';

// What the in-process queue refuses with `INVALID_JOB`, the daemon refuses too, but only after a
// round trip and as `PROTOCOL_ERROR` (its parser cannot tell a caller's mistake from a broken
// peer). The client checks a spec before it is sent, so code written against `QueueService` sees
// the same code either way.

/** The daemon's limits on a spec's names (core's wire protocol: 256 characters, labels 4 × that). */
const MAX_OPERATION_LENGTH = 256;
const MAX_LABEL_LENGTH = 4 * MAX_OPERATION_LENGTH;

function invalidJob(field: string, expectation: string, value: unknown): KwqmError {
  return new KwqmError(
    'INVALID_JOB',
    `Expected \`${field}\` to be ${expectation}, got ${describeValue(value)}`,
    {
      details: { field },
    },
  );
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
  checkJsonData(params, 'params', 0);
  if (secrets !== undefined) checkJsonData(secrets, 'secrets', 0);
}

/** Deeper than this, the encoder decides (a cycle is caught there too). */
const MAX_CHECKED_DEPTH = 64;

/**
 * Throws `INVALID_JOB` (`field: 'spec'`, `path`) for a value JSON would not carry as it is: it
 * would silently become something else on the way to the daemon — a `Map`, `Set`, typed array or
 * class instance `{}`, a `Date` a string, `NaN` `null`, a function or an array's `undefined`
 * nothing or `null` — while the in-process queue hands the operation the value itself. A BigInt is
 * left to the encoder, which refuses it. Only the path is named: the value may be a secret.
 */
function checkJsonData(value: unknown, path: string, depth: number): void {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  ) {
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw notJson(path, 'a number that is not finite');
    return;
  }
  if (typeof value !== 'object') throw notJson(path, `a ${typeof value}`);
  if (depth >= MAX_CHECKED_DEPTH) return;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      if (item === undefined) throw notJson(`${path}[${index}]`, 'undefined in an array');
      checkJsonData(item, `${path}[${index}]`, depth + 1);
    }
    return;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    throw notJson(path, `a ${typeof name === 'string' && name !== '' ? name : 'non-plain object'}`);
  }
  for (const key of Object.keys(value)) {
    const item: unknown = (value as Record<string, unknown>)[key];
    // JSON leaves an undefined property out, and reading it gives undefined either way.
    if (item !== undefined) checkJsonData(item, `${path}.${key}`, depth + 1);
  }
}

function notJson(path: string, what: string): KwqmError {
  return new KwqmError(
    'INVALID_JOB',
    `The job cannot be sent to the daemon as JSON: \`${path}\` is ${what}; give plain data (objects, arrays, strings, finite numbers, booleans, null)`,
    { details: { field: 'spec', path } },
  );
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
