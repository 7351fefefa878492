import { KwqmError } from './kwqm-error.js';

/** Strings longer than this are cut (with `…`) in messages: a label or a path pasted by mistake can be huge. */
const SHOWN_STRING_LENGTH = 80;

/**
 * Renders a value for an error message the house way: `` `0` (number) ``. Strings are shown
 * (cut after 80 characters), functions by name, objects and arrays as `object` / `array` only.
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string')
    text = value.length > SHOWN_STRING_LENGTH ? `${value.slice(0, SHOWN_STRING_LENGTH)}…` : value;
  else if (typeof value === 'function') text = value.name === '' ? 'function' : value.name;
  else if (typeof value === 'object' && value !== null) text = Array.isArray(value) ? 'array' : 'object';
  else text = String(value);
  const type = value === null ? 'null' : typeof value;
  return `\`${text}\` (${type})`;
}

/**
 * The one shape of a bad-option error, `INVALID_OPTION` with `details.option`:
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
