import type { OperationMap } from './job.js';
import type { QueueService } from './queue-service.js';
import type { WorkQueue } from './work-queue.js';

/** Runs a synchronous call and turns its return or throw into a promise. */
function settle<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The in-process {@link QueueService}: the async face of a {@link WorkQueue}, the same one the
 * daemon client shows, so the CLI and the editor drive either without knowing which.
 */
export function createQueueService<Ops extends OperationMap>(queue: WorkQueue<Ops>): QueueService<Ops> {
  return {
    submit: (spec, options) => queue.submit(spec, options),
    remove: (id) => settle(() => queue.remove(id)),
    setPriority: (id, priority) => settle(() => queue.setPriority(id, priority)),
    cancel: (id) => settle(() => queue.cancel(id)),
    list: (options) => settle(() => queue.list(options)),
    get: (id) => settle(() => queue.get(id)),
    subscribe: (listener) => queue.subscribe(listener),
  };
}
