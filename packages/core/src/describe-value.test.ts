import { describe, expect, it } from 'vitest';
import { describeValue, invalidOption } from './describe-value.js';
import { KwqmError } from './kwqm-error.js';

describe('describeValue', () => {
  it('shows a value and its type, objects only by kind, functions by name', () => {
    expect(describeValue(0)).toBe('`0` (number)');
    expect(describeValue(null)).toBe('`null` (null)');
    expect(describeValue({ secret: 'x' })).toBe('`object` (object)');
    expect(describeValue(['x'])).toBe('`array` (object)');
    expect(describeValue(function named() {})).toBe('`named` (function)');
  });

  it('cuts a long string after 80 characters', () => {
    const shown = describeValue('a'.repeat(5000));
    expect(shown).toBe(`\`${'a'.repeat(80)}…\` (string)`);
  });
});

describe('invalidOption', () => {
  it('is INVALID_OPTION naming the option in details', () => {
    const error = invalidOption('limit', 'an integer >= 1', 0);
    expect(error).toBeInstanceOf(KwqmError);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.details).toEqual({ option: 'limit' });
  });
});
