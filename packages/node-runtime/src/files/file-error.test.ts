import { KwqmError } from '@kwqm/core';
import { describe, expect, it } from 'vitest';
import { fileError } from './file-error.js';

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: from the system`), { code });
}

describe('fileError', () => {
  it('keeps the code of the errno names it knows, with the path and the errno', () => {
    for (const code of ['ENOENT', 'EACCES', 'EISDIR', 'EEXIST', 'ENOSPC']) {
      const error = fileError(errnoError(code), '/data/x');
      expect(error.code).toBe(code);
      expect(error.errno).toBe(code);
      expect(error.details).toEqual({ path: '/data/x' });
    }
  });

  it('folds kindred errno names into the nearest code, keeps their errno and says what happened', () => {
    const folded: Record<string, string> = {
      EROFS: 'EACCES',
      EPERM: 'EACCES',
      ENOTDIR: 'ENOENT',
      EDQUOT: 'ENOSPC',
      EFBIG: 'ENOSPC',
    };
    const messages = new Set<string>();
    for (const [errno, code] of Object.entries(folded)) {
      const error = fileError(errnoError(errno), '/mnt/ro/x.age');
      expect(error.code).toBe(code);
      expect(error.errno).toBe(errno);
      messages.add(error.message);
    }
    // Each says its own reason: a read-only mount is not reported as a permission problem.
    expect(messages.size).toBe(Object.keys(folded).length);
    expect(fileError(errnoError('EROFS'), 'p').message).not.toBe(
      fileError(errnoError('EACCES'), 'p').message,
    );
  });

  it('makes anything else IO_ERROR and lets a KwqmError through', () => {
    expect(fileError(errnoError('EIO'), 'p').code).toBe('IO_ERROR');
    expect(fileError(new Error('odd'), 'p').code).toBe('IO_ERROR');
    const original = new KwqmError('SAME_FILE', 'same');
    expect(fileError(original, 'p').code).toBe('SAME_FILE');
  });
});
