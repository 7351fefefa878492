import { describe, expect, expectTypeOf, it } from 'vitest';
import { functionExecutor } from './function-executor.js';
import type { KwqmError } from './kwqm-error.js';
import { WorkQueue } from './work-queue.js';

describe('functionExecutor', () => {
  it('runs typed async functions with params, context and job', async () => {
    const queue = new WorkQueue({
      executor: functionExecutor({
        add: async (params: { a: number; b: number }, { reportProgress }) => {
          reportProgress({ done: 1, total: 1 });
          return params.a + params.b;
        },
        greet: (params: string, _context, job) => `${params} from ${job.id}`,
      }),
      idPrefix: 'f',
    });
    const sum = await queue.submit({ operation: 'add', params: { a: 2, b: 3 } });
    expectTypeOf(sum.result).toEqualTypeOf<Promise<number>>();
    expect(await sum.result).toBe(5);
    const greeting = await queue.submit({ operation: 'greet', params: 'hi' });
    expectTypeOf(greeting.result).toEqualTypeOf<Promise<string>>();
    expect(await greeting.result).toBe('hi from f-2');
    // @ts-expect-error params are typed per operation
    void queue.submit({ operation: 'add', params: 'not numbers' }).catch(() => {});
  });

  it('gives the function the abort signal of its job', async () => {
    let aborted: boolean | undefined;
    const queue = new WorkQueue({
      executor: functionExecutor({
        wait: (_params: undefined, { signal }) =>
          new Promise<void>((resolve) => {
            signal.addEventListener('abort', () => {
              aborted = signal.aborted;
              resolve();
            });
          }),
      }),
    });
    const handle = await queue.submit({ operation: 'wait', params: undefined });
    queue.cancel(handle.id);
    await queue.drain();
    expect(aborted).toBe(true);
  });

  it('rejects an operation it has no function for with UNKNOWN_OPERATION', async () => {
    const queue = new WorkQueue({ executor: functionExecutor({}) });
    const handle = await queue.submit({ operation: 'missing', params: 1 } as never);
    await expect(handle.result).rejects.toMatchObject({ code: 'UNKNOWN_OPERATION' });
  });

  it('rejects functions that are not functions with INVALID_OPTION', () => {
    let error: KwqmError | undefined;
    try {
      functionExecutor({ broken: 42 as never });
    } catch (caught) {
      error = caught as KwqmError;
    }
    expect(error?.code).toBe('INVALID_OPTION');
  });
});
