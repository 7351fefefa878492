import type { QueueService } from '@kwqm/core';
import type { BuiltinOperations } from '@kwqm/node-runtime';

/** A queue a command talks to, wherever it lives. */
export interface OpenedQueue {
  /** `embedded`: worker threads in this process; `daemon`: the per-user daemon over its socket. */
  readonly kind: 'embedded' | 'daemon';
  readonly service: QueueService<BuiltinOperations>;
  /**
   * Lets go of the queue. Embedded: closes it (with `cancelPending`, canceling what is left) and
   * ends the worker threads. Daemon: disconnects; jobs already submitted go on running there.
   */
  close(options?: { cancelPending?: boolean }): Promise<void>;
}
