import { describe, expect, it } from 'vitest';
import { daemonOptionsFromEnv } from './daemon-options-from-env.js';

describe('daemonOptionsFromEnv', () => {
  it('reads every option', () => {
    expect(
      daemonOptionsFromEnv({
        KWQM_CONCURRENCY: '3',
        KWQM_CAPACITY: 'Infinity',
        KWQM_MAX_WAITING_PRODUCERS: '0',
        KWQM_HISTORY_LIMIT: '10',
        KWQM_HELLO_TIMEOUT_MS: '2500',
        KWQM_LOG_LEVEL: 'warn',
        KWQM_OPERATIONS: '/a/ops.mjs:/b/more.mjs',
      }),
    ).toEqual({
      concurrency: 3,
      capacity: Number.POSITIVE_INFINITY,
      maxWaitingProducers: 0,
      historyLimit: 10,
      helloTimeoutMs: 2500,
      logLevel: 'warn',
      operations: ['file:///a/ops.mjs', 'file:///b/more.mjs'],
    });
  });

  it('takes a JSON array of URLs for operations', () => {
    expect(daemonOptionsFromEnv({ KWQM_OPERATIONS: '["file:///x/y.mjs", "/z.mjs"]' }).operations).toEqual([
      'file:///x/y.mjs',
      'file:///z.mjs',
    ]);
  });

  it('leaves unset and empty variables to the defaults', () => {
    expect(daemonOptionsFromEnv({ KWQM_CONCURRENCY: '', KWQM_LOG_LEVEL: '' })).toEqual({});
  });

  it.each([
    { KWQM_CONCURRENCY: '0' },
    { KWQM_CONCURRENCY: 'Infinity' },
    { KWQM_CONCURRENCY: '1.5' },
    { KWQM_CAPACITY: 'lots' },
    { KWQM_MAX_WAITING_PRODUCERS: '-1' },
    { KWQM_HISTORY_LIMIT: 'x' },
    { KWQM_HELLO_TIMEOUT_MS: '0' },
    { KWQM_LOG_LEVEL: 'loud' },
    { KWQM_OPERATIONS: 'relative/ops.mjs' },
    { KWQM_OPERATIONS: '[1, 2]' },
    { KWQM_OPERATIONS: '[not json' },
  ])('rejects %j with INVALID_OPTION', (env) => {
    expect(() => daemonOptionsFromEnv(env)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('takes the worker entry of a bundled daemon from KWQM_WORKER_URL, as a URL or an absolute path', () => {
    expect(daemonOptionsFromEnv({ KWQM_WORKER_URL: '/opt/app/worker.cjs' }).workerUrl).toBe(
      'file:///opt/app/worker.cjs',
    );
    expect(daemonOptionsFromEnv({ KWQM_WORKER_URL: 'file:///opt/app/worker.cjs' }).workerUrl).toBe(
      'file:///opt/app/worker.cjs',
    );
    let error: unknown;
    try {
      daemonOptionsFromEnv({ KWQM_WORKER_URL: 'worker.cjs' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'INVALID_OPTION', details: { option: 'KWQM_WORKER_URL' } });
  });
});
