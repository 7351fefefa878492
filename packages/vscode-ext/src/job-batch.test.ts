import { describe, expect, it } from 'vitest';
import { JobBatch } from './job-batch.js';
import { snapshot } from './test-jobs.js';

describe('JobBatch', () => {
  it('hands back every entry, in selection order, only when the last file has ended', () => {
    const batch = new JobBatch(3);
    const a = { kind: 'job', input: '/w/a', job: snapshot({ id: 'a', state: 'succeeded' }) } as const;
    const b = {
      kind: 'not-queued',
      input: '/w/b',
      error: { name: 'KwqmError', code: 'QUEUE_FULL', message: 'full' },
    } as const;
    const c = { kind: 'job', input: '/w/c', job: snapshot({ id: 'c', state: 'failed' }) } as const;
    expect(batch.settle(2, c)).toBeUndefined();
    expect(batch.settle(0, a)).toBeUndefined();
    // A second report of a file changes nothing.
    expect(batch.settle(0, c)).toBeUndefined();
    expect(batch.settle(1, b)).toEqual([a, b, c]);
  });

  it('refuses a size below 1 and an index outside the batch (INVALID_OPTION)', () => {
    expect(() => new JobBatch(0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => new JobBatch(1.5)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    const batch = new JobBatch(2);
    const entry = { kind: 'job', input: '/w/a', job: snapshot({ id: 'a', state: 'succeeded' }) } as const;
    expect(() => batch.settle(2, entry)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(batch.size).toBe(2);
  });
});
