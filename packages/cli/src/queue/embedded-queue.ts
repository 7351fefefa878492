import { createQueueService } from '@kwqm/core';
import { createKwqmQueue } from '@kwqm/node-runtime';
import type { OpenedQueue } from './opened-queue.js';

/**
 * The embedded queue: a queue and worker pool in this process (one worker per core), alive for
 * one command. Nothing else can see it, which is why `kwqm list` only shows daemon jobs.
 */
export function openEmbeddedQueue(): OpenedQueue {
  const queue = createKwqmQueue();
  return {
    kind: 'embedded',
    service: createQueueService(queue),
    close: (options) => queue.close({ cancelPending: options?.cancelPending ?? false }),
  };
}
