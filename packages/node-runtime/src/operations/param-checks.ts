import { describeValue, KwqmError } from '@kwqm/core';

// Checks of a job's params inside an operation, in the house message shape, failing with
// `INVALID_JOB`: a job comes from any client (CLI, daemon socket, extension), so the worker
// cannot trust its types.

function invalid(name: string, expected: string, value: unknown): KwqmError {
  return new KwqmError('INVALID_JOB', `Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`, {
    details: { field: name },
  });
}

/**
 * The params object itself, with no field outside `known`: a misspelt one (`armour: true`) would
 * otherwise be ignored and the job would run with the default. A field set to `undefined` counts
 * as absent, as it does once the job crosses to the daemon as JSON.
 */
export function requireParams(value: unknown, known: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('params', 'an object', value);
  }
  const params = value as Record<string, unknown>;
  refuseUnknownFields('params', params, known);
  return params;
}

function refuseUnknownFields(where: string, object: Record<string, unknown>, known: readonly string[]): void {
  for (const [name, field] of Object.entries(object)) {
    if (field === undefined || known.includes(name)) continue;
    throw new KwqmError(
      'INVALID_JOB',
      `Unknown field \`${name}\` in \`${where}\` (expected ${known.map((each) => `\`${each}\``).join(', ')})`,
      { details: { field: name } },
    );
  }
}

/**
 * A job's secrets, when given, as an object with no field outside `known`: a bare string
 * (`secrets: 'pw'` for `{ passphrase: 'pw' }`) would otherwise read as no passphrase at all, and a
 * params field put there (`workFactor`) would be ignored. Never echoes a value.
 */
export function checkSecretsObject(secrets: unknown, known: readonly string[]): void {
  if (secrets === undefined) return;
  if (typeof secrets === 'object' && secrets !== null && !Array.isArray(secrets)) {
    refuseUnknownFields('secrets', secrets as Record<string, unknown>, known);
    return;
  }
  const type = secrets === null ? 'null' : Array.isArray(secrets) ? 'array' : typeof secrets;
  throw new KwqmError('INVALID_JOB', `Expected \`secrets\` to be an object, got a ${type}`, {
    details: { field: 'secrets' },
  });
}

/** A non-empty path string. */
export function requirePath(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(name, 'a non-empty path', value);
  return value;
}

/** An optional non-empty path string. */
export function optionalPath(name: string, value: unknown): string | undefined {
  return value === undefined ? undefined : requirePath(name, value);
}

/** An optional boolean, `false` when absent. */
export function optionalFlag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(name, 'a boolean', value);
  return value;
}

/** One of `choices`, or `fallback` when absent. */
export function optionalChoice<T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw invalid(name, `one of ${choices.map((choice) => `'${choice}'`).join(', ')}`, value);
}

/** An integer in `[min, max]`, or `fallback` when absent. */
export function optionalIntegerInRange(
  name: string,
  value: unknown,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw invalid(name, `an integer from ${min} to ${max}`, value);
}
