import { describe, expect, it } from 'vitest';
import { createQueueService } from './create-queue-service.js';
import type { QueueEvent } from './queue-events.js';
import { DeferredExecutor, flush } from './testing/deferred-executor.js';
import { WorkQueue } from './work-queue.js';

describe('createQueueService', () => {
  it('drives a WorkQueue through the async QueueService interface', async () => {
    const executor = new DeferredExecutor();
    const service = createQueueService(new WorkQueue({ executor }));
    const events: QueueEvent['type'][] = [];
    const stop = service.subscribe((event) => events.push(event.type));
    const running = await service.submit({ operation: 'op', params: 1 });
    const queued = await service.submit({ operation: 'op', params: 2 });
    const third = await service.submit({ operation: 'op', params: 3 });
    expect((await service.setPriority(queued.id, 'low')).priority).toBe('low');
    expect((await service.remove(third.id)).state).toBe('removed');
    expect((await service.list()).map((job) => job.id)).toEqual([running.id, queued.id]);
    expect((await service.get(running.id))?.state).toBe('running');
    expect((await service.cancel(queued.id)).state).toBe('canceled');
    await expect(service.remove('unknown')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    executor.runOf(running.id).resolve('ok');
    await flush();
    expect((await service.list({ includeFinished: true })).map((job) => job.state)).toEqual([
      'succeeded',
      'canceled',
      'removed',
    ]);
    stop();
    expect(events).toContain('succeeded');
  });
});
