import { describe, expect, it } from 'vitest';
import type { JobProgress, RunnableJob } from './job.js';
import { KwqmError } from './kwqm-error.js';
import { ManualClock } from './manual-clock.js';
import type { QueueEvent } from './queue-events.js';
import { DeferredExecutor, flush } from './testing/deferred-executor.js';
import { WorkQueue } from './work-queue.js';

function setup(options: Partial<ConstructorParameters<typeof WorkQueue>[0]> = {}) {
  const executor = new DeferredExecutor();
  const clock = new ManualClock(1000);
  const queue = new WorkQueue({ executor, clock, idPrefix: 'q', ...options });
  const events: QueueEvent[] = [];
  queue.subscribe((event) => events.push(event));
  return { executor, clock, queue, events };
}

const job = (params: unknown, priority?: 'high' | 'medium' | 'low') =>
  priority === undefined ? { operation: 'op', params } : { operation: 'op', params, priority };

async function rejection(promise: Promise<unknown>): Promise<KwqmError> {
  try {
    await promise;
  } catch (error) {
    return error as KwqmError;
  }
  throw new Error('expected a rejection');
}

function thrown(call: () => unknown): KwqmError {
  try {
    call();
  } catch (error) {
    return error as KwqmError;
  }
  throw new Error('expected a throw');
}

describe('WorkQueue dispatch', () => {
  it('runs high before medium before low, FIFO inside a level', async () => {
    const { executor, queue } = setup();
    await queue.submit(job('first'));
    for (const [params, priority] of [
      ['l1', 'low'],
      ['m1', 'medium'],
      ['h1', 'high'],
      ['l2', 'low'],
      ['h2', 'high'],
      ['m2', 'medium'],
    ] as const) {
      await queue.submit(job(params, priority));
    }
    while (executor.pending.length > 0) {
      executor.pending[0]?.resolve(undefined);
      await flush();
    }
    expect(executor.runs.map((run) => run.job.params)).toEqual(['first', 'h1', 'h2', 'm1', 'm2', 'l1', 'l2']);
  });

  it('never runs more than `concurrency` jobs and fills a free slot at once', async () => {
    const { executor, queue } = setup({ concurrency: 2 });
    const handles = [];
    for (let index = 0; index < 5; index++) handles.push(await queue.submit(job(index)));
    expect(executor.pending.map((run) => run.job.params)).toEqual([0, 1]);
    expect(queue.runningCount).toBe(2);
    expect(queue.size).toBe(3);
    executor.runOf(handles[1]?.id as string).resolve('one');
    await flush();
    expect(executor.pending.map((run) => run.job.params)).toEqual([0, 2]);
    expect(await handles[1]?.result).toBe('one');
  });

  it('hands the executor the spec with id and priority, and starts synchronously when a slot is free', () => {
    const { executor, queue } = setup();
    void queue.submit({
      operation: 'op',
      params: { a: 1 },
      secrets: { key: 'k' },
      priority: 'low',
      label: 'L',
    });
    expect(executor.runs[0]?.job).toEqual({
      id: 'q-1',
      operation: 'op',
      params: { a: 1 },
      secrets: { key: 'k' },
      priority: 'low',
    });
  });

  it('emits queued, started and succeeded with snapshots, and keeps the result in the history', async () => {
    const { executor, queue, events, clock } = setup();
    const handle = await queue.submit({ operation: 'op', params: 1, secrets: 'hidden', label: 'one' });
    clock.advance(5);
    executor.runOf(handle.id).resolve(42);
    expect(await handle.result).toBe(42);
    expect(events.map((event) => event.type)).toEqual(['queued', 'started', 'succeeded']);
    const finished = queue.get(handle.id);
    expect(finished).toEqual({
      id: handle.id,
      operation: 'op',
      params: 1,
      priority: 'medium',
      state: 'succeeded',
      label: 'one',
      createdAt: 1000,
      startedAt: 1000,
      finishedAt: 1005,
      result: 42,
    });
    expect(JSON.stringify(events)).not.toContain('hidden');
  });

  it('treats a non-promise answer and a synchronous throw of the executor as settled results', async () => {
    const queue = new WorkQueue({
      executor: {
        run: (runnable: RunnableJob) => {
          if (runnable.params === 'throw') throw new Error('sync');
          return runnable.params as unknown as Promise<unknown>;
        },
      },
    });
    const plain = await queue.submit(job('plain'));
    const throwing = await queue.submit(job('throw'));
    expect(await plain.result).toBe('plain');
    const error = await rejection(throwing.result);
    expect(error.code).toBe('OPERATION_FAILED');
    expect((error.cause as Error).message).toBe('sync');
  });
});

