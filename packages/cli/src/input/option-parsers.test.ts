import { KwqmError } from '@kwqm/core';
import { describe, expect, it } from 'vitest';
import { parseChoice, parseIntegerInRange, parsePriority } from './option-parsers.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof KwqmError ? error.code : 'not a KwqmError';
  }
  return undefined;
}

describe('option parsers', () => {
  it('accepts the three priorities and refuses anything else with INVALID_OPTION', () => {
    expect(parsePriority('high')).toBe('high');
    expect(parsePriority('low')).toBe('low');
    expect(codeOf(() => parsePriority('urgent'))).toBe('INVALID_OPTION');
    expect(codeOf(() => parsePriority('HIGH'))).toBe('INVALID_OPTION');
  });

  it('names the option and the value in the house message shape', () => {
    expect(() => parseChoice('format', ['gzip', 'brotli'], 'zip')).toThrow(
      'Expected `format` to be one of gzip, brotli, got `zip` (string)',
    );
  });

  it('takes only plain decimal integers inside the range', () => {
    expect(parseIntegerInRange('level', 1, 9, '9')).toBe(9);
    expect(parseIntegerInRange('level', 0, 11, '0')).toBe(0);
    for (const bad of ['10', '-1', '1.5', '07', '1e1', '', ' 3', 'x']) {
      expect(codeOf(() => parseIntegerInRange('level', 0, 9, bad))).toBe('INVALID_OPTION');
    }
  });
});
