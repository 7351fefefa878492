import { invalidOption, KwqmError } from '@kwqm/core';

// Every options check throws core's one shape (`invalidOption`), so callers and docs see one
// message format: Expected `concurrency` to be an integer >= 1, got `0` (number)

/** Throws `INVALID_OPTION` unless `value` is undefined or an integer in `[min, max]`. */
export function checkOptionalInteger(
  name: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (value === undefined) return;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return;
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  throw invalidOption(name, `an integer ${range}`, value);
}

/** Throws `INVALID_OPTION` unless `value` is undefined, a `URL` or a URL string (`file:`, `data:`…). */
export function checkOptionalUrl(name: string, value: unknown): void {
  if (value === undefined || value instanceof URL) return;
  if (typeof value === 'string' && URL.canParse(value)) return;
  throw invalidOption(name, 'a URL', value);
}

/** Throws `INVALID_OPTION` unless `value` is undefined or an array of URLs. */
export function checkOptionalUrlList(name: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    throw invalidOption(name, 'an array of URLs', value);
  }
  for (const [index, item] of value.entries()) checkOptionalUrl(`${name}[${index}]`, item ?? null);
}

/** Throws `INVALID_OPTION` unless `value` is undefined or a plain object. */
export function checkOptionalObject(name: string, value: unknown): void {
  if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))) return;
  throw invalidOption(name, 'an object', value);
}

/** Throws `INVALID_OPTION` when `options` has a key not in `known` (a typo would silently do nothing). */
export function checkKnownKeys(what: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new KwqmError(
        'INVALID_OPTION',
        `Expected \`${what}\` options to be one of ${known.map((k) => `\`${k}\``).join(', ')}, got \`${key}\``,
        { details: { option: key } },
      );
    }
  }
}