describe('WorkQueue errors from the executor', () => {
  it('keeps a KwqmError code and wraps anything else as OPERATION_FAILED with its cause', async () => {
    const { executor, queue, events } = setup({ concurrency: 2 });
    const coded = await queue.submit(job(1));
    const plain = await queue.submit(job(2));
    const cause = new TypeError('boom');
    executor.runOf(coded.id).reject(new KwqmError('ENOENT', 'missing', { details: { path: '/x' } }));
    executor.runOf(plain.id).reject(cause);
    const codedError = await rejection(coded.result);
    expect(codedError).toBeInstanceOf(KwqmError);
    expect(codedError.code).toBe('ENOENT');
    const plainError = await rejection(plain.result);
    expect(plainError.code).toBe('OPERATION_FAILED');
    expect(plainError.cause).toBe(cause);
    expect(queue.get(coded.id)?.state).toBe('failed');
    expect(queue.get(coded.id)?.error).toMatchObject({ name: 'KwqmError', code: 'ENOENT' });
    expect(events.filter((event) => event.type === 'failed')).toHaveLength(2);
  });

  it('raises no unhandled rejection when the submitter never looks at the result', async () => {
    // vitest fails the run on an unhandled rejection, so reaching the end is the assertion's other half.
    const { executor, queue } = setup();
    const handle = await queue.submit(job(1));
    const early = handle.result; // read before the failure, never awaited
    executor.runOf(handle.id).reject(new Error('ignored'));
    await flush();
    const untouched = await queue.submit(job(2));
    executor.runOf(untouched.id).reject(new Error('never read'));
    await flush();
    expect(queue.get(handle.id)?.state).toBe('failed');
    expect((await rejection(early)).code).toBe('OPERATION_FAILED');
    expect((await rejection(untouched.result)).code).toBe('OPERATION_FAILED');
  });
});

describe('WorkQueue throttling', () => {
  it('lets producers wait FIFO while full and rejects past maxWaitingProducers with QUEUE_FULL / ENOSPC', async () => {
    const { executor, queue } = setup({ capacity: 1, maxWaitingProducers: 2 });
    const running = await queue.submit(job('running'));
    await queue.submit(job('queued'));
    const order: string[] = [];
    const first = queue.submit(job('w1')).then((handle) => order.push(`w1:${handle.id}`));
    const second = queue.submit(job('w2')).then((handle) => order.push(`w2:${handle.id}`));
    expect(queue.waitingProducers).toBe(2);
    const full = await rejection(queue.submit(job('rejected')));
    expect(full.code).toBe('QUEUE_FULL');
    expect(full.errno).toBe('ENOSPC');
    expect(full.details).toEqual({ capacity: 1, maxWaitingProducers: 2 });
    executor.runOf(running.id).resolve(undefined);
    await flush();
    expect(order).toEqual(['w1:q-3']);
    executor.pending[0]?.resolve(undefined);
    await Promise.all([first, flush()]);
    executor.pending[0]?.resolve(undefined);
    await second;
    expect(order).toEqual(['w1:q-3', 'w2:q-4']);
    expect(queue.waitingProducers).toBe(0);
  });

  it('rejects at once when maxWaitingProducers is 0', async () => {
    const { queue } = setup({ capacity: 1, maxWaitingProducers: 0 });
    await queue.submit(job(1));
    await queue.submit(job(2));
    expect((await rejection(queue.submit(job(3)))).code).toBe('QUEUE_FULL');
  });

  it('counts queued jobs only, not running ones', async () => {
    const { queue } = setup({ capacity: 2, maxWaitingProducers: 0, concurrency: 2 });
    for (let index = 0; index < 4; index++) await queue.submit(job(index));
    expect(queue.runningCount).toBe(2);
    expect(queue.size).toBe(2);
    expect((await rejection(queue.submit(job(5)))).code).toBe('QUEUE_FULL');
  });

  it("rejects a waiting submit with its signal's reason when aborted, freeing its place", async () => {
    const { executor, queue } = setup({ capacity: 1, maxWaitingProducers: 1 });
    const running = await queue.submit(job('running'));
    await queue.submit(job('queued'));
    const controller = new AbortController();
    const waiting = queue.submit(job('aborted'), { signal: controller.signal });
    expect((await rejection(queue.submit(job('over')))).code).toBe('QUEUE_FULL');
    const reason = new Error('changed my mind');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(queue.waitingProducers).toBe(0);
    const next = queue.submit(job('next'));
    executor.runOf(running.id).resolve(undefined);
    expect((await next).id).toBe('q-3');
    expect(executor.runs.map((run) => run.job.params)).not.toContain('aborted');
  });

  it('rejects a submit whose signal was aborted before the call, with or without room', async () => {
    const { queue } = setup({ capacity: 1 });
    const controller = new AbortController();
    const reason = new Error('already');
    controller.abort(reason);
    await expect(queue.submit(job(1), { signal: controller.signal })).rejects.toBe(reason);
    await queue.submit(job(2));
    await queue.submit(job(3));
    await expect(queue.submit(job(4), { signal: controller.signal })).rejects.toBe(reason);
    expect(queue.waitingProducers).toBe(0);
  });

  it('admits a waiting producer when a queued job is removed or canceled', async () => {
    const { queue } = setup({ capacity: 1 });
    await queue.submit(job('running'));
    const queued = await queue.submit(job('queued'));
    const waiting = queue.submit(job('waiting'));
    queue.remove(queued.id);
    const admitted = await waiting;
    const another = queue.submit(job('another'));
    queue.cancel(admitted.id);
    expect((await another).id).toBe('q-4');
  });
});

