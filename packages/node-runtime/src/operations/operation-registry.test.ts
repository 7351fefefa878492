import { KwqmError } from '@kwqm/core';
import { describe, expect, it } from 'vitest';
import { loadOperationRegistry } from './operation-registry.js';

const fixtures = new URL('../../test/fixtures/pool-operations.mjs', import.meta.url);
const duplicates = new URL('../../test/fixtures/duplicate-operations.mjs', import.meta.url);

describe('loadOperationRegistry', () => {
  it('loads a module listed twice (also as a URL and as its string) once, without a name clash', async () => {
    const registry = await loadOperationRegistry([fixtures, fixtures.href]);
    const names = registry.names();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('add-one');
    expect(registry.get('add-one')).toBeDefined();
  });

  it('still refuses another operation under a taken name with INVALID_OPTION', async () => {
    const error = await loadOperationRegistry([fixtures, duplicates]).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(KwqmError.is(error) && [error.code, error.details?.operation]).toEqual([
      'INVALID_OPTION',
      'add-one',
    ]);
  });
});
