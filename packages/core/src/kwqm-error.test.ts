import { describe, expect, it } from 'vitest';
import { KwqmError } from './kwqm-error.js';

describe('KwqmError.fromJSON', () => {
  it('keeps only the details the type promises (strings, finite numbers, booleans), so the error stays JSON', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const error = KwqmError.fromJSON({
      name: 'KwqmError',
      code: 'INVALID_JOB',
      message: 'bad',
      details: {
        field: 'size',
        limit: 3,
        strict: true,
        big: 10n,
        nested: cycle,
        nan: Number.NaN,
        gone: undefined,
      },
    });
    expect(error.code).toBe('INVALID_JOB');
    expect(error.details).toEqual({ field: 'size', limit: 3, strict: true });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'KwqmError',
      code: 'INVALID_JOB',
      message: 'bad',
      errno: 'EINVAL',
      details: { field: 'size', limit: 3, strict: true },
    });
  });

  it('drops details that are not an object', () => {
    expect(KwqmError.fromJSON({ code: 'INTERNAL', message: 'x', details: [1, 2] }).details).toBeUndefined();
    expect(KwqmError.fromJSON({ code: 'INTERNAL', message: 'x', details: 'text' }).details).toBeUndefined();
  });

  it('rebuilds another copy of the class through from() with the same filter', () => {
    const foreign = {
      name: 'KwqmError',
      code: 'ENOENT',
      message: 'missing',
      details: { path: '/x', size: 1n },
    };
    const error = KwqmError.from(foreign);
    expect(error).toBeInstanceOf(KwqmError);
    expect(error.details).toEqual({ path: '/x' });
  });
});