describe('WorkQueue job times and results', () => {
  it("reports the clock's own times, to the fraction, also when they are far from small integers", async () => {
    // Inside, the queue keeps times since it was made (small integers); snapshots must not show it.
    const start = 1_795_000_000_000.25;
    const clock = new ManualClock(start);
    const { executor, queue } = setup({ clock, agingMs: 100 });
    const running = await queue.submit(job('running'));
    clock.advance(10.5);
    const queued = await queue.submit(job('queued', 'low'));
    clock.advance(100.125); // ages the low job into medium
    executor.pending[0]?.resolve('done');
    await flush();
    expect(queue.get(running.id)).toMatchObject({
      createdAt: start,
      startedAt: start,
      finishedAt: start + 110.625,
    });
    expect(queue.get(queued.id)).toMatchObject({
      createdAt: start + 10.5,
      startedAt: start + 110.625,
      priority: 'medium',
    });
    const restored = queue.restore(job('restored'), { id: 'old-1', createdAt: 12.75 });
    expect(queue.get(restored.id)?.createdAt).toBe(12.75);
  });

  it('gives no startedAt to a job that ended without starting, and keeps it for one that started', async () => {
    const { executor, queue } = setup();
    const running = await queue.submit(job('running'));
    const removed = await queue.submit(job('removed'));
    const canceled = await queue.submit(job('canceled'));
    queue.remove(removed.id);
    queue.cancel(canceled.id);
    queue.cancel(running.id);
    executor.pending[0]?.reject(new Error('stopped'));
    await flush();
    expect(queue.get(removed.id)).not.toHaveProperty('startedAt');
    expect(queue.get(canceled.id)).not.toHaveProperty('startedAt');
    expect(queue.get(running.id)).toMatchObject({ state: 'canceled', startedAt: 1000 });
  });

  it("keeps a job's result, undefined included, for the handle and the snapshot", async () => {
    const { executor, queue } = setup();
    const nothing = await queue.submit(job('nothing'));
    const something = await queue.submit(job('something'));
    executor.pending[0]?.resolve(undefined);
    await flush();
    executor.pending[0]?.resolve({ bytes: 3 });
    await flush();
    await expect(nothing.result).resolves.toBeUndefined();
    await expect(something.result).resolves.toEqual({ bytes: 3 });
    expect(queue.get(nothing.id)).toMatchObject({ state: 'succeeded', result: undefined });
    expect(queue.get(something.id)).toMatchObject({ state: 'succeeded', result: { bytes: 3 } });
  });
});

