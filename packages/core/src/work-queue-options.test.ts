import { describe, expect, it } from 'vitest';
import type { KwqmError } from './kwqm-error.js';
import { WorkQueue } from './work-queue.js';
import type { WorkQueueOptions } from './work-queue-options.js';

const executor = { run: async () => undefined };

function optionError(options: unknown): KwqmError {
  try {
    new WorkQueue(options as WorkQueueOptions);
  } catch (error) {
    return error as KwqmError;
  }
  throw new Error('expected the constructor to throw');
}

describe('WorkQueue options', () => {
  it.each([
    ['concurrency', 0],
    ['concurrency', 1.5],
    ['concurrency', '2'],
    ['concurrency', Number.POSITIVE_INFINITY],
    ['capacity', 0],
    ['capacity', -1],
    ['capacity', Number.NaN],
    ['maxWaitingProducers', -1],
    ['maxWaitingProducers', 0.5],
    ['agingMs', 0],
    ['agingMs', -5],
    ['agingMs', Number.POSITIVE_INFINITY],
    ['agingMs', '10'],
    ['historyLimit', -1],
    ['historyLimit', Number.POSITIVE_INFINITY],
    ['clock', {}],
    ['idPrefix', ''],
    ['idPrefix', 'has space'],
    ['executor', {}],
    ['executor', null],
  ])('rejects %s = %s with INVALID_OPTION naming the option', (option, value) => {
    const error = optionError({ executor, [option]: value });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.details).toEqual({ option });
  });

  it('uses the house message shape', () => {
    expect(optionError({ executor, concurrency: 0 }).message).toBe(
      'Expected `concurrency` to be an integer >= 1, got `0` (number)',
    );
  });

  it.each([
    ['maxWaitingProducer', 0],
    ['concurency', 4],
    ['signal', undefined],
  ])(
    'rejects an unknown option %s (a typo would do nothing) with INVALID_OPTION naming it',
    (option, value) => {
      const error = optionError({ executor, [option]: value });
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.details).toEqual({ option });
    },
  );

  it('rejects a missing options object', () => {
    expect(optionError(undefined).code).toBe('INVALID_OPTION');
  });

  it.each([
    [{ capacity: Number.POSITIVE_INFINITY, maxWaitingProducers: Number.POSITIVE_INFINITY }],
    [{ capacity: 1, maxWaitingProducers: 0, concurrency: 64, agingMs: 0.5, historyLimit: 0 }],
    [{ idPrefix: 'daemon.A_1-x' }],
  ])('accepts valid limits %j', (options) => {
    expect(() => new WorkQueue({ executor, ...options })).not.toThrow();
  });
});
