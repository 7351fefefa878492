import { describe, expect, it } from 'vitest';
import { batchLogLine } from './batch-log-line.js';
import { snapshot } from './test-jobs.js';

describe('batchLogLine', () => {
  it('counts the outcomes and lists every failed file with its job id and code', () => {
    const line = batchLogLine('decrypt', [
      { kind: 'job', input: '/w/a.age', job: snapshot({ id: 'k-1', state: 'succeeded' }) },
      {
        kind: 'job',
        input: '/w/b c.age',
        job: snapshot({
          id: 'k-2',
          state: 'failed',
          error: { name: 'KwqmError', code: 'AGE_WRONG_PASSPHRASE', message: 'no' },
        }),
      },
      { kind: 'job', input: '/w/d.age', job: snapshot({ id: 'k-3', state: 'removed' }) },
      {
        kind: 'not-queued',
        input: '/w/e.age',
        error: { name: 'KwqmError', code: 'QUEUE_CLOSED', message: 'closed' },
      },
    ]);
    expect(line).toBe(
      'decrypt batch of 4 files ended: 1 succeeded, 2 failed, 0 canceled, 1 removed; failed: "/w/b c.age" k-2 AGE_WRONG_PASSPHRASE, "/w/e.age" not queued QUEUE_CLOSED',
    );
  });
});