describe('WorkQueue management', () => {
  it('removes a queued job: it ends removed and its result rejects REMOVED', async () => {
    const { queue, events } = setup();
    await queue.submit(job(1));
    const queued = await queue.submit(job(2));
    const snapshot = queue.remove(queued.id);
    expect(snapshot.state).toBe('removed');
    expect((await rejection(queued.result)).code).toBe('REMOVED');
    expect(events.at(-1)).toMatchObject({ type: 'removed', job: { id: queued.id } });
    expect(queue.size).toBe(0);
  });

  it('answers JOB_NOT_FOUND for unknown ids and INVALID_STATE for running or finished jobs', async () => {
    const { executor, queue } = setup();
    const running = await queue.submit(job(1));
    expect(thrown(() => queue.remove('nope')).code).toBe('JOB_NOT_FOUND');
    expect(thrown(() => queue.setPriority('nope', 'high')).code).toBe('JOB_NOT_FOUND');
    expect(thrown(() => queue.cancel('nope')).code).toBe('JOB_NOT_FOUND');
    const removeRunning = thrown(() => queue.remove(running.id));
    expect(removeRunning.code).toBe('INVALID_STATE');
    expect(removeRunning.details).toMatchObject({ id: running.id, state: 'running' });
    expect(thrown(() => queue.setPriority(running.id, 'high')).code).toBe('INVALID_STATE');
    executor.runOf(running.id).resolve(undefined);
    await flush();
    expect(thrown(() => queue.remove(running.id)).details).toMatchObject({ state: 'succeeded' });
    expect(thrown(() => queue.cancel(running.id)).code).toBe('INVALID_STATE');
  });

  it('moves a re-prioritised job to the tail of its new level and says so', async () => {
    const { executor, queue, events } = setup();
    await queue.submit(job('running'));
    const a = await queue.submit(job('a', 'high'));
    await queue.submit(job('b', 'high'));
    const c = await queue.submit(job('c', 'low'));
    expect(queue.setPriority(c.id, 'high').priority).toBe('high');
    expect(events.at(-1)).toMatchObject({ type: 'priority-changed', from: 'low', job: { priority: 'high' } });
    queue.setPriority(a.id, 'high');
    expect(queue.list().map((snapshot) => snapshot.params)).toEqual(['running', 'b', 'c', 'a']);
    expect(thrown(() => queue.setPriority(a.id, 'urgent' as 'high')).code).toBe('INVALID_JOB');
    executor.pending[0]?.resolve(undefined);
    await flush();
    expect(executor.pending[0]?.job).toMatchObject({ params: 'b' });
  });

  it('cancels a running job: aborts its signal, keeps it running until the executor rejects, then ends canceled once', async () => {
    const { executor, queue, events } = setup();
    const running = await queue.submit(job(1));
    const next = await queue.submit(job(2));
    const { signal } = executor.runOf(running.id).context;
    let settled = false;
    const outcome = rejection(running.result).then((error) => {
      settled = true;
      return error;
    });
    const snapshot = queue.cancel(running.id);
    expect(snapshot).toMatchObject({ state: 'running', cancelRequested: true });
    expect(signal.aborted).toBe(true);
    expect((signal.reason as KwqmError).code).toBe('CANCELED');
    await flush();
    expect(settled).toBe(false);
    expect(events.some((event) => event.type === 'canceled')).toBe(false);
    expect(queue.get(running.id)).toMatchObject({ state: 'running', cancelRequested: true });
    expect(queue.list().map((job) => [job.id, job.state])).toEqual([
      [running.id, 'running'],
      [next.id, 'queued'],
    ]);
    expect(queue.runningCount).toBe(1);
    expect(queue.get(next.id)?.state).toBe('queued');
    expect(thrown(() => queue.remove(running.id)).code).toBe('INVALID_STATE');
    expect(thrown(() => queue.setPriority(running.id, 'high')).code).toBe('INVALID_STATE');
    // A second cancel is harmless.
    expect(queue.cancel(running.id)).toMatchObject({ state: 'running', cancelRequested: true });
    executor.runOf(running.id).reject(new Error('stopped on abort'));
    await flush();
    const error = await outcome;
    expect(error.code).toBe('CANCELED');
    expect(error).toBe(signal.reason);
    const canceledEvents = events.filter((event) => event.type === 'canceled');
    expect(canceledEvents).toHaveLength(1);
    expect(canceledEvents[0]).toMatchObject({
      job: { id: running.id, state: 'canceled', error: { code: 'CANCELED' } },
    });
    expect(canceledEvents[0]).not.toHaveProperty('job.cancelRequested');
    expect(queue.get(running.id)?.state).toBe('canceled');
    expect(queue.get(next.id)?.state).toBe('running');
  });

  it('ends a canceled running job succeeded with its result when the executor resolves anyway', async () => {
    const { executor, queue, events } = setup();
    const running = await queue.submit(job(1));
    queue.cancel(running.id);
    executor.runOf(running.id).resolve('done anyway');
    expect(await running.result).toBe('done anyway');
    expect(queue.get(running.id)).toMatchObject({ state: 'succeeded', result: 'done anyway' });
    expect(queue.get(running.id)).not.toHaveProperty('cancelRequested');
    expect(events.filter((event) => event.type === 'succeeded')).toHaveLength(1);
    expect(events.some((event) => event.type === 'canceled')).toBe(false);
  });

  it('drops progress a canceled running job reports while it stops', async () => {
    const { executor, queue, events } = setup();
    const running = await queue.submit(job(1));
    const { context } = executor.runOf(running.id);
    context.reportProgress({ done: 1, total: 4 });
    queue.cancel(running.id);
    context.reportProgress({ done: 2, total: 4 });
    expect(events.filter((event) => event.type === 'progress')).toHaveLength(1);
    expect(queue.get(running.id)?.progress).toEqual({ done: 1, total: 4 });
  });

  it('gives an executor that reads the signal after a cancel an aborted signal', async () => {
    const { executor, queue } = setup();
    const running = await queue.submit(job(1));
    const { context } = executor.runOf(running.id);
    queue.cancel(running.id);
    expect(context.signal.aborted).toBe(true);
  });

  it('cancels a queued job: it ends canceled without running', async () => {
    const { executor, queue } = setup();
    await queue.submit(job(1));
    const queued = await queue.submit(job(2));
    expect(queue.cancel(queued.id).state).toBe('canceled');
    expect((await rejection(queued.result)).code).toBe('CANCELED');
    executor.pending[0]?.resolve(undefined);
    await queue.drain();
    expect(executor.runs).toHaveLength(1);
  });

  it('lists running, then queued in dispatch order, then finished newest first', async () => {
    const { executor, queue } = setup({ concurrency: 2 });
    const a = await queue.submit(job('a'));
    const b = await queue.submit(job('b'));
    await queue.submit(job('c', 'low'));
    await queue.submit(job('d', 'high'));
    executor.runOf(b.id).resolve(undefined);
    await flush();
    executor.runOf(a.id).resolve(undefined);
    await flush();
    expect(queue.list().map((snapshot) => [snapshot.params, snapshot.state])).toEqual([
      ['d', 'running'],
      ['c', 'running'],
    ]);
    expect(queue.list({ includeFinished: true }).map((snapshot) => snapshot.params)).toEqual([
      'd',
      'c',
      'a',
      'b',
    ]);
  });

  it('keeps at most historyLimit finished jobs', async () => {
    const { executor, queue } = setup({ historyLimit: 2 });
    const handles = [];
    for (let index = 0; index < 4; index++) {
      const handle = await queue.submit(job(index));
      handles.push(handle);
      executor.runOf(handle.id).resolve(index);
      await flush();
    }
    expect(queue.list({ includeFinished: true }).map((snapshot) => snapshot.params)).toEqual([3, 2]);
    expect(queue.get(handles[0]?.id as string)).toBeUndefined();
    expect(queue.get(handles[3]?.id as string)?.result).toBe(3);
  });

  it('forgets finished jobs at once with historyLimit 0', async () => {
    const { executor, queue } = setup({ historyLimit: 0 });
    const handle = await queue.submit(job(1));
    executor.runOf(handle.id).resolve(1);
    expect(await handle.result).toBe(1);
    expect(queue.get(handle.id)).toBeUndefined();
    expect(thrown(() => queue.cancel(handle.id)).code).toBe('JOB_NOT_FOUND');
  });
});

