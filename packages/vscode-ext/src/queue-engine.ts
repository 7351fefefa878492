import { createQueueService, KwqmError, type QueueService } from '@kwqm/core';
import { type BuiltinOperations, createKwqmQueue } from '@kwqm/node-runtime';
import type { KwqmSettings } from './settings.js';
import { effectiveWorkerCount } from './settings.js';

/** A running queue the extension submits to, wherever it runs. */
export interface QueueEngine {
  /** The queue, behind core's `QueueService` so the glue drives the in-editor queue and the daemon alike. */
  readonly service: QueueService<BuiltinOperations>;
  /** Where jobs run, for the log. */
  readonly location: 'editor' | 'daemon';
  /** Stops the queue (in the editor: cancels its jobs and ends the worker threads) or disconnects. */
  close(): Promise<void>;
}

/** What {@link openQueueEngine} needs besides the settings. */
export interface QueueEngineOptions {
  /** The worker-thread entry bundled next to the extension (`dist/worker.js`). */
  readonly workerUrl: URL;
  /** `os.availableParallelism()`, for `kwqm.workers: 0`. */
  readonly cpuCount: number;
  /** Where to say which engine was chosen and why. */
  readonly log: (line: string) => void;
}

/**
 * Opens the queue the settings ask for. `never`: a queue in the extension host whose jobs run on
 * worker threads (the host thread only routes messages). `auto`: the user's daemon when one
 * answers, else the in-editor queue. `always`: the daemon, started when none runs.
 */
export async function openQueueEngine(
  settings: KwqmSettings,
  options: QueueEngineOptions,
): Promise<QueueEngine> {
  if (settings.useDaemon === 'always') {
    throw new KwqmError(
      'DAEMON_UNAVAILABLE',
      'kwqm.useDaemon is `always`, but this build has no daemon client yet',
    );
  }
  return openEditorQueue(settings, options);
}

/** The in-editor queue: node-runtime's createKwqmQueue, one worker thread per running job. */
export function openEditorQueue(settings: KwqmSettings, options: QueueEngineOptions): QueueEngine {
  const workers = effectiveWorkerCount(settings, options.cpuCount);
  const queue = createKwqmQueue({
    workers,
    capacity: settings.queueCapacity,
    historyLimit: 200,
    workerUrl: options.workerUrl,
  });
  options.log(`queue runs in the editor: ${workers} worker thread(s), capacity ${settings.queueCapacity}`);
  return {
    service: createQueueService(queue),
    location: 'editor',
    close: () => queue.close({ cancelPending: true }),
  };
}
