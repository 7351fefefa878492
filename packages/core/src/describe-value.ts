import { KwqmError } from './kwqm-error.js';

/** Renders a value for an error message the house way: `` `0` (number) ``. */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'function') text = value.name === '' ? 'function' : value.name;
  else if (typeof value === 'object' && value !== null) text = Array.isArray(value) ? 'array' : 'object';
  else text = String(value);
  const type = value === null ? 'null' : typeof value;
  return `\`${text}\` (${type})`;
}

/**
 * The one shape of a bad-option error:
 * ``Expected `concurrency` to be an integer >= 1, got `0` (number)``.
 */
export function invalidOption(name: string, expectation: string, value: unknown): KwqmError {
  return new KwqmError(
    'INVALID_OPTION',
    `Expected \`${name}\` to be ${expectation}, got ${describeValue(value)}`,
    {
      details: { option: name },
    },
  );
}