describe('WorkQueue progress and events', () => {
  it('forwards progress to the handle, to progress events and to the snapshot', async () => {
    const { executor, queue, events } = setup();
    const handle = await queue.submit(job(1));
    const seen: JobProgress[] = [];
    const unsubscribe = handle.onProgress((progress) => seen.push(progress));
    const { reportProgress } = executor.runOf(handle.id).context;
    reportProgress({ done: 1, total: 4, unit: 'bytes' });
    unsubscribe();
    reportProgress({ done: 2, total: 4, unit: 'bytes' });
    expect(seen).toEqual([{ done: 1, total: 4, unit: 'bytes' }]);
    expect(events.filter((event) => event.type === 'progress')).toEqual([
      { type: 'progress', jobId: handle.id, progress: { done: 1, total: 4, unit: 'bytes' } },
      { type: 'progress', jobId: handle.id, progress: { done: 2, total: 4, unit: 'bytes' } },
    ]);
    expect(queue.get(handle.id)?.progress).toEqual({ done: 2, total: 4, unit: 'bytes' });
    executor.runOf(handle.id).resolve(undefined);
    await flush();
    reportProgress({ done: 3 });
    expect(queue.get(handle.id)?.progress).toEqual({ done: 2, total: 4, unit: 'bytes' });
  });

  it('delivers events of one type with on(), until unsubscribed', async () => {
    const { executor, queue } = setup();
    const started: string[] = [];
    const stop = queue.on('started', (event) => started.push(event.job.id));
    const first = await queue.submit(job(1));
    executor.runOf(first.id).resolve(undefined);
    await flush();
    stop();
    stop();
    await queue.submit(job(2));
    expect(started).toEqual([first.id]);
  });

  it('lets a queued listener cancel the job it is told about', async () => {
    const { executor, queue } = setup();
    queue.on('queued', (event) => {
      if (event.job.params === 'cancel me') queue.cancel(event.job.id);
    });
    const handle = await queue.submit(job('cancel me'));
    expect((await rejection(handle.result)).code).toBe('CANCELED');
    expect(executor.runs).toHaveLength(0);
  });

  it('never hands the executor a job a started listener canceled', async () => {
    const { executor, queue } = setup();
    queue.on('started', (event) => {
      if (event.job.params === 'cancel me') queue.cancel(event.job.id);
    });
    const canceled = await queue.submit(job('cancel me'));
    const next = await queue.submit(job('next'));
    expect((await rejection(canceled.result)).code).toBe('CANCELED');
    expect(executor.runs.map((run) => run.job.params)).toEqual(['next']);
    expect(queue.runningCount).toBe(1);
    executor.runOf(next.id).resolve(undefined);
    await queue.drain();
  });

  it('keeps working when a listener throws', async () => {
    const { executor, queue } = setup();
    const reported: unknown[] = [];
    const onUnhandled = (reason: unknown) => reported.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      queue.on('started', () => {
        throw new Error('listener bug');
      });
      const handle = await queue.submit(job(1));
      executor.runOf(handle.id).resolve('fine');
      expect(await handle.result).toBe('fine');
      await flush();
      expect(reported).toEqual([expect.objectContaining({ message: 'listener bug' })]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('WorkQueue aging', () => {
  it('moves a waiting job up one level after agingMs, to the tail, using the clock', async () => {
    const { executor, queue, clock, events } = setup({ agingMs: 100 });
    await queue.submit(job('running'));
    const low = await queue.submit(job('low', 'low'));
    clock.advance(50);
    await queue.submit(job('medium'));
    clock.advance(50);
    expect(queue.get(low.id)?.priority).toBe('medium');
    expect(queue.list().map((snapshot) => snapshot.params)).toEqual(['running', 'medium', 'low']);
    expect(events.at(-1)).toMatchObject({ type: 'priority-changed', from: 'low' });
    clock.advance(50);
    // `medium` waited 100 ms at its level and moves up; `low` entered medium only 50 ms ago.
    expect(queue.list().map((snapshot) => [snapshot.params, snapshot.priority])).toEqual([
      ['running', 'medium'],
      ['medium', 'high'],
      ['low', 'medium'],
    ]);
    clock.advance(50);
    expect(queue.get(low.id)?.priority).toBe('high');
    expect(clock.pendingTimers).toBe(0);
    executor.pending[0]?.resolve(undefined);
    await flush();
    expect(executor.pending[0]?.job.params).toBe('medium');
  });

  it('holds no timer when nothing below high waits, and none at all without agingMs', async () => {
    const aging = setup({ agingMs: 10 });
    const first = await aging.queue.submit(job(1));
    expect(aging.clock.pendingTimers).toBe(0);
    await aging.queue.submit(job(2, 'low'));
    expect(aging.clock.pendingTimers).toBe(1);
    aging.executor.runOf(first.id).resolve(undefined);
    await flush();
    expect(aging.clock.pendingTimers).toBe(0);
    const plain = setup();
    await plain.queue.submit(job(1));
    await plain.queue.submit(job(2, 'low'));
    expect(plain.clock.pendingTimers).toBe(0);
  });
});

describe('WorkQueue aging beyond a 32-bit timer', () => {
  it('never asks the clock for a delay over 2^31 - 1 ms, and still ages the job when due', async () => {
    // Hosts fire a timer whose delay does not fit in 32 bits after 1 ms: with such an agingMs
    // the queue would wake every millisecond for as long as a job waited below high.
    const clock = new ManualClock(1000);
    const delays: number[] = [];
    const recording = {
      now: () => clock.now(),
      setTimeout: (callback: () => void, ms: number) => {
        delays.push(ms);
        return clock.setTimeout(callback, ms);
      },
      clearTimeout: (handle: unknown) => clock.clearTimeout(handle),
    };
    const agingMs = 2 ** 40;
    const { queue } = setup({ clock: recording, agingMs });
    await queue.submit(job('running'));
    const low = await queue.submit(job('low', 'low'));
    clock.advance(agingMs - 1);
    expect(queue.get(low.id)?.priority).toBe('low');
    clock.advance(1);
    expect(queue.get(low.id)?.priority).toBe('medium');
    expect(delays.length).toBeGreaterThan(1);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
  });
});

describe('WorkQueue drain and close', () => {
  it('drains when nothing is queued or running', async () => {
    const { executor, queue } = setup();
    await queue.drain();
    await queue.submit(job(1));
    await queue.submit(job(2));
    let drained = false;
    const draining = queue.drain().then(() => {
      drained = true;
    });
    executor.pending[0]?.resolve(undefined);
    await flush();
    expect(drained).toBe(false);
    executor.pending[0]?.resolve(undefined);
    await draining;
    expect(drained).toBe(true);
  });

  it('closes: rejects later submits and waiting producers with QUEUE_CLOSED, finishes what it accepted', async () => {
    const { executor, queue } = setup({ capacity: 1 });
    const running = await queue.submit(job(1));
    const queued = await queue.submit(job(2));
    const waiting = queue.submit(job(3));
    const closing = queue.close();
    expect(queue.closed).toBe(true);
    expect((await rejection(waiting)).code).toBe('QUEUE_CLOSED');
    expect((await rejection(queue.submit(job(4)))).code).toBe('QUEUE_CLOSED');
    expect(() => queue.restore(job(5), { id: 'x', createdAt: 0 })).toThrow(
      expect.objectContaining({ code: 'QUEUE_CLOSED' }),
    );
    executor.runOf(running.id).resolve('a');
    await flush();
    executor.runOf(queued.id).resolve('b');
    await closing;
    expect(await queued.result).toBe('b');
  });

  it('close({ cancelPending }) after a plain close() cancels what that one let run', async () => {
    const { executor, queue } = setup();
    const running = await queue.submit(job(1));
    const queued = await queue.submit(job(2));
    const first = queue.close();
    const second = queue.close({ cancelPending: true });
    expect((await rejection(queued.result)).code).toBe('CANCELED');
    expect(executor.runOf(running.id).context.signal.aborted).toBe(true);
    executor.runOf(running.id).reject(new Error('stopped'));
    await Promise.all([first, second]);
    expect((await rejection(running.result)).code).toBe('CANCELED');
  });

  it('closes with cancelPending: cancels queued and running jobs, resolves when the executor returned', async () => {
    const { executor, queue } = setup({ concurrency: 2 });
    const running = await queue.submit(job(1));
    const other = await queue.submit(job(2));
    const queued = await queue.submit(job(3));
    let closed = false;
    const closing = queue.close({ cancelPending: true }).then(() => {
      closed = true;
    });
    expect(executor.runOf(running.id).context.signal.aborted).toBe(true);
    expect(executor.runOf(other.id).context.signal.aborted).toBe(true);
    expect((await rejection(queued.result)).code).toBe('CANCELED');
    await flush();
    expect(closed).toBe(false);
    expect(queue.get(running.id)).toMatchObject({ state: 'running', cancelRequested: true });
    executor.runOf(running.id).reject(new Error('aborted'));
    await flush();
    expect(closed).toBe(false);
    expect((await rejection(running.result)).code).toBe('CANCELED');
    executor.runOf(other.id).resolve('finished first');
    await closing;
    expect(queue.get(running.id)?.state).toBe('canceled');
    expect(queue.get(other.id)?.state).toBe('succeeded');
    expect(executor.runs).toHaveLength(2);
  });
});

describe('WorkQueue ids and restore', () => {
  it('assigns unique ids with the queue prefix, random by default', async () => {
    const { queue } = setup();
    const ids = new Set<string>();
    for (let index = 0; index < 50; index++) ids.add((await queue.submit(job(index))).id);
    expect(ids.size).toBe(50);
    expect([...ids].every((id) => id.startsWith('q-'))).toBe(true);
    const other = new WorkQueue({ executor: new DeferredExecutor() });
    expect(other.idPrefix).toMatch(/^[0-9a-z]{6}$/);
  });

  it('restores a job with its id and creation time and keeps new ids beyond it', async () => {
    const { executor, queue } = setup();
    const restored = queue.restore(
      { operation: 'op', params: 'old', priority: 'low' },
      { id: 'q-z', createdAt: 5 },
    );
    expect(restored.id).toBe('q-z');
    expect(queue.get('q-z')).toMatchObject({ createdAt: 5, state: 'running', priority: 'low' });
    const fresh = await queue.submit(job('new'));
    expect(fresh.id).toBe(`q-${(36).toString(36)}`);
    expect(thrown(() => queue.restore(job('dup'), { id: 'q-z', createdAt: 5 })).code).toBe('INVALID_JOB');
    expect(thrown(() => queue.restore(job('dup'), { id: fresh.id, createdAt: 5 })).code).toBe('INVALID_JOB');
    expect(thrown(() => queue.restore(job('bad'), { id: '', createdAt: 5 })).code).toBe('INVALID_JOB');
    expect(thrown(() => queue.restore(job('bad'), { id: 'x', createdAt: Number.NaN })).code).toBe(
      'INVALID_JOB',
    );
    executor.runOf('q-z').resolve('done');
    expect(await restored.result).toBe('done');
  });
});

describe('WorkQueue spec validation', () => {
  it.each([
    ['not an object', 42],
    ['no operation', { params: 1 }],
    ['empty operation', { operation: '', params: 1 }],
    ['bad priority', { operation: 'op', params: 1, priority: 'urgent' }],
    ['bad label', { operation: 'op', params: 1, label: 3 }],
  ])('rejects a spec with %s as INVALID_JOB, leaving it unmodified', async (_name, spec) => {
    const { queue, executor } = setup();
    const before = JSON.stringify(spec);
    const error = await rejection(queue.submit(spec as never));
    expect(error.code).toBe('INVALID_JOB');
    expect(JSON.stringify(spec)).toBe(before);
    expect(executor.runs).toHaveLength(0);
  });
});

describe('WorkQueue submit options', () => {
  const badOptions: Array<[string, unknown]> = [
    ['options', 'fast'],
    ['options', null],
    ['signal', 'x'],
    ['signal', {}],
    ['signal', null],
    ['signal', { aborted: true, reason: 'no' }],
  ];
  it.each(badOptions)(
    'refuses a bad `%s` (%j) with INVALID_OPTION, whether full or not',
    async (option, value) => {
      const { queue, executor } = setup({ capacity: 1 });
      const options = (option === 'options' ? value : { signal: value }) as never;
      const withRoom = await rejection(queue.submit(job(1), options));
      expect(withRoom.code).toBe('INVALID_OPTION');
      expect(withRoom.details).toEqual({ option });
      await queue.submit(job(1));
      await queue.submit(job(2));
      const whenFull = await rejection(queue.submit(job(3), options));
      expect(whenFull.code).toBe('INVALID_OPTION');
      expect(queue.waitingProducers).toBe(0);
      expect(executor.runs).toHaveLength(1);
    },
  );

  it('takes an AbortSignal from another realm (anything with aborted and the listener methods)', async () => {
    const { queue } = setup({ capacity: 1 });
    await queue.submit(job(1));
    await queue.submit(job(2));
    const target = new EventTarget();
    const signal = Object.assign(target, { aborted: false, reason: undefined as unknown });
    const waiting = queue.submit(job(3), { signal: signal as unknown as AbortSignal });
    expect(queue.waitingProducers).toBe(1);
    signal.aborted = true;
    signal.reason = 'stop';
    target.dispatchEvent(new Event('abort'));
    await expect(waiting).rejects.toBe('stop');
  });
});

describe('WorkQueue execution context', () => {
  it('creates no AbortController for an executor that never reads the signal', async () => {
    const Original = globalThis.AbortController;
    let created = 0;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        created++;
      }
    };
    try {
      const queue = new WorkQueue({ executor: { run: async () => 'done' } });
      const handle = await queue.submit(job(1));
      expect(await handle.result).toBe('done');
      expect(created).toBe(0);
      const reading = new WorkQueue({ executor: { run: async (_job, { signal }) => signal.aborted } });
      expect(await (await reading.submit(job(2))).result).toBe(false);
      expect(created).toBe(1);
    } finally {
      globalThis.AbortController = Original;
    }
  });

  it('hands the executor plain job data that survives structured cloning', async () => {
    const { executor, queue } = setup();
    const handle = await queue.submit({ operation: 'op', params: { n: 1 }, secrets: 's', priority: 'high' });
    const { job: runnable } = executor.runOf(handle.id);
    const expected = { id: handle.id, operation: 'op', params: { n: 1 }, secrets: 's', priority: 'high' };
    expect(structuredClone(runnable)).toEqual(expected);
    expect(JSON.parse(JSON.stringify(runnable))).toEqual(expected);
    expect({ ...runnable }).toEqual(expected);
  });
});

describe('WorkQueue secrets', () => {
  it('keeps secrets out of the handle as logged, snapshots and events, and drops them at the end', async () => {
    const { executor, queue, events } = setup();
    const handle = await queue.submit({ operation: 'op', params: 1, secrets: { passphrase: 'hunter2' } });
    expect(executor.runOf(handle.id).job.secrets).toEqual({ passphrase: 'hunter2' });
    const { inspect } = await import('node:util');
    expect(inspect(handle, { depth: 5 })).not.toContain('hunter2');
    expect(JSON.stringify(handle)).not.toContain('hunter2');
    expect(JSON.stringify(queue.list())).not.toContain('hunter2');
    executor.runOf(handle.id).resolve(undefined);
    await flush();
    expect(JSON.stringify(events)).not.toContain('hunter2');
    expect(JSON.stringify(queue.list({ includeFinished: true }))).not.toContain('hunter2');
  });
});

describe('WorkQueue listeners', () => {
  it('refuses a listener that is not a function and an unknown event type at once, with INVALID_OPTION', async () => {
    const { queue, executor } = setup();
    const loose = (value: unknown) => value as never;
    const notAFunction = thrown(() => queue.subscribe(loose(5)));
    expect([notAFunction.code, notAFunction.details?.option]).toEqual(['INVALID_OPTION', 'listener']);
    const typo = thrown(() => queue.on(loose('finished'), () => undefined));
    expect([typo.code, typo.details?.option]).toEqual(['INVALID_OPTION', 'type']);
    const typedNotAFunction = thrown(() => queue.on('started', loose(null)));
    expect([typedNotAFunction.code, typedNotAFunction.details?.option]).toEqual([
      'INVALID_OPTION',
      'listener',
    ]);
    // Nothing was registered: jobs still run and end normally.
    const handle = await queue.submit(job(1));
    executor.pending[0]?.resolve('done');
    expect(await handle.result).toBe('done');
  });
});

describe('WorkQueue progress', () => {
  it('drops a malformed progress report instead of passing it into events, the handle and snapshots', async () => {
    const { queue, executor, events } = setup();
    const handle = await queue.submit(job(1));
    const seen: JobProgress[] = [];
    handle.onProgress((progress) => seen.push(progress));
    const run = executor.pending[0];
    const report = run?.context.reportProgress as (progress: unknown) => void;
    for (const bad of [
      null,
      undefined,
      'half',
      { done: 'x' },
      { done: Number.NaN },
      { done: 1, total: 'all' },
      { done: 1, unit: 5 },
    ]) {
      report(bad);
    }
    report({ done: 1, total: 2, unit: 'bytes' });
    expect(seen).toEqual([{ done: 1, total: 2, unit: 'bytes' }]);
    expect(events.filter((event) => event.type === 'progress')).toHaveLength(1);
    expect(queue.get(handle.id)?.progress).toEqual({ done: 1, total: 2, unit: 'bytes' });
    run?.resolve('done');
    expect(await handle.result).toBe('done');
  });
});
