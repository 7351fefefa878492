import { KwqmError, PRIORITIES, type Priority } from '@kwqm/core';

// Every bad value gets the house message shape:
//   Expected `priority` to be one of high, medium, low, got `urgent` (string)
// Values from the command line are always strings, hence `(string)`.

function invalid(name: string, expectation: string, value: string): KwqmError {
  return new KwqmError(
    'INVALID_OPTION',
    `Expected \`${name}\` to be ${expectation}, got \`${value}\` (string)`,
    {
      details: { option: name },
    },
  );
}

/** One of a fixed list of words. */
export function parseChoice<T extends string>(name: string, choices: readonly T[], value: string): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw invalid(name, `one of ${choices.join(', ')}`, value);
}

/** `high`, `medium` or `low`. */
export function parsePriority(value: string, name = 'priority'): Priority {
  return parseChoice(name, PRIORITIES, value);
}

/** A decimal integer within `[min, max]`; `07`, `1e3` and `2.0` are refused. */
export function parseIntegerInRange(name: string, min: number, max: number, value: string): number {
  const number = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max || String(number) !== value) {
    throw invalid(name, `an integer from ${min} to ${max}`, value);
  }
  return number;
}
