import { invalidOption, KwqmError } from '@kwqm/core';

// The in-memory age API is public (encryptBytes, createAgeEncryptor, …) and called from plain
// JavaScript too: a mistyped option must fail as `INVALID_OPTION` in the house's one message shape,
// not as a TypeError from deep inside (`….map is not a function`).

/** Returns `options` as a record (`undefined` is `{}`); throws `INVALID_OPTION` for a non-object. */
export function readAgeOptions(options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption('options', 'an object', options);
  }
  return options as Record<string, unknown>;
}

/** Throws `INVALID_OPTION` unless `value` is undefined or an array of strings. */
export function checkOptionalStringList(name: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw invalidOption(name, 'an array of strings', value);
  for (const [index, item] of value.entries()) {
    if (typeof item !== 'string') throw invalidOption(`${name}[${index}]`, 'a string', item);
  }
}

/** Throws `INVALID_OPTION` unless `value` is undefined or a string (never echoed: it may be a secret). */
export function checkOptionalSecretString(name: string, value: unknown): void {
  if (value === undefined || typeof value === 'string') return;
  throw new KwqmError('INVALID_OPTION', `Expected \`${name}\` to be a string, got a ${typeof value}`, {
    details: { option: name },
  });
}

/** Throws `INVALID_OPTION` unless `value` is undefined or a boolean. */
export function checkOptionalBoolean(name: string, value: unknown): void {
  if (value === undefined || typeof value === 'boolean') return;
  throw invalidOption(name, 'a boolean', value);
}
